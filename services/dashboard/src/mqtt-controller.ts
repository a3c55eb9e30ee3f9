/**
 * The dashboard's one link to the bus: a Lit reactive controller that
 * connects when its host joins the page and ends when it leaves. Every
 * payload is validated; a bad one is counted and dropped. It also sends
 * upskill requests, validated before they go.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import mqtt, { type MqttClient } from 'mqtt'
import {
  createTopics, parsePayload, EdgeResultSchema, ReviewSchema, StatusSchema,
  UpskillProgressSchema, UpskillRequestSchema, readSkillPayload,
  type PublishedSkill, type Status, type Topics, type UpskillRequest
} from '@gemmaedge/shared'
import { FrameStore, type FrameRow } from './frame-store.ts'
import { UpskillTracker, type UpskillView } from './upskill-tracker.ts'

const wrongDevice = 'payload device differs from the device in the topic'

export type ConnectionState =
  'connecting' | 'connected' | 'reconnecting' | 'offline'

export interface MqttControllerOptions {
  /** Broker URL, `ws://host:9001`. */
  url: string
  topicPrefix?: string
  /** Rows kept, newest first. */
  maxRows?: number
  /** How long to wait for the first progress of our request; 20000. */
  upskillAnswerMs?: number
}

/** The student's error rate, from the newest edge result that has one. */
export interface StudentError {
  device: string
  capturedAt: string
  /** Audited frames the estimate rests on. */
  audited: number
  /** Share of them the teacher found wrong, null before any. */
  rate: number | null
}

/** What the last dropped payload was, for the dropped counter's tooltip. */
export interface Drop {
  topic: string
  reason: string
}

export class MqttController implements ReactiveController {
  state: ConnectionState = 'connecting'
  /** Payloads that did not validate, since the page loaded. */
  dropped = 0
  lastDrop: Drop | null = null
  rows: FrameRow[] = []
  /** Latest status per `service/instance`, sorted by that key. */
  statuses: Status[] = []
  /** The retained skill on `skills/updated`, null before one arrives. */
  skill: PublishedSkill | null = null
  studentError: StudentError | null = null

  readonly url: string
  private readonly host: ReactiveControllerHost
  private readonly topics: Topics
  private readonly store: FrameStore
  private readonly statusByKey = new Map<string, Status>()
  private readonly statusBase: string
  private readonly upskill = new UpskillTracker()
  private readonly upskillAnswerMs: number
  private answerTimer: ReturnType<typeof setTimeout> | undefined
  private client: MqttClient | null = null

  constructor (host: ReactiveControllerHost, options: MqttControllerOptions) {
    this.host = host
    this.url = options.url
    this.topics = createTopics(options.topicPrefix)
    this.store = new FrameStore(options.maxRows)
    this.upskillAnswerMs = options.upskillAnswerMs ?? 20_000
    // 'status/+/+' less its wildcards: what every status topic starts with.
    this.statusBase = this.topics.filters.status.slice(0, -3)
    host.addController(this)
  }

  hostConnected (): void {
    const client = mqtt.connect(this.url, {
      clientId: `dashboard-${Math.random().toString(16).slice(2, 10)}`,
      reconnectPeriod: 2000,
      // Subscribed again on every connect below, since the session is clean.
      resubscribe: false
    })
    client.on('connect', () => {
      const { filters, skillsUpdated, upskillProgress } = this.topics
      const subscriptions = [filters.frameEdge, filters.reviewResult,
        filters.status, skillsUpdated, upskillProgress]
      // Connected means live: only once the broker has granted the
      // subscriptions will frames reach the page.
      client.subscribe(subscriptions, { qos: 1 }, (err) => {
        if (err) console.warn('mqtt subscribe failed', err.message)
        else this.setState('connected')
      })
    })
    client.on('reconnect', () => this.setState('reconnecting'))
    client.on('offline', () => this.setState('offline'))
    client.on('error', (err) => console.warn('mqtt error', err.message))
    client.on('message', (topic, payload) => this.onMessage(topic, payload))
    this.client = client
  }

  hostDisconnected (): void {
    clearTimeout(this.answerTimer)
    this.client?.end(true)
    this.client = null
  }

  /** Upskilling as the page shows it. */
  get upskilling (): UpskillView {
    return this.upskill.view
  }

