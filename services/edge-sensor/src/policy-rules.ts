/**
 * The escalation rules. Each is small, has its own reason kind and its own
 * settings, and says why it fired in the reason's detail.
 */
import type { Reason } from '@gemmaedge/shared'
import type { VisionAnswer } from '@gemmaedge/shared/vision'
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import type { Calibration } from './calibration.ts'

export interface PolicyInput {
  answer: VisionAnswer
  /** The frame's sequence number on this device, from 0. */
  seq: number
  /** How much the scene changed since the last analysed frame, or null. */
  change: number | null
  /** The detector's answer on the same frame, where the edge runs both. */
  crossCheck: VisionAnswer | null
}

export interface Rule {
  readonly kind: string
  check (input: PolicyInput): Reason | null
}

/**
 * Confidence too low to trust. Where the calibration knows the band, the
 * teacher's past agreement decides (kind `calibrated`); elsewhere the raw
 * threshold does (kind `low-confidence`). A missing confidence always
 * escalates: it is never taken as sure.
 */
export function confidenceRule (
  threshold: number, calibration: Calibration | null, minAgreement: number
): Rule {
  return {
    kind: 'low-confidence',
    check ({ answer }) {
      const c = answer.confidence
      if (c === null) return { kind: 'low-confidence', detail: 'the model gave no confidence' }
      const agreement = calibration?.agreement(c) ?? null
      if (agreement !== null) {
        if (agreement >= minAgreement) return null
        return {
          kind: 'calibrated',
          detail: `teacher agreed with ${Math.round(agreement * 100)}% of answers ` +
            `at confidence ${c.toFixed(2)}, below ${minAgreement}`
        }
      }
      if (c >= threshold) return null
      return { kind: 'low-confidence', detail: `confidence ${c.toFixed(2)} below ${threshold}` }
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
        return { kind: 'safety', detail: `model reports hazard: ${named}` }
      }
      const match = pattern?.exec(answer.answer)
      if (match == null) return null
      return { kind: 'safety', detail: `answer names "${match[0].toLowerCase()}"` }
    }
  }
}

/**
 * Audits: a seeded random sample at `rate`, which is what gives an unbiased
 * estimate of how often the student is wrong, and a fixed stride of every
 * Nth frame for those who want one. Either can be 0 (off).
 */
export function auditRule (rate: number, everyNFrames: number, seed: number): Rule {
  const rng = xoroshiro128plus(seed)
  return {
    kind: 'audit',
    check ({ seq }) {
      // Drawn on every frame, so the sample does not depend on the answers.
      const draw = uniformFloat64(rng)
      if (everyNFrames > 0 && (seq + 1) % everyNFrames === 0) {
        return { kind: 'audit', detail: `every ${everyNFrames}th frame is audited` }
      }
      if (draw < rate) return { kind: 'audit', detail: `random audit at rate ${rate}` }
      return null
    }
  }
}

/** The first frame after the scene changed by more than `threshold`. */
export function sceneChangeRule (threshold: number): Rule {
  return {
    kind: 'scene-change',
    check ({ change }) {
      if (threshold <= 0 || change === null || change < threshold) return null
      return {
        kind: 'scene-change',
        detail: `scene changed by ${Math.round(change * 100)}%, ` +
          `over ${Math.round(threshold * 100)}%`
      }
    }
  }
}

const PERSON_NOUNS = [
  'person', 'people', 'man', 'men', 'woman', 'women', 'child', 'children', 'boy',
  'girl', 'kid', 'someone', 'somebody', 'adult', 'baby', 'crowd', 'pedestrian',
  'worker', 'customer'
]
const PERSON_WORDS = new RegExp(`\\b(${PERSON_NOUNS.join('|')})s?\\b`, 'i')

/** Whether an answer says there is somebody in the frame. */
export function mentionsPerson (answer: VisionAnswer): boolean {
  if (answer.objects.includes('person')) return true
  return PERSON_WORDS.test(answer.answer) &&
    !/\b(no|nobody|without|empty of) (one|people|person)\b/i.test(answer.answer) &&
    !/\bnobody\b|\bno one\b/i.test(answer.answer)
}

/**
 * The detector and the language model disagree on what matters: somebody
 * one of them sees and the other does not, or a hazard the detector found
 * that the answer leaves out.
 */
export function disagreementRule (): Rule {
  return {
    kind: 'disagreement',
    check ({ answer, crossCheck }) {
      if (crossCheck === null) return null
      const seen = crossCheck.objects.includes('person')
      const said = mentionsPerson(answer)
      if (seen && !said) {
        return {
          kind: 'disagreement',
          detail: 'detector sees a person the answer does not mention'
        }
      }
      if (said && !seen) {
        return {
          kind: 'disagreement',
          detail: 'answer mentions a person the detector does not see'
        }
      }
      const missed = crossCheck.hazards.filter((h) => !answer.answer.toLowerCase().includes(h))
      if (missed.length === 0 || answer.safety) return null
      return {
        kind: 'disagreement',
        detail: `detector sees ${missed.join(', ')} the answer leaves out`
      }
    }
  }
}
