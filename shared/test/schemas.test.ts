import { describe, it, expect } from 'vitest'
import {
  EdgeResultSchema, EscalationSchema, ReviewSchema, SkillSchema, StatusSchema,
  UpskillRequestSchema, MAX_SKILL_BYTES, parsePayload
} from '../src/schemas.ts'

const edge = {
  model: 'gemma4:e2b',
  answer: 'A person stands by a desk.',
  confidence: 0.9,
  safety: false,
  hazards: [],
  latencyMs: 120,
  skillVersion: null
}

const edgeResult = {
  v: 1,
  frameId: 'cam-1-7',
  device: 'cam-1',
  seq: 7,
  capturedAt: '2026-12-03T10:00:00.000Z',
  ...edge,
  escalated: true,
  reason: { kind: 'audit', detail: 'every 10th frame' },
  thumbnail: '/9j/4AAQ'
}

describe('payload schemas', () => {
  it('accepts a contract EdgeResult and fills the optional lists', () => {
    expect(EdgeResultSchema.parse(edgeResult)).toEqual({
      ...edgeResult, objects: [], reasons: [], reused: false, escalation: null
    })
  })

  it.each([
    ['v', 2],
    ['device', 'front door'],
    ['seq', -1],
    ['seq', 1.5],
    ['capturedAt', 'yesterday'],
    ['confidence', 1.2],
    ['thumbnail', 'data:image/jpeg;base64,/9j/'],
    ['safety', 'no']
  ])('refuses an EdgeResult with a bad %s', (key, value) => {
    const r = EdgeResultSchema.safeParse({ ...edgeResult, [key]: value })
    expect(r.success).toBe(false)
    expect(r.error?.issues[0]?.path).toEqual([key])
  })

  it('takes a null confidence as "the model gave none"', () => {
    expect(EdgeResultSchema.parse({ ...edgeResult, confidence: null }).confidence)
      .toBeNull()
  })

  it('checks the image and the edge answer of an Escalation', () => {
    const escalation = {
      v: 1,
      frameId: 'f1',
      device: 'cam-1',
      seq: 1,
      capturedAt: '2026-12-03T10:00:00Z',
      reason: { kind: 'safety', detail: 'fire' },
      edge,
      image: { mime: 'image/jpeg', width: 640, height: 480, data: '/9j/' }
    }
    expect(EscalationSchema.safeParse(escalation).success).toBe(true)
    const badImage = { ...escalation, image: { ...escalation.image, mime: 'image/gif' } }
    expect(EscalationSchema.safeParse(badImage).success).toBe(false)
    const noEdge = { ...escalation, edge: { ...edge, model: '' } }
    expect(EscalationSchema.safeParse(noEdge).success).toBe(false)
  })

  it('accepts only the three verdicts in a Review', () => {
    const review = {
      v: 1,
      frameId: 'f1',
      device: 'cam-1',
      reason: { kind: 'audit', detail: '' },
      edge,
      teacher: { ...edge, model: 'gemma4:26b', skillVersion: undefined },
      verdict: 'agree',
      reviewedAt: '2026-12-03T10:00:01Z',
      totalLatencyMs: 900
    }
    expect(ReviewSchema.safeParse(review).success).toBe(true)
    expect(ReviewSchema.safeParse({ ...review, verdict: 'maybe' }).success).toBe(false)
  })

  it('refuses blank and oversized skills', () => {
    const skill = {
      v: 1, version: 's1', text: 'Describe.', source: 'manual',
      createdAt: '2026-12-03T10:00:00Z'
    }
    expect(SkillSchema.safeParse(skill).success).toBe(true)
    expect(SkillSchema.safeParse({ ...skill, text: '   ' }).success).toBe(false)
    const big = 'é'.repeat(MAX_SKILL_BYTES / 2 + 1)
    expect(SkillSchema.safeParse({ ...skill, text: big }).success).toBe(false)
  })

  it('checks status and upskill requests', () => {
    expect(StatusSchema.safeParse({
      service: 'broker', instance: 'hub', state: 'online', version: '0.1.0',
      at: '2026-12-03T10:00:00Z'
    }).success).toBe(true)
    expect(UpskillRequestSchema.safeParse({ v: 1, candidates: 0 }).success).toBe(false)
  })
})

describe('parsePayload', () => {
  it('parses bytes of JSON with a schema', () => {
    const bytes = new TextEncoder().encode(JSON.stringify(edgeResult))
    const r = parsePayload(EdgeResultSchema, bytes)
    expect(r).toMatchObject({ ok: true, value: { frameId: 'cam-1-7' } })
  })

  it('gives a reason for what is not JSON, not UTF-8 or off the schema', () => {
    expect(parsePayload(EdgeResultSchema, '{nope')).toMatchObject({
      ok: false, reason: expect.stringMatching(/^not JSON/)
    })
    expect(parsePayload(EdgeResultSchema, new Uint8Array([0xff, 0xfe]))).toMatchObject({
      ok: false, reason: expect.stringMatching(/^not JSON/)
    })
    const r = parsePayload(EdgeResultSchema, JSON.stringify({ ...edgeResult, seq: 'x' }))
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('seq') })
  })
})
