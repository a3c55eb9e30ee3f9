/**
 * The threshold sweep: the same stored answers decided again by a policy
 * built for each threshold, all its other settings unchanged. Audits are
 * seeded and drawn once per frame in the same order, so the only thing
 * that moves between thresholds is the confidence rule.
 */
import type { Reason } from '@gemmaedge/shared'
import { createPolicy, type PolicyOptions } from '../escalation-policy.ts'
import {
  rowOf, totalsOf, type EvalRecord, type FrameRow, type Totals
} from './metrics.ts'

export const SWEEP_THRESHOLDS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]

export interface SweepPoint {
  threshold: number
  escalated: number
  escalationRate: number | null
  safetyRecall: number | null
  /** Of the frames kept at the edge, the share the teacher disagreed with. */
  missedRate: number | null
}

/**
 * Decide every record with a fresh policy, in run order. A failed frame
 * never reached the policy in the run, so it does not here either.
 */
export function decideAll (records: EvalRecord[], options: PolicyOptions): Reason[][] {
  const policy = createPolicy(options)
  return records.map(({ answer, crossCheck, seq }) => {
    if (answer === null) return []
    // Frames are independent scenes: no change is carried between them.
    return policy.decide({ answer, seq, change: null, crossCheck })
  })
}

export function rowsOf (records: EvalRecord[], options: PolicyOptions): FrameRow[] {
  const decisions = decideAll(records, options)
  return records.map((record, i) => rowOf(record, decisions[i] ?? []))
}

function pointOf (threshold: number, totals: Totals): SweepPoint {
  return {
    threshold,
    escalated: totals.escalated,
    escalationRate: totals.escalationRate,
    safetyRecall: totals.safetyRecall,
    missedRate: totals.teacher?.missedRate ?? null
  }
}

export function sweep (
  records: EvalRecord[], options: PolicyOptions, thresholds = SWEEP_THRESHOLDS
): SweepPoint[] {
  return thresholds.map((threshold) => {
    const rows = rowsOf(records, { ...options, escalateThreshold: threshold })
    return pointOf(threshold, totalsOf(rows))
  })
}
