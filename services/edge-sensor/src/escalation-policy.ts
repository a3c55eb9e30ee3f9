/**
 * The escalation policy: small rules, each with its own reason kind, run on
 * every answer. A frame is escalated when any rule fires; every reason that
 * fired is kept so the teacher and the dashboard see all of them.
 */
import type { Reason } from '@gemmaedge/shared'
import type { VisionAnswer } from '@gemmaedge/shared/vision'

export interface PolicyInput {
  answer: VisionAnswer
  /** The frame's sequence number on this device, from 0. */
  seq: number
}

export interface Rule {
  readonly kind: string
  check (input: PolicyInput): Reason | null
}

export interface PolicyOptions {
  escalateThreshold: number
  safetyKeywords: string[]
  auditEveryNFrames: number
}

export interface Policy {
  decide (input: PolicyInput): Reason[]
}

/** Confidence below the threshold, or none given (never taken as sure). */
export function lowConfidenceRule (threshold: number): Rule {
  return {
    kind: 'low-confidence',
    check ({ answer }) {
      if (answer.confidence === null) {
        return { kind: this.kind, detail: 'the model gave no confidence' }
      }
      if (answer.confidence >= threshold) return null
      return {
        kind: this.kind,
        detail: `confidence ${answer.confidence.toFixed(2)} below ${threshold}`
      }
    }
  }
}

/** A regex matching any keyword as a whole word, plural forms included. */
export function keywordPattern (keywords: string[]): RegExp | null {
  const words = keywords.map((k) => k.trim()).filter((k) => k.length > 0)
  if (words.length === 0) return null
  const escaped = words.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(`\\b(${escaped.join('|')})(s|es)?\\b`, 'i')
}

/** The model's own safety flag or hazards, or a safety word in its answer. */
export function safetyRule (keywords: string[]): Rule {
  const pattern = keywordPattern(keywords)
  return {
    kind: 'safety',
    check ({ answer }) {
      if (answer.safety || answer.hazards.length > 0) {
        const named = answer.hazards.length > 0 ? answer.hazards.join(', ') : 'flagged'
        return { kind: this.kind, detail: `model reports hazard: ${named}` }
      }
      const match = pattern?.exec(answer.answer)
      if (match == null) return null
      return { kind: this.kind, detail: `answer names "${match[0].toLowerCase()}"` }
    }
  }
}

/** Every Nth frame goes to the teacher whatever the answer, to audit it. */
export function auditRule (everyNFrames: number): Rule {
  return {
    kind: 'audit',
    check ({ seq }) {
      if (everyNFrames <= 0 || (seq + 1) % everyNFrames !== 0) return null
      return { kind: this.kind, detail: `every ${everyNFrames}th frame is audited` }
    }
  }
}

export function createPolicy (options: PolicyOptions): Policy {
  const rules = [
    safetyRule(options.safetyKeywords),
    lowConfidenceRule(options.escalateThreshold),
    auditRule(options.auditEveryNFrames)
  ]
  return {
    decide (input) {
      const reasons: Reason[] = []
      for (const rule of rules) {
        const reason = rule.check(input)
        if (reason !== null) reasons.push(reason)
      }
      return reasons
    }
  }
}
