/**
 * The rows of the dashboard: edge results and reviews joined by frameId,
 * newest first, bounded. A review may arrive before its edge result (they
 * come from different services), so either one can open a row.
 */
import type { EdgeResult, Reason, Review } from '@gemmaedge/shared'

/** One frame as the dashboard shows it. */
export interface FrameRow {
  frameId: string
  device: string
  /** The edge result, once it has arrived. */
  edge?: EdgeResult
  /** The teacher's review, once it has arrived. */
  review?: Review
}

/** Rows kept when no bound is given. */
export const DEFAULT_MAX_ROWS = 200

/**
 * Holds the newest `maxRows` frames. Every change replaces the row object,
 * so a Lit property holding it sees the change.
 */
export class FrameStore {
  readonly maxRows: number
  // A Map keeps insertion order: the first key is the oldest frame.
  private readonly byId = new Map<string, FrameRow>()

  constructor (maxRows = DEFAULT_MAX_ROWS) {
    this.maxRows = maxRows
  }

  get size (): number {
    return this.byId.size
  }

  addEdgeResult (edge: EdgeResult): void {
    const row = this.byId.get(edge.frameId)
    this.put({ frameId: edge.frameId, device: edge.device, ...row, edge })
  }

  addReview (review: Review): void {
    const row = this.byId.get(review.frameId)
    this.put({ frameId: review.frameId, device: review.device, ...row, review })
  }

  /** Rows, newest first. */
  rows (): FrameRow[] {
    return [...this.byId.values()].reverse()
  }

  private put (row: FrameRow): void {
    // Set on an existing key keeps its place, so a row does not jump to the
    // top when its review comes in.
    this.byId.set(row.frameId, row)
    while (this.byId.size > this.maxRows) {
      const oldest = this.byId.keys().next().value
      if (oldest === undefined) break
      this.byId.delete(oldest)
    }
  }
}

/** Every reason a frame was escalated, from whichever payload has them. */
export function reasonsOf (row: FrameRow): Reason[] {
  const edge = row.edge
  if (edge !== undefined) {
    if (edge.reasons.length > 0) return edge.reasons
    if (edge.reason !== null) return [edge.reason]
  }
  return row.review === undefined ? [] : [row.review.reason]
}
