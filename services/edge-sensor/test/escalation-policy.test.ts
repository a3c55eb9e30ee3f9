import { describe, it, expect } from 'vitest'
import type { VisionAnswer } from '@gemmaedge/shared/vision'
import { createPolicy, POLICY_DEFAULTS } from '../src/escalation-policy.ts'
import {
  confidenceRule, safetyRule, auditRule, sceneChangeRule, disagreementRule,
  keywordPattern, type PolicyInput
} from '../src/policy-rules.ts'
import { Calibration } from '../src/calibration.ts'

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

function input (over: Partial<VisionAnswer> = {}, rest: Partial<PolicyInput> = {}): PolicyInput {
  return { answer: answer(over), seq: 0, change: null, crossCheck: null, ...rest }
}

describe('confidence rule', () => {
  const rule = confidenceRule(0.6, null, 0.8)

  it('escalates below the threshold and not at it', () => {
    expect(rule.check(input({ confidence: 0.59 }))).toEqual({
      kind: 'low-confidence', detail: 'confidence 0.59 below 0.6'
    })
    expect(rule.check(input({ confidence: 0.6 }))).toBeNull()
  })

  it('escalates a missing confidence instead of taking it as sure', () => {
    expect(rule.check(input({ confidence: null }))).toEqual({
      kind: 'low-confidence', detail: 'the model gave no confidence'
    })
  })

  it('lets the calibration decide once a band has enough reviews', () => {
    const calibration = new Calibration(null, 5)
    const calibrated = confidenceRule(0.6, calibration, 0.8)
    // The student says 0.95 but the teacher agreed only 2 times in 6.
    for (const v of ['agree', 'agree', 'disagree', 'disagree', 'disagree', 'disagree'] as const) {
      calibration.record(0.95, v)
    }
    expect(calibrated.check(input({ confidence: 0.95 }))).toEqual({
      kind: 'calibrated',
      detail: 'teacher agreed with 38% of answers at confidence 0.95, below 0.8'
    })
    // Another band has no reviews yet: the raw threshold still applies.
    expect(calibrated.check(input({ confidence: 0.65 }))).toBeNull()
    expect(calibrated.check(input({ confidence: 0.3 }))?.kind).toBe('low-confidence')
  })

  it('trusts a low confidence the teacher keeps agreeing with', () => {
    const calibration = new Calibration(null, 5)
    for (let i = 0; i < 20; i++) calibration.record(0.35, 'agree')
    expect(confidenceRule(0.6, calibration, 0.8).check(input({ confidence: 0.35 }))).toBeNull()
  })
})

describe('safety rule', () => {
  const rule = safetyRule(['fire', 'knife', 'fallen person'])

  it('escalates a confident answer that names a hazard', () => {
    expect(rule.check(input({ answer: 'Flames and fire on the stove.', confidence: 1 }))).toEqual({
      kind: 'safety', detail: 'answer names "fire"'
    })
  })

  it('matches whole words and plurals, not parts of words', () => {
    const hit = (text: string): boolean => rule.check(input({ answer: text })) !== null
    expect(hit('Two fires in the yard.')).toBe(true)
    expect(hit('A Knife on the board.')).toBe(true)
    expect(hit('A fallen person lies on the floor.')).toBe(true)
    expect(hit('A firewall appliance on a rack.')).toBe(false)
    expect(hit('A campfire-free lawn.')).toBe(false)
  })

  it('escalates on the model\'s own flag or hazards', () => {
    expect(rule.check(input({ hazards: ['smoke'] }))).toEqual({
      kind: 'safety', detail: 'model reports hazard: smoke'
    })
    expect(rule.check(input({ safety: true }))).toEqual({
      kind: 'safety', detail: 'model reports hazard: flagged'
    })
  })

  it('builds no pattern from no keywords', () => {
    expect(keywordPattern([' ', ''])).toBeNull()
    expect(safetyRule([]).check(input())).toBeNull()
  })
})

