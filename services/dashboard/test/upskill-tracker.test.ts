import { describe, expect, it } from 'vitest'
import type { UpskillProgress } from '@gemmaedge/shared'
import { UpskillTracker } from '../src/upskill-tracker.ts'

const progress = (requestId: string | undefined, phase: string,
  over: Partial<UpskillProgress> = {}): UpskillProgress => ({
  v: 1, requestId, phase, done: 0, total: 1, best: null,
  at: '2026-12-03T14:39:12.000Z', ...over
})

describe('UpskillTracker', () => {
  it('is busy from our request until its run ends', () => {
    const tracker = new UpskillTracker()
    tracker.start('r-1')
    expect(tracker.busy).toBe(true)

    tracker.onProgress(progress('r-1', 'scoring'))
    expect(tracker.view).toEqual({
      pending: 'r-1', progress: progress('r-1', 'scoring'), ours: true,
      problem: null
    })

    tracker.onProgress(progress('r-1', 'refused'))
    expect(tracker.busy).toBe(false)
    expect(tracker.view.progress?.phase).toBe('refused')
  })

  it('keeps our run in view while another client reports', () => {
    const tracker = new UpskillTracker()
    tracker.start('r-1')
    tracker.onProgress(progress('r-1', 'scoring'))
    tracker.onProgress(progress('cli-1', 'refused'))
    tracker.onProgress(progress(undefined, 'loading'))
    expect(tracker.view.progress).toEqual(progress('r-1', 'scoring'))
  })

  it('shows any run when none of ours goes on', () => {
    const tracker = new UpskillTracker()
    tracker.onProgress(progress(undefined, 'writing'))
    expect(tracker.view).toMatchObject({ pending: null, ours: false })
    expect(tracker.busy).toBe(false)
  })

  it('gives up on a request nothing answered, until its progress comes', () => {
    const tracker = new UpskillTracker()
    tracker.start('r-1')
    tracker.fail('r-1', 'no answer')
    expect(tracker.view).toEqual({
      pending: null, progress: null, ours: true, problem: 'no answer'
    })

    tracker.onProgress(progress('r-1', 'baseline'))
    expect(tracker.view).toMatchObject({ pending: 'r-1', problem: null })
  })

  it('does not give up on a request that has progress', () => {
    const tracker = new UpskillTracker()
    tracker.start('r-1')
    tracker.onProgress(progress('r-1', 'writing'))
    tracker.fail('r-1', 'no answer')
    expect(tracker.view).toMatchObject({ pending: 'r-1', problem: null })
  })

  it('replaces the view object on every change', () => {
    const tracker = new UpskillTracker()
    const before = tracker.view
    tracker.start('r-1')
    expect(tracker.view).not.toBe(before)
  })
})