  /**
   * Ask the upskiller for a run (QoS 1). Never throws: a request that is
   * not valid or not sent shows as the view's `problem`.
   */
  async requestUpskill (candidates?: number): Promise<void> {
    const client = this.client
    if (client === null || this.upskill.busy) return

    const requestId = newRequestId()
    const request: UpskillRequest = { v: 1, requestId }
    if (candidates !== undefined) request.candidates = candidates
    this.upskill.start(requestId)
    this.host.requestUpdate()

    const checked = UpskillRequestSchema.safeParse(request)
    if (!checked.success) {
      const why = checked.error.issues
        .map((i) => `${i.path.join('.')} ${i.message}`).join('; ')
      return this.failRequest(requestId, `request not sent: ${why}`)
    }
    this.awaitAnswer(requestId)
    try {
      await client.publishAsync(this.topics.upskillRequest,
        JSON.stringify(checked.data), { qos: 1 })
    } catch (err) {
      this.failRequest(requestId, `request not sent: ${(err as Error).message}`)
    }
  }

  /** Give up on a request no upskiller answers, so it can be sent again. */
  private awaitAnswer (requestId: string): void {
    clearTimeout(this.answerTimer)
    this.answerTimer = setTimeout(() => this.failRequest(requestId,
      `no answer on ${this.topics.upskillProgress} in ` +
      `${this.upskillAnswerMs / 1000} s; is the upskiller running?`),
    this.upskillAnswerMs)
  }

  private failRequest (requestId: string, problem: string): void {
    this.upskill.fail(requestId, problem)
    this.host.requestUpdate()
  }

  private setState (state: ConnectionState): void {
    this.state = state
    this.host.requestUpdate()
  }

  private onMessage (topic: string, payload: Uint8Array): void {
    const route = this.topics.parse(topic)
    if (route?.kind === 'frameEdge') {
      this.onEdgeResult(route.device, topic, payload)
    } else if (route?.kind === 'reviewResult') {
      this.onReview(route.device, topic, payload)
    } else if (topic.startsWith(this.statusBase)) {
      this.onStatus(topic, payload)
    } else if (topic === this.topics.skillsUpdated) {
      this.onSkill(topic, payload)
    } else if (topic === this.topics.upskillProgress) {
      this.onProgress(topic, payload)
    }
    this.host.requestUpdate()
  }

  private onEdgeResult (device: string, topic: string,
    payload: Uint8Array): void {
    const parsed = parsePayload(EdgeResultSchema, payload)
    if (!parsed.ok) return this.drop(topic, parsed.reason)
    if (parsed.value.device !== device) return this.drop(topic, wrongDevice)

    this.store.addEdgeResult(parsed.value)
    this.rows = this.store.rows()
    const { studentError, capturedAt } = parsed.value
    if (studentError !== undefined) {
      this.studentError = { device, capturedAt, ...studentError }
    }
  }

  private onReview (device: string, topic: string,
    payload: Uint8Array): void {
    const parsed = parsePayload(ReviewSchema, payload)
    if (!parsed.ok) return this.drop(topic, parsed.reason)
    if (parsed.value.device !== device) return this.drop(topic, wrongDevice)

    this.store.addReview(parsed.value)
    this.rows = this.store.rows()
  }

  private onStatus (topic: string, payload: Uint8Array): void {
    const key = topic.slice(this.statusBase.length)
    // An empty retained payload clears the status (MQTT-3.3.1-10).
    if (payload.length === 0) {
      this.statusByKey.delete(key)
    } else {
      const parsed = parsePayload(StatusSchema, payload)
      if (!parsed.ok) return this.drop(topic, parsed.reason)
      this.statusByKey.set(key, parsed.value)
    }
    this.statuses = [...this.statusByKey.entries()]
      .sort(([a], [b]) => a.localeCompare(b)).map(([, s]) => s)
  }

  private onSkill (topic: string, payload: Uint8Array): void {
    const parsed = readSkillPayload(payload)
    if (!parsed.ok) return this.drop(topic, parsed.reason)
    this.skill = parsed.value
  }

  private onProgress (topic: string, payload: Uint8Array): void {
    const parsed = parsePayload(UpskillProgressSchema, payload)
    if (!parsed.ok) return this.drop(topic, parsed.reason)
    this.upskill.onProgress(parsed.value)
  }

  private drop (topic: string, reason: string): void {
    this.dropped++
    this.lastDrop = { topic, reason }
    console.warn('payload dropped', { topic, reason })
  }
}

/** Unique enough to tell our requests from other clients'. */
function newRequestId (): string {
  // Not crypto.randomUUID: it is missing on plain-http pages off localhost.
  const random = Math.random().toString(36).slice(2, 8)
  return `dash-${Date.now().toString(36)}-${random}`
}
