/**
 * The embedded detector as a vision model: COCO objects, faces and body
 * pose from @vladmandic/human, turned into a short factual answer. It runs
 * without Ollama or a network, so the hub works out of the box, and it is
 * fast enough to be a student. It cannot read a skill: the system prompt of
 * a request is ignored.
 */
import type { Config, Result } from '@vladmandic/human'
import { HubError, ErrorCodes } from '../errors.ts'
import { summarise, type Detection } from './detection-summary.ts'
import { decodeFrame, getHumanEngine, type HumanEngine } from './human-engine.ts'
import type { DescribeRequest, ModelRole, VisionAnswer, VisionModel } from './types.ts'

/** `fast` for the student, `thorough` for the teacher. */
export type DetectorProfile = 'fast' | 'thorough'

interface ProfileSpec {
  /** Human's settings for the profile: which models and their thresholds. */
  config: Partial<Config>
  /** Least pose score that counts as a person: movenet scores empty rooms up to 0.5. */
  minBodyScore: number
}

const OFF = { enabled: false }
const NO_SKIP = { skipFrames: 0, skipTime: 0 }

/**
 * Thresholds come from the 33 frames in /work/shared/frames. `fast` (object
 * detector at 0.35) names a person in 15 of the 17 frames with people;
 * `thorough` (0.25, plus faces and pose) in all 17. Neither names a person
 * in a frame without one. Below 0.25 the finds are mostly noise.
 */
const PROFILES: Record<DetectorProfile, ProfileSpec> = {
  fast: {
    config: {
      object: { enabled: true, minConfidence: 0.35, maxDetected: 10, ...NO_SKIP },
      face: OFF,
      body: OFF
    },
    minBodyScore: 1
  },
  thorough: {
    config: {
      object: { enabled: true, minConfidence: 0.25, maxDetected: 20, ...NO_SKIP },
      face: {
        enabled: true,
        detector: {
          enabled: true, maxDetected: 10, minConfidence: 0.5, rotation: false, ...NO_SKIP
        },
        // The mesh drops false faces: blazeface alone finds one on a cat.
        mesh: { enabled: true, ...NO_SKIP },
        iris: OFF, description: OFF, emotion: OFF, antispoof: OFF, liveness: OFF,
        attention: OFF, gear: OFF
      },
      body: { enabled: true, maxDetected: 1, minConfidence: 0.3, ...NO_SKIP }
    },
    minBodyScore: 0.55
  }
}

/** The detector profile that serves a role. */
export function profileFor (role: ModelRole): DetectorProfile {
  return role === 'teacher' ? 'thorough' : 'fast'
}

export interface DetectorModelOptions {
  /** Default `fast`. */
  profile?: DetectorProfile
}

/** The embedded detector. Call `ready()` to load its models before use. */
export class DetectorModel implements VisionModel {
  readonly kind = 'detector' as const
  readonly name: string
  readonly profile: DetectorProfile
  private readonly spec: ProfileSpec
  private engine: HumanEngine | undefined
  private closed = false

  constructor (options: DetectorModelOptions = {}) {
    this.profile = options.profile ?? 'fast'
    this.name = `human-detector/${this.profile}`
    this.spec = PROFILES[this.profile]
  }

  /** Start the shared engine and load this profile's models; no network. */
  async ready (): Promise<void> {
    const engine = await getHumanEngine()
    await engine.load(this.spec.config)
    this.engine = engine
  }

  async describe (request: DescribeRequest): Promise<VisionAnswer> {
    if (this.closed) {
      throw new HubError(ErrorCodes.MODEL_UNREACHABLE, `${this.name} is closed`)
    }
    if (request.image === undefined) {
      throw new HubError(ErrorCodes.IMAGE_INVALID,
        `${this.name} needs an image and got a text-only request; ` +
        'use an Ollama model (MODEL_BACKEND=ollama) for text cases')
    }
    if (this.engine === undefined) await this.ready()
    const engine = this.engine as HumanEngine

    // Per-frame time: decoding and detection, not the first model load.
    const started = performance.now()
    const frame = await decodeFrame(request.image)
    const result = await engine.detect(frame, this.spec.config)
    if (result.error !== null && result.error !== undefined) {
      throw new HubError(ErrorCodes.MODEL_BAD_ANSWER,
        `${this.name} failed on a frame: ${result.error}`)
    }

    const { detections, people } = this.read(result)
    const latencyMs = Math.round(performance.now() - started)
    return { model: this.name, ...summarise(detections, people), latencyMs }
  }

  /**
   * The engine stays loaded for the process: another detector may share it,
   * and loading again costs more than the memory it holds.
   */
  async close (): Promise<void> {
    this.closed = true
    this.engine = undefined
  }

  /** Every find with its score; people counted by whichever model saw most. */
  private read (result: Result): { detections: Detection[], people: number } {
    const objects = result.object
      .map((o): Detection => ({ label: o.label, score: o.score }))
    // The box score: the mesh score is near 1 for every face it keeps.
    const faces = result.face
      .map((f): Detection => ({ label: 'person', score: f.boxScore ?? f.score }))
    const bodies = result.body
      .filter((b) => b.score >= this.spec.minBodyScore)
      .map((b) => ({ label: 'person', score: b.score }))

    const personObjects = objects.filter((o) => o.label === 'person').length
    const people = Math.max(personObjects, faces.length, bodies.length)
    return { detections: [...objects, ...faces, ...bodies], people }
  }
}
