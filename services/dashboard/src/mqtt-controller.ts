/**
 * The dashboard's one link to the bus: a Lit reactive controller that
 * connects when its host joins the page and ends when it leaves. Every
 * payload is validated; a bad one is counted and dropped.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import mqtt, { type MqttClient } from 'mqtt'
import {
  createTopics, parsePayload, EdgeResultSchema, ReviewSchema, StatusSchema,
  type Status, type Topics
} from '@gemmaedge/shared'
import { FrameStore, type FrameRow } from './frame-store.ts'

const wrongDevice = 'payload device differs from the device in the topic'

export type ConnectionState =
  'connecting' | 'connected' | 'reconnecting' | 'offline'

export interface MqttControllerOptions {
  /** Broker URL, `ws://host:9001`. */
  url: string
  topicPrefix?: string
  /** Rows kept, newest first. */
  maxRows?: number
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

  readonly url: string
  private readonly host: ReactiveControllerHost
  private readonly topics: Topics
  private readonly store: FrameStore
  private readonly statusByKey = new Map<string, Status>()
  private readonly statusBase: string
  private client: MqttClient | null = null

  constructor (host: ReactiveControllerHost, options: MqttControllerOptions) {
    this.host = host
    this.url = options.url
    this.topics = createTopics(options.topicPrefix)
    this.store = new FrameStore(options.maxRows)
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
      const { filters } = this.topics
      const subscriptions = [filters.frameEdge, filters.reviewResult,
        filters.status]
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
    this.client?.end(true)
    this.client = null
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

  private drop (topic: string, reason: string): void {
    this.dropped++
    this.lastDrop = { topic, reason }
    console.warn('payload dropped', { topic, reason })
  }
}
