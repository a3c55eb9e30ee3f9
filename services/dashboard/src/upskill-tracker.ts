/**
 * Where upskilling stands, from our requests and `upskill/progress`. A run
 * of ours lasts from the request until its progress reports an ending
 * phase. While none of ours goes on, any run's progress is shown, so a run
 * started from the CLI or another dashboard shows too.
 */
import type { UpskillProgress } from '@gemmaedge/shared'

/** Phases after which a run is over. */
export const ENDING_PHASES: readonly string[] = ['done', 'failed', 'refused']

export function isEnding (phase: string): boolean {
  return ENDING_PHASES.includes(phase)
}

/** A snapshot, replaced on every change so a Lit property sees it. */
export interface UpskillView {
  /** Our request whose run has not ended, or null. */
  pending: string | null
  /** The newest progress shown, of our run or another. */
  progress: UpskillProgress | null
  /** The progress shown is about our latest request. */
  ours: boolean
  /** Why our latest request got no run, when no progress says so. */
  problem: string | null
}

const IDLE: UpskillView = {
  pending: null, progress: null, ours: false, problem: null
}

export class UpskillTracker {
  view: UpskillView = IDLE
  private lastRequestId: string | null = null

  /** A run of ours is in progress: no second request until it ends. */
  get busy (): boolean {
    return this.view.pending !== null
  }

  /** We sent a request; wait for its progress. */
  start (requestId: string): void {
    this.lastRequestId = requestId
    this.view = { pending: requestId, progress: null, ours: true, problem: null }
  }

  onProgress (progress: UpskillProgress): void {
    const mine = progress.requestId !== undefined &&
      progress.requestId === this.lastRequestId
    // Keep our run in view; another client's refused request, say, can
    // arrive while it goes on.
    if (this.busy && !mine) return

    const ended = isEnding(progress.phase)
    this.view = {
      // Progress of ours after we gave up waiting makes it ours again.
      pending: mine && !ended ? progress.requestId ?? null : null,
      progress,
      ours: mine,
      problem: null
    }
  }

  /**
   * Our request will not get a run: it was not sent, or nothing answered.
   * Ignored once progress of that request has come in.
   */
  fail (requestId: string, problem: string): void {
    if (this.view.pending !== requestId || this.view.progress !== null) return
    this.view = { ...this.view, pending: null, problem }
  }
}
