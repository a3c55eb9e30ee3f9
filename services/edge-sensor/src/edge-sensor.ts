/**
 * The edge sensor's frame loop: take a frame, have the student describe it,
 * let the policy decide, publish the edge result and, when escalated, the
 * escalation with the full frame.
 */
import type { MqttClient } from 'mqtt'
import type { Logger } from 'pino'
import {
  EdgeResultSchema, EscalationSchema, describeError,
  type EdgeResult, type Escalation, type Topics
} from '@gemmaedge/shared'
import type { VisionModel, VisionAnswer } from '@gemmaedge/shared/vision'
import type { FrameSource, Frame } from './frame-source.ts'
import type { Policy } from './escalation-policy.ts'
import type { ActiveSkill } from './skill-file.ts'
import { encodeFrame, type EncodedFrame } from './frame-encoder.ts'

export interface EdgeSensorOptions {
  device: string
  source: FrameSource
  model: VisionModel
  policy: Policy
  skill: ActiveSkill
  client: MqttClient
  topics: Topics
  log: Logger
  fps: number
  maxFrames: number
  modelTimeoutMs: number
  thumbnailWidth: number
  maxPendingEscalations: number
}

export interface EdgeStats {
  seen: number
  analysed: number
  escalated: number
  failed: number
  dropped: number
}

export class EdgeSensor {
  readonly stats: EdgeStats = { seen: 0, analysed: 0, escalated: 0, failed: 0, dropped: 0 }
  private readonly o: EdgeSensorOptions
  private readonly log: Logger
  private readonly runId = Date.now().toString(36)
  private seq = 0
  private pending = 0
  private stopped = false
  private loop: Promise<void> | undefined

  constructor (options: EdgeSensorOptions) {
    this.o = options
    this.log = options.log.child({ component: 'edge-sensor', device: options.device })
  }

  get skill (): ActiveSkill {
    return this.o.skill
  }

  /** Swap the skill; the next frame is described with it. */
  setSkill (skill: ActiveSkill): void {
    this.o.skill = skill
  }

  /** Run the frame loop until stop(), the source ends or maxFrames. */
  start (): Promise<void> {
    this.loop ??= this.run()
    return this.loop
  }

  async stop (): Promise<void> {
    this.stopped = true
    await this.loop
  }

  private async run (): Promise<void> {
    const periodMs = 1000 / this.o.fps
    while (!this.stopped) {
      if (this.o.maxFrames > 0 && this.stats.seen >= this.o.maxFrames) break
      const startedAt = Date.now()
      const frame = await this.nextFrame()
      if (frame === null) break
      if (frame !== undefined) await this.processFrame(frame)
      const waitMs = periodMs - (Date.now() - startedAt)
      if (waitMs > 0 && !this.stopped) await sleep(waitMs)
    }
    this.log.info({ stats: this.stats }, 'frame loop ended')
  }

  private async nextFrame (): Promise<Frame | null | undefined> {
    try {
      return await this.o.source.next()
    } catch (err) {
      this.stats.failed++
      this.log.warn({ err: describeError(err) }, 'frame capture failed')
      return undefined
    }
  }

  /** Analyse one frame and publish what the contract says. */
  async processFrame (frame: Frame): Promise<EdgeResult | null> {
    const seq = this.seq++
    this.stats.seen++
    const log = this.log.child({ seq, source: frame.source })

    let encoded: EncodedFrame
    let answer: VisionAnswer
    const skill = this.o.skill
    try {
      encoded = await encodeFrame(frame.bytes, this.o.thumbnailWidth)
      answer = await this.o.model.describe({
        image: encoded.jpeg,
        systemPrompt: skill.text,
        timeoutMs: this.o.modelTimeoutMs
      })
    } catch (err) {
      this.stats.failed++
      log.warn({ err: describeError(err) }, 'frame not analysed')
      return null
    }
    this.stats.analysed++

    const reasons = this.o.policy.decide({ answer, seq })
    const result = this.edgeResult(frame, seq, answer, skill, reasons, encoded)
    this.o.client.publish(this.o.topics.frameEdge(this.o.device),
      JSON.stringify(result), { qos: 0 })
    log.debug({ escalated: result.escalated, latencyMs: answer.latencyMs }, 'frame analysed')

    if (result.escalated) this.escalate(result, encoded, log)
    return result
  }

  private edgeResult (
    frame: Frame, seq: number, answer: VisionAnswer, skill: ActiveSkill,
    reasons: EdgeResult['reasons'], encoded: EncodedFrame
  ): EdgeResult {
    return EdgeResultSchema.parse({
      v: 1,
      frameId: `${this.o.device}-${this.runId}-${seq}`,
      device: this.o.device,
      seq,
      capturedAt: frame.capturedAt.toISOString(),
      ...answer,
      skillVersion: skill.version,
      escalated: reasons.length > 0,
      reason: reasons[0] ?? null,
      reasons,
      source: frame.source,
      thumbnail: encoded.thumbnail
    })
  }

  private escalate (result: EdgeResult, encoded: EncodedFrame, log: Logger): void {
    if (this.pending >= this.o.maxPendingEscalations) {
      // Bounded: past the limit the broker is not keeping up or is gone.
      this.stats.dropped++
      log.warn({ pending: this.pending, dropped: this.stats.dropped },
        'escalation dropped, too many waiting for the broker')
      return
    }
    const escalation: Escalation = EscalationSchema.parse({
      v: 1,
      frameId: result.frameId,
      device: result.device,
      seq: result.seq,
      capturedAt: result.capturedAt,
      reason: result.reason,
      reasons: result.reasons,
      edge: edgeAnswerOf(result),
      image: {
        mime: 'image/jpeg',
        width: encoded.width,
        height: encoded.height,
        data: encoded.jpeg.toString('base64')
      }
    })

    this.pending++
    this.stats.escalated++
    this.o.client.publish(this.o.topics.frameEscalate(this.o.device),
      JSON.stringify(escalation), { qos: 1 }, (err) => {
        this.pending--
        if (err != null) log.warn({ err: describeError(err) }, 'escalation not delivered')
      })
    log.info({ reasons: result.reasons.map((r) => r.kind), bytes: encoded.jpeg.length },
      'frame escalated')
  }
}

function edgeAnswerOf (r: EdgeResult): Escalation['edge'] {
  return {
    model: r.model,
    answer: r.answer,
    confidence: r.confidence,
    safety: r.safety,
    hazards: r.hazards,
    objects: r.objects,
    latencyMs: r.latencyMs,
    skillVersion: r.skillVersion
  }
}

function sleep (ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
