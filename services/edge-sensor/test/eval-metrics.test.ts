import { describe, it, expect } from 'vitest'
import type { VisionAnswer } from '@gemmaedge/shared/vision'
import {
  countObjectsFound, percentile, rowOf, totalsOf, type EvalRecord, type FrameRow
} from '../src/eval/metrics.ts'
import { decideAll, sweep } from '../src/eval/sweep.ts'
import { POLICY_DEFAULTS, type PolicyOptions } from '../src/escalation-policy.ts'

function answer (over: Partial<VisionAnswer> = {}): VisionAnswer {
  return {
    model: 'test',
    answer: 'Two people sit at a dining table with cups.',
    confidence: 0.9,
    safety: false,
    hazards: [],
    objects: ['person', 'cup'],
    latencyMs: 100,
    ...over
  }
}

function row (over: Partial<FrameRow> = {}): FrameRow {
  return {
    file: 'a.jpg',
    answer: 'a desk',
    confidence: 0.9,
    reasons: [],
    escalated: false,
    labelSafety: false,
    objectsLabelled: 2,
    objectsFound: 1,
    objectRecall: 0.5,
    latencyMs: 100,
    teacher: null,
    error: null,
    ...over
  }
}

function record (file: string, over: Partial<VisionAnswer>, safety = false): EvalRecord {
  return {
    label: { file, scene: '', objects: ['person'], safety, hazards: [] },
    seq: 0,
    answer: answer(over),
    crossCheck: null,
    teacher: null,
    error: null
  }
}

const POLICY: PolicyOptions = {
  ...POLICY_DEFAULTS,
  escalateThreshold: 0.6,
  safetyKeywords: ['fire'],
  auditRate: 0,
  auditEveryNFrames: 0,
  sceneChangeThreshold: 0
}

describe('object recall', () => {
  it('finds labelled objects in the objects or the words, plurals folded', () => {
    const a = answer()
    expect(countObjectsFound(['person', 'Dining Table', 'cups', 'chair'], a)).toBe(3)
  })

  it('needs a phrase of several words to appear whole', () => {
    const a = answer({ answer: 'A table and a dining room.', objects: [] })
    expect(countObjectsFound(['dining table'], a)).toBe(0)
    expect(countObjectsFound(['table'], a)).toBe(1)
  })

  it('counts a label listed twice, singular and plural, once', () => {
    const r = record('a.jpg', {})
    const twice = { ...r, label: { ...r.label, objects: ['person', 'people'] } }
    expect(rowOf(twice, [])).toMatchObject({
      objectsLabelled: 1, objectsFound: 1, objectRecall: 1
    })
  })
})

describe('totals', () => {
  it('gives null, not NaN, for rates with nothing to count', () => {
    const none = row({ objectsLabelled: 0, objectsFound: 0, objectRecall: null })
    const totals = totalsOf([none])
    expect(totals).toMatchObject({
      frames: 1,
      escalationRate: 0,
      safetyFrames: 0,
      safetyRecall: null,
      safetyFlagRecall: null,
      safetyPrecision: null,
      objectRecall: null,
      teacher: null
    })
  })

  it('gives null everywhere for no rows at all', () => {
    expect(totalsOf([])).toMatchObject({
      frames: 0, escalationRate: null, latencyP50Ms: null, latencyP95Ms: null
    })
  })

  it('counts safety recall over any reason and precision over safety flags', () => {
    const rows = [
      row({ labelSafety: true, escalated: true, reasons: ['safety'] }),
      row({ labelSafety: true, escalated: true, reasons: ['low-confidence'] }),
      row({ labelSafety: true }),
      row({ escalated: true, reasons: ['safety', 'audit'] }),
      row({ error: 'model timed out', confidence: null, latencyMs: null })
    ]
    expect(totalsOf(rows)).toMatchObject({
      frames: 5,
      analysed: 4,
      failed: 1,
      escalated: 3,
      escalationRate: 0.75,
      safetyFrames: 3,
      safetyEscalated: 2,
      safetyRecall: 2 / 3,
      safetyFlagRecall: 1 / 3,
      safetyFlagged: 2,
      safetyPrecision: 0.5,
      reasons: { safety: 2, 'low-confidence': 1, audit: 1 }
    })
  })

  it('counts teacher verdicts and the disagreements the edge kept', () => {
    const t = (verdict: 'agree' | 'disagree') => ({ verdict, detail: '', answer: '' })
    const rows = [
      row({ teacher: t('agree') }),
      row({ teacher: t('disagree') }),
      row({ teacher: t('disagree'), escalated: true, reasons: ['audit'] })
    ]
    expect(totalsOf(rows).teacher).toEqual({
      reviewed: 3,
      verdicts: { agree: 1, partial: 0, disagree: 2 },
      agreement: 1 / 3,
      missed: 1,
      missedRate: 0.5
    })
  })
})

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = [50, 10, 40, 30, 20]
    expect(percentile(values, 0.5)).toBe(30)
    expect(percentile(values, 0.95)).toBe(50)
    expect(percentile([7], 0.95)).toBe(7)
    expect(percentile([], 0.5)).toBeNull()
  })
})

describe('threshold sweep', () => {
  const records = [
    record('low.jpg', { confidence: 0.15 }),
    record('mid.jpg', { confidence: 0.55 }),
    record('fire.jpg', { confidence: 0.85, answer: 'A fire in a bin.' }, true),
    record('high.jpg', { confidence: 0.95 })
  ].map((r, seq) => ({ ...r, seq }))

  it('decides each threshold again from the stored answers', () => {
    const points = sweep(records, POLICY, [0.1, 0.2, 0.6, 0.9])
    expect(points.map((p) => [p.threshold, p.escalated, p.safetyRecall])).toEqual([
      [0.1, 1, 1], [0.2, 2, 1], [0.6, 3, 1], [0.9, 3, 1]
    ])
  })

  it('repeats seeded audits exactly', () => {
    const audited = { ...POLICY, auditRate: 0.5, auditSeed: 7 }
    const kinds = (): string[][] =>
      decideAll(records, audited).map((reasons) => reasons.map((r) => r.kind))
    expect(kinds()).toEqual(kinds())
  })

  it('leaves a failed frame undecided', () => {
    const failed = { ...records[0] as EvalRecord, answer: null, error: 'timeout' }
    expect(decideAll([failed], { ...POLICY, auditEveryNFrames: 1 })).toEqual([[]])
  })
})
