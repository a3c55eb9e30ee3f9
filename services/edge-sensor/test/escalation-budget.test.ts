import { describe, it, expect, vi, afterEach } from 'vitest'
import { EscalationBudget } from '../src/escalation-budget.ts'

afterEach(() => { vi.useRealTimers() })

describe('escalation budget', () => {
  it('caps a burst, never drops safety, queues a few and drops the rest', () => {
    const sent: string[] = []
    const budget = new EscalationBudget<string>({
      maxPerMinute: 3, queueSize: 2, send: (s) => sent.push(s)
    })
    const outcomes = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => budget.offer(x, false))
    const safety = ['fire-1', 'fire-2', 'fire-3'].map((x) => budget.offer(x, true))

    expect(outcomes).toEqual(['sent', 'sent', 'sent', 'queued', 'queued', 'dropped'])
    expect(safety).toEqual(['sent', 'sent', 'sent'])
    expect(sent).toEqual(['a', 'b', 'c', 'fire-1', 'fire-2', 'fire-3'])
    expect({ dropped: budget.dropped, waiting: budget.waiting }).toEqual({ dropped: 1, waiting: 2 })
    budget.stop()
    expect(budget.dropped).toBe(3)
  })

  it('sends what waited once the minute frees up', () => {
    vi.useFakeTimers()
    const sent: string[] = []
    const budget = new EscalationBudget<string>({
      maxPerMinute: 2, queueSize: 5, send: (s) => sent.push(s)
    })
    for (const x of ['a', 'b', 'c', 'd', 'e']) budget.offer(x, false)
    expect(sent).toEqual(['a', 'b'])

    vi.advanceTimersByTime(60_001)
    expect(sent).toEqual(['a', 'b', 'c', 'd'])
    vi.advanceTimersByTime(60_001)
    expect(sent).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(budget.waiting).toBe(0)
  })

  it('has no cap at 0', () => {
    const budget = new EscalationBudget<number>({ maxPerMinute: 0, queueSize: 0, send: () => {} })
    const outcomes = Array.from({ length: 100 }, (_, i) => budget.offer(i, false))
    expect(new Set(outcomes)).toEqual(new Set(['sent']))
  })
})
