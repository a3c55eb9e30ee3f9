import { describe, it, expect } from 'vitest'
import type { VisionAnswer } from '@gemmaedge/shared/vision'
import {
  createPolicy, lowConfidenceRule, safetyRule, auditRule, keywordPattern
} from '../src/escalation-policy.ts'

function answer (over: Partial<VisionAnswer> = {}): VisionAnswer {
  return {
    model: 'gemma4:e2b',
    answer: 'A person sits at a desk with a laptop.',
    confidence: 0.9,
    safety: false,
    hazards: [],
    objects: ['person', 'laptop'],
    latencyMs: 100,
    ...over
  }
}

describe('low-confidence rule', () => {
  const rule = lowConfidenceRule(0.6)

  it('escalates below the threshold and not at it', () => {
    expect(rule.check({ answer: answer({ confidence: 0.59 }), seq: 0 })).toEqual({
      kind: 'low-confidence', detail: 'confidence 0.59 below 0.6'
    })
    expect(rule.check({ answer: answer({ confidence: 0.6 }), seq: 0 })).toBeNull()
  })

  it('escalates a missing confidence instead of taking it as sure', () => {
    expect(rule.check({ answer: answer({ confidence: null }), seq: 0 })).toEqual({
      kind: 'low-confidence', detail: 'the model gave no confidence'
    })
  })
})

describe('safety rule', () => {
  const rule = safetyRule(['fire', 'knife', 'fallen person'])

  it('escalates a confident answer that names a hazard', () => {
    const a = answer({ answer: 'Flames and fire on the stove.', confidence: 1 })
    expect(rule.check({ answer: a, seq: 0 })).toEqual({
      kind: 'safety', detail: 'answer names "fire"'
    })
  })

  it('matches whole words and plurals, not parts of words', () => {
    const hit = (text: string): boolean =>
      rule.check({ answer: answer({ answer: text }), seq: 0 }) !== null
    expect(hit('Two fires in the yard.')).toBe(true)
    expect(hit('KNIVES? no: a Knife on the board.')).toBe(true)
    expect(hit('A fallen person lies on the floor.')).toBe(true)
    expect(hit('A firewall appliance on a rack.')).toBe(false)
    expect(hit('A campfire-free lawn.')).toBe(false)
  })

  it('escalates on the model\'s own flag or hazards', () => {
    expect(rule.check({ answer: answer({ hazards: ['smoke'] }), seq: 0 })).toEqual({
      kind: 'safety', detail: 'model reports hazard: smoke'
    })
    expect(rule.check({ answer: answer({ safety: true }), seq: 0 })).toEqual({
      kind: 'safety', detail: 'model reports hazard: flagged'
    })
  })

  it('builds no pattern from no keywords', () => {
    expect(keywordPattern([' ', ''])).toBeNull()
    expect(safetyRule([]).check({ answer: answer(), seq: 0 })).toBeNull()
  })
})

describe('audit rule', () => {
  it('escalates every Nth frame', () => {
    const rule = auditRule(10)
    const audited = Array.from({ length: 30 }, (_, seq) => seq)
      .filter((seq) => rule.check({ answer: answer(), seq }) !== null)
    expect(audited).toEqual([9, 19, 29])
  })

  it('never audits with N = 0', () => {
    expect(auditRule(0).check({ answer: answer(), seq: 0 })).toBeNull()
  })
})

describe('policy', () => {
  const policy = createPolicy({
    escalateThreshold: 0.6, safetyKeywords: ['fire'], auditEveryNFrames: 5
  })

  it('keeps every reason that fired, safety first', () => {
    const a = answer({ answer: 'A fire.', confidence: 0.2 })
    expect(policy.decide({ answer: a, seq: 4 }).map((r) => r.kind))
      .toEqual(['safety', 'low-confidence', 'audit'])
  })

  it('lets a confident, harmless answer through', () => {
    expect(policy.decide({ answer: answer(), seq: 0 })).toEqual([])
  })
})
