/**
 * Valid payloads for the browser tests, each checked by its schema so a
 * test cannot feed the page something the bus would not carry.
 */
import sharp from 'sharp'
import {
  EdgeResultSchema, ReviewSchema, SkillSchema, UpskillProgressSchema,
  type EdgeResult, type Review, type Skill, type UpskillProgress
} from '@gemmaedge/shared'

const CAT = '/work/shared/frames/cat-indoor-01.png'

/** A 160 px wide JPEG of a real frame, as the edge sends it. */
export const thumbnail = (await sharp(CAT).resize({ width: 160 })
  .jpeg({ quality: 70 }).toBuffer()).toString('base64')

export function edgeResult (frameId: string,
  over: Partial<EdgeResult> = {}): EdgeResult {
  return EdgeResultSchema.parse({
    v: 1,
    frameId,
    device: 'cam-1',
    seq: 7,
    capturedAt: new Date().toISOString(),
    model: 'gemma4:e2b',
    skillVersion: 'base-1',
    answer: 'A grey tabby cat sitting on a wooden floor indoors.',
    confidence: 0.42,
    safety: false,
    hazards: [],
    latencyMs: 812,
    escalated: true,
    reason: { kind: 'low-confidence', detail: 'confidence 0.42 < 0.6' },
    reasons: [
      { kind: 'low-confidence', detail: 'confidence 0.42 < 0.6' },
      { kind: 'audit', detail: '1 in 10 sample' }
    ],
    thumbnail,
    ...over
  })
}

export function review (frameId: string, over: Partial<Review> = {}): Review {
  return ReviewSchema.parse({
    v: 1,
    frameId,
    device: 'cam-1',
    reason: { kind: 'low-confidence', detail: 'confidence 0.42 < 0.6' },
    edge: {
      model: 'gemma4:e2b',
      answer: 'A grey tabby cat sitting on a wooden floor indoors.',
      confidence: 0.42,
      safety: false,
      hazards: [],
      latencyMs: 812,
      skillVersion: 'base-1'
    },
    teacher: {
      model: 'gemma4:26b',
      answer: 'A tabby cat lying on a rug next to a sofa.',
      confidence: 0.91,
      safety: false,
      hazards: [],
      latencyMs: 9400
    },
    verdict: 'partial',
    reviewedAt: new Date().toISOString(),
    totalLatencyMs: 10_512,
    ...over
  })
}

export function skill (over: Partial<Skill> = {}): Skill {
  return SkillSchema.parse({
    v: 1,
    version: 'up-20261203-1',
    text: 'You watch a fixed camera in a home.\nName every person and ' +
      'pet you see, and say so plainly when something is on fire.',
    source: 'upskiller',
    createdAt: '2026-12-03T14:40:00.000Z',
    score: 0.82,
    parent: 'builtin',
    ...over
  })
}

export function progress (requestId: string | undefined,
  over: Partial<UpskillProgress>): UpskillProgress {
  return UpskillProgressSchema.parse({
    v: 1, requestId, phase: 'scoring', done: 0, total: 8, best: null,
    at: new Date().toISOString(), ...over
  })
}
