/**
 * A cap on escalations per minute, so a busy scene cannot flood the teacher.
 * Safety escalations always go. Others over the cap wait in a small queue
 * and go as the minute frees up; when the queue is full they are dropped
 * and counted.
 */

export type BudgetOutcome = 'sent' | 'queued' | 'dropped'

export interface BudgetOptions<T> {
  /** Escalations per rolling minute; 0 for no cap. */
  maxPerMinute: number
  /** Escalations that may wait for room. */
  queueSize: number
  send (item: T): void
  now?: () => number
}

const MINUTE_MS = 60_000

export class EscalationBudget<T> {
  dropped = 0
  private readonly sentAt: number[] = []
  private readonly queue: T[] = []
  private timer: NodeJS.Timeout | undefined

  constructor (private readonly o: BudgetOptions<T>) {}

  get waiting (): number {
    return this.queue.length
  }

  offer (item: T, safety: boolean): BudgetOutcome {
    if (safety || this.o.maxPerMinute <= 0 || this.hasRoom()) {
      this.send(item)
      return 'sent'
    }
    if (this.queue.length >= this.o.queueSize) {
      this.dropped++
      return 'dropped'
    }
    this.queue.push(item)
    this.schedule()
    return 'queued'
  }

  /** Stop the timer; what still waits is dropped and counted. */
  stop (): void {
    clearTimeout(this.timer)
    this.dropped += this.queue.length
    this.queue.length = 0
  }

  private now (): number {
    return (this.o.now ?? Date.now)()
  }

  private hasRoom (): boolean {
    const since = this.now() - MINUTE_MS
    while (this.sentAt.length > 0 && (this.sentAt[0] as number) <= since) this.sentAt.shift()
    return this.sentAt.length < this.o.maxPerMinute
  }

  private send (item: T): void {
    this.sentAt.push(this.now())
    // Safety sends are not capped, but the record of them is.
    if (this.sentAt.length > Math.max(this.o.maxPerMinute, 1) * 4) this.sentAt.shift()
    this.o.send(item)
  }

  private schedule (): void {
    if (this.timer !== undefined) return
    const oldest = this.sentAt[0] ?? this.now()
    const waitMs = Math.max(0, oldest + MINUTE_MS - this.now()) + 1
    this.timer = setTimeout(() => this.flush(), waitMs)
    this.timer.unref()
  }

  private flush (): void {
    this.timer = undefined
    while (this.queue.length > 0 && this.hasRoom()) this.send(this.queue.shift() as T)
    if (this.queue.length > 0) this.schedule()
  }
}
