/**
 * The teacher's review loop: take escalations off the bus, have the teacher
 * model look at the full frame, judge the student's answer and publish the
 * review.
 *
 * Escalations are QoS 1. They wait in a bounded queue; when it is full the
 * PUBACK of the next one is held back, which stops mqtt.js reading more, so
 * the broker keeps them instead of this process dropping them.
 */
import type { MqttClient, IPublishPacket } from 'mqtt'
import type { Logger } from 'pino'
import {
  EscalationSchema, ReviewSchema, parsePayload, judgeVerdict,
  type Escalation, type Review, type Topics
} from '@gemmaedge/shared'
import type { VisionModel } from '@gemmaedge/shared/vision'
import type { ReviewSink } from './review-store.ts'

export interface ReviewerOptions {
  client: MqttClient
  topics: Topics
  model: VisionModel
  log: Logger
  teacherPrompt: string
  modelTimeoutMs: number
  maxPendingReviews: number
  /** Where each published review is kept with its frame; none when absent. */
  store?: ReviewSink
}

export interface ReviewerStats {
  received: number
  invalid: number
  duplicate: number
  reviewed: number
  failed: number
  /** Reviews published but not kept by the store. */
  notStored: number
}

/** How many recent frame ids are remembered to skip QoS 1 redeliveries. */
const SEEN_FRAMES = 512

export class Reviewer {
  readonly stats: ReviewerStats = {
    received: 0, invalid: 0, duplicate: 0, reviewed: 0, failed: 0, notStored: 0
  }

  private readonly o: ReviewerOptions
  private readonly log: Logger
  private readonly queue: Escalation[] = []
  private readonly seen = new Set<string>()
  private held: (() => void) | undefined
  private working: Promise<void> | undefined

  constructor (options: ReviewerOptions) {
    this.o = options
    this.log = options.log.child({ component: 'reviewer' })
  }

  /** Take over incoming messages and subscribe to escalations. */
  async start (): Promise<void> {
    const { client, topics } = this.o
    client.handleMessage = (packet, done) => this.receive(packet, done)
    await client.subscribeAsync(topics.filters.frameEscalate, { qos: 1 })
    this.log.info({ topic: topics.filters.frameEscalate }, 'reviewing escalations')
  }

  /** Wait for the queue to empty. */
  async idle (): Promise<void> {
    while (this.working !== undefined) await this.working
  }

  private receive (packet: IPublishPacket, done: (err?: Error) => void): void {
    const topic = packet.topic
    const where = this.o.topics.parse(topic)
    if (where?.kind !== 'frameEscalate') return done()
    this.stats.received++
    const parsed = parsePayload(EscalationSchema, packet.payload as Uint8Array)
    const reason = !parsed.ok
      ? parsed.reason
      : parsed.value.device !== where.device
        ? `device ${parsed.value.device} in the payload, ${where.device} in the topic`
        : null
    if (!parsed.ok || reason !== null) {
      this.stats.invalid++
      this.log.warn({ topic, reason, invalid: this.stats.invalid },
        'escalation dropped, invalid payload')
      return done()
    }
    if (this.isDuplicate(parsed.value.frameId)) {
      this.stats.duplicate++
      return done()
    }

    this.queue.push(parsed.value)
    this.working ??= this.drain()
    if (this.queue.length < this.o.maxPendingReviews) done()
    else this.held = done
  }

  private isDuplicate (frameId: string): boolean {
    if (this.seen.has(frameId)) return true
    this.seen.add(frameId)
    if (this.seen.size > SEEN_FRAMES) {
      this.seen.delete(this.seen.values().next().value as string)
    }
    return false
  }

  private async drain (): Promise<void> {
    for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
      const release = this.held
      this.held = undefined
      release?.()
      await this.review(next)
    }
    this.working = undefined
  }

  /** Review one escalation and publish the result; never throws. */
  async review (escalation: Escalation): Promise<Review | null> {
    const log = this.log.child({ frameId: escalation.frameId, device: escalation.device })
    let teacher
    try {
      teacher = await this.o.model.describe({
        image: Buffer.from(escalation.image.data, 'base64'),
        systemPrompt: this.o.teacherPrompt,
        timeoutMs: this.o.modelTimeoutMs
      })
    } catch (err) {
      this.stats.failed++
      log.warn({ err, failed: this.stats.failed }, 'review failed')
      return null
    }

    const { verdict, detail } = judgeVerdict(escalation.edge, teacher)
    const review: Review = ReviewSchema.parse({
      v: 1,
      frameId: escalation.frameId,
      device: escalation.device,
      seq: escalation.seq,
      capturedAt: escalation.capturedAt,
      reason: escalation.reason,
      reasons: escalation.reasons,
      edge: escalation.edge,
      teacher,
      verdict,
      verdictDetail: detail,
      reviewedAt: new Date().toISOString(),
      totalLatencyMs: Math.max(0, Date.now() - Date.parse(escalation.capturedAt))
    })
    // Not awaited: while the queue is full, incoming packets (this PUBACK
    // among them) are not read until the queue moves on.
    this.o.client.publish(this.o.topics.reviewResult(escalation.device),
      JSON.stringify(review), { qos: 1 }, (err) => {
        if (err != null) log.warn({ err }, 'review not delivered')
      })
    this.stats.reviewed++
    this.keep(review, escalation, log)
    log.info({ verdict, latencyMs: teacher.latencyMs }, 'frame reviewed')
    return review
  }

  /** Store the review for upskilling; a store failure never stops reviews. */
  private keep (review: Review, escalation: Escalation, log: Logger): void {
    if (this.o.store === undefined) return
    try {
      this.o.store.save(review, escalation.image)
    } catch (err) {
      this.stats.notStored++
      log.error({ err, notStored: this.stats.notStored }, 'review not stored')
    }
  }
}