describe('audit rule', () => {
  function audited (rule: ReturnType<typeof auditRule>, frames: number): number[] {
    return Array.from({ length: frames }, (_, seq) => seq)
      .filter((seq) => rule.check(input({}, { seq })) !== null)
  }

  it('keeps a fixed stride of every Nth frame', () => {
    expect(audited(auditRule(0, 10, 1), 30)).toEqual([9, 19, 29])
  })

  it('samples at the rate, within tolerance, the same way for the same seed', () => {
    const a = audited(auditRule(0.1, 0, 42), 10_000)
    // Binomial(10000, 0.1): the standard deviation is 30, so 4 of them is 120.
    expect(Math.abs(a.length - 1000)).toBeLessThan(120)
    expect(audited(auditRule(0.1, 0, 42), 10_000)).toEqual(a)
    expect(audited(auditRule(0.1, 0, 43), 10_000)).not.toEqual(a)
  })

  it('does not depend on the answers it samples', () => {
    const rule1 = auditRule(0.2, 0, 7)
    const rule2 = auditRule(0.2, 0, 7)
    const picks1 = Array.from({ length: 500 }, (_, seq) =>
      rule1.check(input({ confidence: 0.99 }, { seq })) !== null)
    const picks2 = Array.from({ length: 500 }, (_, seq) =>
      rule2.check(input({ confidence: 0.01, safety: true }, { seq })) !== null)
    expect(picks2).toEqual(picks1)
  })

  it('never audits with both off', () => {
    expect(audited(auditRule(0, 0, 1), 1000)).toEqual([])
  })
})

describe('scene-change rule', () => {
  const rule = sceneChangeRule(0.25)

  it('escalates a frame after a change over the threshold only', () => {
    expect(rule.check(input({}, { change: 0.31 }))).toEqual({
      kind: 'scene-change', detail: 'scene changed by 31%, over 25%'
    })
    expect(rule.check(input({}, { change: 0.2 }))).toBeNull()
    expect(rule.check(input({}, { change: null }))).toBeNull()
    expect(sceneChangeRule(0).check(input({}, { change: 1 }))).toBeNull()
  })
})

describe('disagreement rule', () => {
  const rule = disagreementRule()
  const detector = (objects: string[], hazards: string[] = []): VisionAnswer =>
    answer({ model: 'human-detector/fast', answer: '', objects, hazards })

  it('escalates a person the answer does not mention', () => {
    const i = input({ answer: 'An empty office with a desk.', objects: ['desk'] },
      { crossCheck: detector(['person', 'chair']) })
    expect(rule.check(i)).toEqual({
      kind: 'disagreement', detail: 'detector sees a person the answer does not mention'
    })
  })

  it('escalates a person the detector does not see', () => {
    const i = input({ answer: 'A woman stands by the door.', objects: [] },
      { crossCheck: detector(['door']) })
    expect(rule.check(i)?.detail).toBe('answer mentions a person the detector does not see')
  })

  it('escalates a hazard the answer leaves out', () => {
    const i = input({ answer: 'A man cooks at a stove.', objects: ['person'] },
      { crossCheck: detector(['person', 'knife'], ['knife']) })
    expect(rule.check(i)?.detail).toBe('detector sees knife the answer leaves out')
  })

  it('is quiet when both agree, when nobody is there, or without a detector', () => {
    expect(rule.check(input({}, { crossCheck: detector(['person']) }))).toBeNull()
    expect(rule.check(input({ answer: 'No people, just a cup.', objects: ['cup'] },
      { crossCheck: detector(['cup']) }))).toBeNull()
    expect(rule.check(input())).toBeNull()
  })
})

describe('policy', () => {
  const policy = createPolicy({
    ...POLICY_DEFAULTS,
    escalateThreshold: 0.6,
    safetyKeywords: ['fire'],
    auditRate: 0,
    auditEveryNFrames: 5
  })

  it('keeps every reason that fired, safety first, and counts them', () => {
    const reasons = policy.decide(input({ answer: 'A fire.', confidence: 0.2 },
      { seq: 4, change: 0.5 }))
    expect(reasons.map((r) => r.kind))
      .toEqual(['safety', 'low-confidence', 'scene-change', 'audit'])
    expect(policy.counts).toEqual({ safety: 1, 'low-confidence': 1, 'scene-change': 1, audit: 1 })
  })

  it('lets a confident, harmless answer through', () => {
    expect(policy.decide(input())).toEqual([])
  })
})
