/**
 * The whole path on real photographs: an in-process broker, the edge sensor
 * and the teacher-reviewer with the embedded detector, and a plain mqtt.js
 * subscriber checking what crosses the bus.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdtemp, copyFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn, type ChildProcess } from 'node:child_process'
import mqtt, { type MqttClient } from 'mqtt'
import {
  EdgeResultSchema, EscalationSchema, ReviewSchema, StatusSchema, createTopics,
  type EdgeResult, type Escalation, type Review
} from '@gemmaedge/shared'
import { connectService, type ServiceConnection } from '@gemmaedge/shared/node'
import {
  createVisionModel, DEFAULT_TEACHER_PROMPT, type VisionModel
} from '@gemmaedge/shared/vision'
import type { Broker } from '../broker/src/broker.ts'
import { FolderSource } from '../services/edge-sensor/src/frame-source.ts'
import { Reviewer } from '../services/teacher-reviewer/src/reviewer.ts'
import { captureLog, sharedFrames, startTestBroker, testEdgeSensor } from './support.ts'

const FRAMES = [
  'street-bus-pedestrians-01.jpg',
  'coffee-cup-saucer-01.png',
  'stove-pan-fire-01.jpg'
]

describe('the hub on three real frames', () => {
  const { log } = captureLog('hub-test')
  const topics = createTopics()
  let broker: Broker
  let dir: string
  let watcher: MqttClient
  let student: VisionModel
  let teacher: VisionModel
  let mosquitto: ChildProcess
  let mosquittoOut = ''
  const connections: ServiceConnection[] = []
  const seen = {
    edge: [] as EdgeResult[],
    escalations: [] as Escalation[],
    reviews: [] as Review[],
    status: new Map<string, unknown>()
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hub-frames-'))
    await Promise.all(FRAMES.map((f, i) =>
      copyFile(join(sharedFrames, f), join(dir, `${i}-${f}`))))

    broker = await startTestBroker(log)
    const url = `mqtt://127.0.0.1:${broker.mqttPort}`
    watcher = await mqtt.connectAsync(url, { clientId: 'watcher' })
    watcher.on('message', (topic, payload) => record(topic, payload))
    await watcher.subscribeAsync([
      topics.filters.frameEdge, topics.filters.frameEscalate,
      topics.filters.reviewResult, topics.filters.status
    ], { qos: 1 })

    // A third-party client, as a user would watch the hub.
    mosquitto = spawn('mosquitto_sub', [
      '-h', '127.0.0.1', '-p', String(broker.mqttPort), '-t', 'frames/edge/+', '-C', '3'
    ])
    mosquitto.stdout?.on('data', (chunk: Buffer) => { mosquittoOut += chunk.toString() })
    mosquitto.on('error', (err) => {
      throw new Error(`mosquitto_sub did not start (${err.message}); ` +
        'install it: apt-get install mosquitto-clients')
    })

    ;[student, teacher] = await Promise.all([
      createVisionModel({ backend: 'detector', role: 'student', log }),
      createVisionModel({ backend: 'detector', role: 'teacher', log })
    ])
    const teacherConn = await connect(url, 'teacher-reviewer', 'teacher-1')
    await new Reviewer({
      client: teacherConn.client, topics, model: teacher, log,
      teacherPrompt: DEFAULT_TEACHER_PROMPT, modelTimeoutMs: 30_000, maxPendingReviews: 4
    }).start()
  })

  afterAll(async () => {
    mosquitto?.kill()
    for (const c of connections) await c.close()
    await watcher?.endAsync()
    await broker?.close()
    await Promise.all([student?.close(), teacher?.close()])
    await rm(dir, { recursive: true, force: true })
  })

  function record (topic: string, payload: Buffer): void {
    const json = JSON.parse(payload.toString()) as unknown
    const parsed = topics.parse(topic)
    if (parsed?.kind === 'frameEdge') seen.edge.push(EdgeResultSchema.parse(json))
    if (parsed?.kind === 'frameEscalate') seen.escalations.push(EscalationSchema.parse(json))
    if (parsed?.kind === 'reviewResult') seen.reviews.push(ReviewSchema.parse(json))
    if (topic.startsWith('status/')) seen.status.set(topic, StatusSchema.parse(json))
  }

  async function connect (url: string, service: string, instance: string) {
    const c = await connectService({ url, service, instance, version: 'test', log })
    connections.push(c)
    return c
  }

  it('publishes an edge result, an escalation and a review for each frame', async () => {
    const edgeConn = await connect(`mqtt://127.0.0.1:${broker.mqttPort}`, 'edge-sensor', 'cam-1')
    const sensor = testEdgeSensor({
      source: await FolderSource.open(dir, false),
      model: student,
      client: edgeConn.client,
      log,
      // Every frame audited, so every frame reaches the teacher.
      policy: { safetyKeywords: ['fire'], auditEveryNFrames: 1 },
      skipBelowChange: 0.02
    })
    await sensor.start()
    await expect.poll(() => seen.reviews.length, { timeout: 60_000 }).toBe(3)

    expect(sensor.stats).toEqual({
      seen: 3, analysed: 3, skipped: 0, escalated: 3, failed: 0, dropped: 0
    })
    expect(seen.edge.map((e) => e.seq)).toEqual([0, 1, 2])
    expect(seen.edge.map((e) => e.source)).toEqual(FRAMES.map((f, i) => `${i}-${f}`))

    for (const edge of seen.edge) {
      const escalation = seen.escalations.find((e) => e.frameId === edge.frameId)
      const review = seen.reviews.find((r) => r.frameId === edge.frameId)
      expect(escalation).toMatchObject({
        device: 'cam-1', seq: edge.seq, capturedAt: edge.capturedAt,
        reason: edge.reason, reasons: edge.reasons,
        edge: {
          model: edge.model, answer: edge.answer, confidence: edge.confidence,
          safety: edge.safety, hazards: edge.hazards, skillVersion: 'builtin'
        },
        image: { mime: 'image/jpeg' }
      })
      expect(review).toMatchObject({
        device: 'cam-1', reason: edge.reason, edge: escalation?.edge,
        teacher: { model: 'human-detector/thorough' }
      })
      expect(edge).toMatchObject({
        model: 'human-detector/fast', escalated: true, escalation: 'sent',
        skillVersion: 'builtin', reused: false
      })
      expect(edge.reasons.map((r) => r.kind)).toContain('audit')
      expect(Buffer.from(edge.thumbnail, 'base64').subarray(0, 2))
        .toEqual(Buffer.from([0xff, 0xd8]))
    }
  })

  it('sees people in the street frame and sizes the escalated image', () => {
    const street = seen.edge.find((e) => e.source?.includes('street'))
    expect(street?.objects).toContain('person')
    const escalation = seen.escalations.find((e) => e.frameId === street?.frameId)
    expect(escalation?.image).toMatchObject({ width: 810, height: 1080 })
  })

  it('is readable by mosquitto_sub as plain EdgeResults', async () => {
    await expect.poll(() => mosquittoOut.trim().split('\n').length, { timeout: 10_000 }).toBe(3)
    const printed = mosquittoOut.trim().split('\n')
      .map((line) => EdgeResultSchema.parse(JSON.parse(line)).frameId)
    expect(printed).toEqual(seen.edge.map((e) => e.frameId))
  })

  it('shows both services online on their status topics', () => {
    expect(seen.status.get('status/teacher-reviewer/teacher-1'))
      .toMatchObject({ service: 'teacher-reviewer', state: 'online' })
    expect(seen.status.get('status/edge-sensor/cam-1'))
      .toMatchObject({ service: 'edge-sensor', state: 'online' })
  })
})
