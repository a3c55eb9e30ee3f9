import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { ReviewSchema, createTopics, type Escalation, type Review } from '@gemmaedge/shared'
import { connectService, type ServiceConnection } from '@gemmaedge/shared/node'
import {
  createVisionModel, DEFAULT_TEACHER_PROMPT, type VisionModel
} from '@gemmaedge/shared/vision'
import type { Broker } from '../../../broker/src/broker.ts'
import { Reviewer } from '../src/reviewer.ts'
import { captureLog, sharedFrames, startTestBroker } from '../../../test/support.ts'

describe('reviewer', () => {
  const captured = captureLog('reviewer-test')
  const topics = createTopics()
  let broker: Broker
  let teacher: VisionModel
  let connection: ServiceConnection
  let reviewer: Reviewer
  let edge: MqttClient
  const reviews: Review[] = []

  beforeAll(async () => {
    broker = await startTestBroker(captured.log)
    const url = `mqtt://127.0.0.1:${broker.mqttPort}`
    teacher = await createVisionModel({ backend: 'detector', role: 'teacher', log: captured.log })
    connection = await connectService({
      url, service: 'teacher-reviewer', instance: 't1', version: 'test', log: captured.log
    })
    reviewer = new Reviewer({
      client: connection.client, topics, model: teacher, log: captured.log,
      teacherPrompt: DEFAULT_TEACHER_PROMPT, modelTimeoutMs: 30_000, maxPendingReviews: 2
    })
    await reviewer.start()
    edge = await mqtt.connectAsync(url, { clientId: 'edge' })
    edge.on('message', (_t, payload) =>
      reviews.push(ReviewSchema.parse(JSON.parse(String(payload)))))
    await edge.subscribeAsync(topics.filters.reviewResult, { qos: 1 })
  })

  afterAll(async () => {
    await edge?.endAsync()
    await connection?.close()
    await broker?.close()
    await teacher?.close()
  })

  async function escalation (frameId: string): Promise<Escalation> {
    const image = await readFile(join(sharedFrames, 'kitchen-man-pans-01.jpg'))
    return {
      v: 1,
      frameId,
      device: 'cam-9',
      seq: 3,
      capturedAt: new Date().toISOString(),
      reason: { kind: 'low-confidence', detail: 'confidence 0.40 below 0.6' },
      reasons: [{ kind: 'low-confidence', detail: 'confidence 0.40 below 0.6' }],
      edge: {
        model: 'gemma4:e2b', answer: 'A man in a kitchen with pans.', confidence: 0.4,
        safety: false, hazards: [], objects: ['person'], latencyMs: 800, skillVersion: 's1'
      },
      image: { mime: 'image/jpeg', width: 640, height: 427, data: image.toString('base64') }
    }
  }

  it('logs, counts and drops a bad escalation, and keeps going', async () => {
    await edge.publishAsync(topics.frameEscalate('cam-9'), '{"v":1,"frameId":7}', { qos: 1 })
    await edge.publishAsync(topics.frameEscalate('cam-9'), Buffer.from([0xff, 0x00]), { qos: 1 })
    await expect.poll(() => reviewer.stats.invalid).toBe(2)

    const warnings = captured.lines.filter((l) => l.msg === 'escalation dropped, invalid payload')
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 40, topic: 'frames/escalate/cam-9',
        reason: expect.stringContaining('frameId')
      }),
      expect.objectContaining({ level: 40, reason: expect.stringMatching(/^not JSON/) })
    ])
  })

  it('reviews a real frame and publishes a review for its device', async () => {
    const sent = await escalation('cam-9-a-3')
    await edge.publishAsync(topics.frameEscalate('cam-9'), JSON.stringify(sent), { qos: 1 })
    await expect.poll(() => reviews.length).toBe(1)

    expect(reviews[0]).toMatchObject({
      v: 1,
      frameId: 'cam-9-a-3',
      device: 'cam-9',
      reason: sent.reason,
      edge: sent.edge,
      teacher: { model: 'human-detector/thorough', objects: expect.arrayContaining(['person']) },
      verdict: expect.stringMatching(/^(agree|partial|disagree)$/)
    })
    expect(reviews[0]?.totalLatencyMs).toBeGreaterThanOrEqual(reviews[0]?.teacher.latencyMs ?? 0)
  })

  it('reviews a redelivered escalation only once', async () => {
    const sent = JSON.stringify(await escalation('cam-9-a-3'))
    await edge.publishAsync(topics.frameEscalate('cam-9'), sent, { qos: 1 })
    await expect.poll(() => reviewer.stats.duplicate).toBe(1)
    await reviewer.idle()
    expect(reviews).toHaveLength(1)
  })

  it('works through a burst larger than its queue without losing one', async () => {
    const burst = await Promise.all(['b1', 'b2', 'b3', 'b4', 'b5'].map((id) => escalation(id)))
    await Promise.all(burst.map((e) =>
      edge.publishAsync(topics.frameEscalate('cam-9'), JSON.stringify(e), { qos: 1 })))
    await expect.poll(() => reviews.length, { timeout: 30_000 }).toBe(6)
    expect(reviews.slice(1).map((r) => r.frameId).sort()).toEqual(['b1', 'b2', 'b3', 'b4', 'b5'])
  })

  it('refuses an escalation whose device is not the one in its topic', async () => {
    const before = reviewer.stats.invalid
    const spoofed = JSON.stringify(await escalation('spoof-1'))
    await edge.publishAsync(topics.frameEscalate('kitchen'), spoofed, { qos: 1 })
    await expect.poll(() => reviewer.stats.invalid).toBe(before + 1)
    expect(captured.lines).toContainEqual(expect.objectContaining({
      topic: 'frames/escalate/kitchen', reason: 'device cam-9 in the payload, kitchen in the topic'
    }))
    expect(reviews.map((r) => r.frameId)).not.toContain('spoof-1')
  })
})
