/**
 * The edge sensor's frame loop: take a frame, analyse it (frame-analyser.ts),
 * publish the edge result and, when the policy escalates and the budget
 * allows, the escalation with the full frame.
 */
import type { MqttClient } from 'mqtt'
import type { Logger } from 'pino'
import {
  EdgeResultSchema, EscalationSchema,
  type EdgeResult, type Escalation, type Topics
} from '@gemmaedge/shared'
import type { Frame, FrameSource } from './frame-source.ts'
import type { FrameAnalyser, Analysis } from './frame-analyser.ts'
import type { ActiveSkill } from './skill-file.ts'
import type { Calibration } from './calibration.ts'
import { EscalationBudget } from './escalation-budget.ts'

export interface EdgeSensorOptions {
  device: string
  source: FrameSource
  analyser: FrameAnalyser
  skill: ActiveSkill
  client: MqttClient
  topics: Topics
  log: Logger
  fps: number
  maxFrames: number
  maxPendingEscalations: number
  maxEscalationsPerMinute: number
  budgetQueueSize: number
  /** Where the audit estimate comes from; null when the edge learns nothing. */
  calibration: Calibration | null
}

export interface EdgeStats {
  seen: number
  analysed: number
  skipped: number
  escalated: number
  failed: number
  /** Escalations not sent: over the budget, or the broker not keeping up. */
  dropped: number
}

interface Pending { escalation: Escalation, log: Logger }

/** How often the counts are logged while the loop runs. */
const STATS_EVERY_MS = 60_000
/** Longest wait between captures while the camera keeps failing. */
const MAX_BACKOFF_MS = 30_000

export class EdgeSensor {
  private readonly o: EdgeSensorOptions
  private readonly log: Logger
  private readonly budget: EscalationBudget<Pending>
  private readonly runId = Date.now().toString(36)
  private readonly counts = { escalated: 0, failed: 0, unsent: 0 }
  private seq = 0
  private pending = 0
  private captureFailures = 0
  private lastAnalysedId: string | undefined
  private stopped = false
  private loop: Promise<void> | undefined

  constructor (options: EdgeSensorOptions) {
    this.o = options
    this.log = options.log.child({ component: 'edge-sensor', device: options.device })
    this.budget = new EscalationBudget({
      maxPerMinute: options.maxEscalationsPerMinute,
      queueSize: options.budgetQueueSize,
      send: (p) => this.send(p)
    })
  }

  get stats (): EdgeStats {
    const a = this.o.analyser.stats
    return {
      seen: a.seen,
      analysed: a.analysed,
      skipped: a.skipped,
      escalated: this.counts.escalated,
      failed: this.counts.failed,
      dropped: this.budget.dropped + this.counts.unsent
    }
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
    this.budget.stop()
  }

  private async run (): Promise<void> {
    const periodMs = 1000 / this.o.fps
    let statsAt = Date.now()
    while (!this.stopped) {
      if (Date.now() - statsAt >= STATS_EVERY_MS) {
        statsAt = Date.now()
        this.logStats('frame stats')
      }
      if (this.o.maxFrames > 0 && this.seq >= this.o.maxFrames) break
      const startedAt = Date.now()
      const frame = await this.nextFrame()
      if (frame === null) break
      if (frame !== undefined) await this.processFrame(frame)
      const waitMs = Math.max(periodMs, this.backoffMs()) - (Date.now() - startedAt)
      if (waitMs > 0 && !this.stopped) await sleep(waitMs)
    }
    this.logStats('frame loop ended')
  }

  private logStats (msg: string): void {
    const studentError = this.o.calibration?.errorEstimate()
    this.log.info({ stats: this.stats, reasons: this.o.analyser.reasonCounts, studentError }, msg)
  }

  private async nextFrame (): Promise<Frame | null | undefined> {
    try {
      const frame = await this.o.source.next()
      this.captureFailures = 0
      return frame
    } catch (err) {
      this.counts.failed++
      this.captureFailures++
      this.log.warn({ err, failures: this.captureFailures,
        retryMs: this.backoffMs() }, 'frame capture failed')
      return undefined
    }
  }

