/**
 * One frame through the edge: skip it if the scene did not change, else
 * have the student describe it (and the detector, where it cross-checks),
 * then let the policy decide. No bus here, so `npm run eval` runs exactly
 * what the sensor runs.
 */
import type { Reason } from '@gemmaedge/shared'
import type { VisionModel, VisionAnswer } from '@gemmaedge/shared/vision'
import type { Policy } from './escalation-policy.ts'
import { encodeFrame, type EncodedFrame } from './frame-encoder.ts'
import { sceneSignature, sceneChange, type SceneSignature } from './scene-signature.ts'

export interface AnalyserOptions {
  model: VisionModel
  /** A second model (the detector) to cross-check the student; or null. */
  crossCheck: VisionModel | null
  policy: Policy
  thumbnailWidth: number
  modelTimeoutMs: number
  /** Reuse the last answer while the scene changes less than this; 0 for off. */
  skipBelowChange: number
}

export interface Analysis {
  encoded: EncodedFrame
  answer: VisionAnswer
  crossCheck: VisionAnswer | null
  reasons: Reason[]
  /** The answer is the last analysed frame's: the scene had not changed. */
  reused: boolean
  /** Change from the last analysed frame, 0..1, or null for the first. */
  change: number | null
}

export interface AnalyserStats {
  seen: number
  analysed: number
  skipped: number
}

export class FrameAnalyser {
  readonly stats: AnalyserStats = { seen: 0, analysed: 0, skipped: 0 }
  private last: {
    signature: SceneSignature, answer: VisionAnswer, crossCheck: VisionAnswer | null
  } | null = null

  constructor (private readonly o: AnalyserOptions) {}

  /** How often each reason kind fired so far. */
  get reasonCounts (): Readonly<Record<string, number>> {
    return this.o.policy.counts
  }

  /** Analyse a frame. Throws on an unreadable image or a failed model call. */
  async analyse (image: Uint8Array, seq: number, skill: string): Promise<Analysis> {
    this.stats.seen++
    // Encoding first: it is what says clearly that an image is unreadable.
    const encoded = await encodeFrame(image, this.o.thumbnailWidth)
    const signature = await sceneSignature(encoded.jpeg)
    const change = this.last === null ? null : sceneChange(this.last.signature, signature)

    if (this.last !== null && change !== null && change < this.o.skipBelowChange) {
      this.stats.skipped++
      const { answer, crossCheck } = this.last
      return {
        encoded, answer: { ...answer, latencyMs: 0 }, crossCheck, reasons: [],
        reused: true, change
      }
    }

    const request = { image: encoded.jpeg, systemPrompt: skill, timeoutMs: this.o.modelTimeoutMs }
    const [answer, crossCheck] = await Promise.all([
      this.o.model.describe(request),
      this.o.crossCheck?.describe(request) ?? null
    ])
    this.stats.analysed++
    this.last = { signature, answer, crossCheck }

    const reasons = this.o.policy.decide({ answer, seq, change, crossCheck })
    return { encoded, answer, crossCheck, reasons, reused: false, change }
  }
}
