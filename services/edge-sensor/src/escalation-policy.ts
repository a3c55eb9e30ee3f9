/**
 * The escalation policy: the rules of policy-rules.ts run on every answer.
 * A frame is escalated when any rule fires; every reason that fired is kept
 * so the teacher and the dashboard see all of them, safety first.
 */
import type { Reason } from '@gemmaedge/shared'
import type { Calibration } from './calibration.ts'
import {
  safetyRule, confidenceRule, auditRule, sceneChangeRule, disagreementRule,
  type PolicyInput, type Rule
} from './policy-rules.ts'

export type { PolicyInput, Rule }

export interface PolicyOptions {
  escalateThreshold: number
  safetyKeywords: string[]
  /** Share of frames audited at random, 0 to 1. */
  auditRate: number
  auditEveryNFrames: number
  auditSeed: number
  /** Scene change (0..1) that escalates the next frame; 0 for off. */
  sceneChangeThreshold: number
  /** Learnt agreement per confidence band; null to use the threshold only. */
  calibration: Calibration | null
  minAgreement: number
}

export interface Policy {
  decide (input: PolicyInput): Reason[]
  /** How often each reason kind fired so far. */
  readonly counts: Readonly<Record<string, number>>
}

/** Defaults of every option but the threshold and keywords. */
export const POLICY_DEFAULTS = {
  auditRate: 0.1,
  auditEveryNFrames: 0,
  auditSeed: 1,
  sceneChangeThreshold: 0.25,
  calibration: null,
  minAgreement: 0.8
} as const

export function createPolicy (options: PolicyOptions): Policy {
  const rules = [
    safetyRule(options.safetyKeywords),
    confidenceRule(options.escalateThreshold, options.calibration, options.minAgreement),
    disagreementRule(),
    sceneChangeRule(options.sceneChangeThreshold),
    auditRule(options.auditRate, options.auditEveryNFrames, options.auditSeed)
  ]
  const counts: Record<string, number> = {}
  return {
    counts,
    decide (input) {
      const reasons: Reason[] = []
      for (const rule of rules) {
        const reason = rule.check(input)
        if (reason === null) continue
        reasons.push(reason)
        counts[reason.kind] = (counts[reason.kind] ?? 0) + 1
      }
      return reasons
    }
  }
}