  /** After failed captures in a row, wait longer each time, up to 30 s. */
  private backoffMs (): number {
    if (this.captureFailures === 0) return 0
    return Math.min(MAX_BACKOFF_MS, 500 * 2 ** (this.captureFailures - 1))
  }

  /** Analyse one frame and publish what the contract says. */
  async processFrame (frame: Frame): Promise<EdgeResult | null> {
    const seq = this.seq++
    const log = this.log.child({ seq, source: frame.source })
    const skill = this.o.skill

    let analysis: Analysis
    try {
      analysis = await this.o.analyser.analyse(frame.bytes, seq, skill.text)
    } catch (err) {
      this.counts.failed++
      log.warn({ err }, 'frame not analysed')
      return null
    }

    let result = this.edgeResult(frame, seq, analysis, skill)
    if (!analysis.reused) this.lastAnalysedId = result.frameId
    if (analysis.reasons.length > 0) {
      const outcome = this.escalate(result, analysis, log)
      result = { ...result, escalated: outcome !== 'dropped', escalation: outcome }
    }
    this.o.client.publish(this.o.topics.frameEdge(this.o.device),
      JSON.stringify(result), { qos: 0 })
    log.debug({ escalated: result.escalated, reused: result.reused }, 'frame analysed')
    return result
  }

  private edgeResult (frame: Frame, seq: number, a: Analysis, skill: ActiveSkill): EdgeResult {
    const { answer, crossCheck } = a
    return EdgeResultSchema.parse({
      v: 1,
      frameId: `${this.o.device}-${this.runId}-${seq}`,
      device: this.o.device,
      seq,
      capturedAt: frame.capturedAt.toISOString(),
      ...answer,
      skillVersion: skill.version,
      escalated: false,
      reason: a.reasons[0] ?? null,
      reasons: a.reasons,
      source: frame.source,
      reused: a.reused,
      reusedFrom: a.reused ? this.lastAnalysedId : undefined,
      crossCheck: crossCheck === null
        ? undefined
        : { model: crossCheck.model, answer: crossCheck.answer, objects: crossCheck.objects },
      studentError: this.o.calibration?.errorEstimate(),
      thumbnail: a.encoded.thumbnail
    })
  }

  private escalate (result: EdgeResult, a: Analysis, log: Logger): 'sent' | 'queued' | 'dropped' {
    const escalation: Escalation = EscalationSchema.parse({
      v: 1,
      frameId: result.frameId,
      device: result.device,
      seq: result.seq,
      capturedAt: result.capturedAt,
      reason: result.reason,
      reasons: result.reasons,
      edge: { ...a.answer, skillVersion: result.skillVersion },
      image: {
        mime: 'image/jpeg',
        width: a.encoded.width,
        height: a.encoded.height,
        data: a.encoded.jpeg.toString('base64')
      }
    })
    const safety = result.reasons.some((r) => r.kind === 'safety')
    const outcome = this.budget.offer({ escalation, log }, safety)
    if (outcome === 'dropped') {
      log.warn({ reasons: result.reasons.map((r) => r.kind), dropped: this.stats.dropped },
        'escalation dropped, over MAX_ESCALATIONS_PER_MIN')
    }
    return outcome
  }

  private send ({ escalation, log }: Pending): void {
    if (this.pending >= this.o.maxPendingEscalations) {
      // Bounded: past the limit the broker is not keeping up or is gone.
      this.counts.unsent++
      log.warn({ pending: this.pending }, 'escalation dropped, too many waiting for the broker')
      return
    }
    this.pending++
    this.counts.escalated++
    this.o.client.publish(this.o.topics.frameEscalate(this.o.device),
      JSON.stringify(escalation), { qos: 1 }, (err) => {
        this.pending--
        if (err != null) log.warn({ err }, 'escalation not delivered')
      })
    log.info({ reasons: escalation.reasons.map((r) => r.kind) }, 'frame escalated')
  }
}

function sleep (ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
