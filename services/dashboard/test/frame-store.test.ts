import { describe, expect, it } from 'vitest'
import type { EdgeResult, Review } from '@gemmaedge/shared'
import { FrameStore, reasonsOf } from '../src/frame-store.ts'

// Only the fields the store reads; the schemas are tested in shared/.
const edge = (frameId: string, over: Partial<EdgeResult> = {}) =>
  ({ frameId, device: 'cam-1', reasons: [], reason: null, ...over }) as EdgeResult
const review = (frameId: string) => ({
  frameId, device: 'cam-1', reason: { kind: 'audit', detail: 'sampled' }
}) as Review

describe('FrameStore', () => {
  it('joins a review that comes after its edge result', () => {
    const store = new FrameStore()
    store.addEdgeResult(edge('f1'))
    store.addReview(review('f1'))
    expect(store.rows()).toEqual([
      { frameId: 'f1', device: 'cam-1', edge: edge('f1'), review: review('f1') }
    ])
  })

  it('joins a review that comes before its edge result', () => {
    const store = new FrameStore()
    store.addReview(review('f1'))
    store.addEdgeResult(edge('f1'))
    expect(store.rows()).toEqual([
      { frameId: 'f1', device: 'cam-1', edge: edge('f1'), review: review('f1') }
    ])
  })

  it('lists the newest first and keeps a row in place when it is reviewed', () => {
    const store = new FrameStore()
    store.addEdgeResult(edge('f1'))
    store.addEdgeResult(edge('f2'))
    store.addReview(review('f1'))
    expect(store.rows().map((r) => r.frameId)).toEqual(['f2', 'f1'])
  })

  it('keeps only the newest maxRows frames', () => {
    const store = new FrameStore(3)
    for (let i = 1; i <= 5; i++) store.addEdgeResult(edge(`f${i}`))
    expect(store.rows().map((r) => r.frameId)).toEqual(['f5', 'f4', 'f3'])
    expect(store.size).toBe(3)
  })

  it('gives a new row object on every change, so Lit sees it', () => {
    const store = new FrameStore()
    store.addEdgeResult(edge('f1'))
    const before = store.rows()[0]
    store.addReview(review('f1'))
    expect(store.rows()[0]).not.toBe(before)
  })
})

describe('reasonsOf', () => {
  it('prefers every reason the edge result lists', () => {
    const reasons = [{ kind: 'safety', detail: 'fire' },
      { kind: 'audit', detail: 'sampled' }]
    expect(reasonsOf({ frameId: 'f1', device: 'cam-1',
      edge: edge('f1', { reason: reasons[0] ?? null, reasons }) })).toEqual(reasons)
  })

  it('falls back to the review reason before the edge result arrives', () => {
    expect(reasonsOf({ frameId: 'f1', device: 'cam-1', review: review('f1') }))
      .toEqual([{ kind: 'audit', detail: 'sampled' }])
  })

  it('has none for a frame that was not escalated', () => {
    expect(reasonsOf({ frameId: 'f1', device: 'cam-1', edge: edge('f1') }))
      .toEqual([])
  })
})
