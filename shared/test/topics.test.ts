import { describe, it, expect } from 'vitest'
import { createTopics, normalisePrefix } from '../src/topics.ts'

describe('topics', () => {
  it('builds every contract topic without a prefix', () => {
    const t = createTopics()
    expect({
      edge: t.frameEdge('kitchen'),
      escalate: t.frameEscalate('kitchen'),
      review: t.reviewResult('kitchen'),
      status: t.status('edge-sensor', 'laptop_1'),
      skills: t.skillsUpdated,
      request: t.upskillRequest,
      progress: t.upskillProgress,
      filters: t.filters
    }).toEqual({
      edge: 'frames/edge/kitchen',
      escalate: 'frames/escalate/kitchen',
      review: 'reviews/result/kitchen',
      status: 'status/edge-sensor/laptop_1',
      skills: 'skills/updated',
      request: 'upskill/request',
      progress: 'upskill/progress',
      filters: {
        frameEdge: 'frames/edge/+',
        frameEscalate: 'frames/escalate/+',
        reviewResult: 'reviews/result/+',
        status: 'status/+/+'
      }
    })
  })

  it('puts the prefix before every topic, adding the slash once', () => {
    expect(createTopics('hub1').frameEdge('cam')).toBe('hub1/frames/edge/cam')
    expect(createTopics('hub1/').skillsUpdated).toBe('hub1/skills/updated')
    expect(createTopics('a/b').filters.status).toBe('a/b/status/+/+')
  })

  it('refuses a prefix with wildcards', () => {
    expect(() => normalisePrefix('hub/#')).toThrow(/wildcard/)
    expect(() => normalisePrefix('+')).toThrow(/wildcard/)
  })

  it('refuses device names outside the allowed pattern', () => {
    const t = createTopics()
    expect(() => t.frameEdge('front door')).toThrow(/not allowed/)
    expect(() => t.frameEdge('a/b')).toThrow(/not allowed/)
    expect(() => t.frameEdge('x'.repeat(65))).toThrow(/not allowed/)
    expect(() => t.frameEdge('')).toThrow(/not allowed/)
    expect(t.frameEdge('x'.repeat(64))).toBe('frames/edge/' + 'x'.repeat(64))
  })

  it('takes a per-device topic apart', () => {
    const t = createTopics('hub1')
    expect(t.parse('hub1/frames/edge/cam-2'))
      .toEqual({ kind: 'frameEdge', device: 'cam-2' })
    expect(t.parse('hub1/frames/escalate/cam-2'))
      .toEqual({ kind: 'frameEscalate', device: 'cam-2' })
    expect(t.parse('hub1/reviews/result/cam-2'))
      .toEqual({ kind: 'reviewResult', device: 'cam-2' })
    expect(t.parse('frames/edge/cam-2')).toBeNull()
    expect(t.parse('hub1/frames/edge/a/b')).toBeNull()
    expect(t.parse('hub1/skills/updated')).toBeNull()
  })
})
