import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { createTopics, type Escalation, type Image, type Review } from '@gemmaedge/shared'
import { connectService, type ServiceConnection } from '@gemmaedge/shared/node'
import { OllamaModel } from '@gemmaedge/shared/vision'
import type { Broker } from '../../../broker/src/broker.ts'
import { ReviewStore } from '../src/review-store.ts'
import { Reviewer } from '../src/reviewer.ts'
import { captureLog, repoRoot, startTestBroker } from '../../../test/support.ts'
import { startFakeOllama, type FakeOllama } from '../../../shared/test/fake-ollama.ts'

const FRAME = join(repoRoot, 'samples', 'frames', 'person-camera-tripod-01.jpg')

function review (frameId: string): Review {
  const answer = {
    answer: 'A man films.', confidence: 0.9, safety: false, hazards: [],
    objects: ['person']
  }
  return {
    v: 1, frameId, device: 'cam-1', reason: { kind: 'audit', detail: 'every 10th' }, reasons: [],
    edge: { model: 'gemma4:e2b', ...answer, latencyMs: 5, skillVersion: 'builtin' },
    teacher: { model: 'gemma4:26b', ...answer, latencyMs: 9 },
    verdict: 'agree', reviewedAt: new Date().toISOString(), totalLatencyMs: 20
  }
}

function image (bytes: Buffer): Image {
  return { mime: 'image/jpeg', width: 4, height: 3, data: bytes.toString('base64') }
}

describe('review store', () => {
  let dir: string
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'reviews-')) })
  afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

  it('creates its folder and keeps each review with its image bytes', async () => {
    const file = join(dir, 'nested', 'var', 'reviews.db')
    const store = new ReviewStore(file, 10)
    const bytes = await readFile(FRAME)
    const saved = review('f-1')
    store.save(saved, image(bytes))

    expect(store.recent()).toEqual([{ review: saved, mime: 'image/jpeg', image: bytes }])
    store.close()
    expect((await stat(file)).isFile()).toBe(true)
  })

  it('keeps only the newest reviews, newest first', () => {
    const store = new ReviewStore(join(dir, 'bounded.db'), 3)
    for (let i = 1; i <= 5; i++) store.save(review(`f-${i}`), image(Buffer.from([i, 0xd8])))

    expect(store.count()).toBe(3)
    const kept = store.recent()
    expect(kept.map((r) => r.review.frameId)).toEqual(['f-5', 'f-4', 'f-3'])
    expect(kept.map((r) => [...r.image])).toEqual([[5, 0xd8], [4, 0xd8], [3, 0xd8]])
    store.close()
  })

  it('keeps one row for a frame reviewed twice', () => {
    const store = new ReviewStore(join(dir, 'twice.db'), 3)
    store.save(review('f-1'), image(Buffer.from([1])))
    store.save({ ...review('f-1'), verdict: 'partial' }, image(Buffer.from([2])))
    expect(store.recent().map((r) => [r.review.verdict, [...r.image]])).toEqual([['partial', [2]]])
    store.close()
  })
})

describe('reviewer with a review store', () => {
  const captured = captureLog('review-store-test')
  const topics = createTopics()
  let broker: Broker
  let fake: FakeOllama
  let dir: string
  let connection: ServiceConnection
  let edge: MqttClient
  let store: ReviewStore

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reviewer-store-'))
    broker = await startTestBroker(captured.log)
    fake = await startFakeOllama(['gemma4:26b'])
    fake.answer = JSON.stringify({
      answer: 'A man films with a camera on a tripod.', confidence: 0.9,
      safety: false, hazards: [], objects: ['person', 'camera', 'tripod']
    })
    const url = `mqtt://127.0.0.1:${broker.mqttPort}`
    connection = await connectService({
      url, service: 'teacher-reviewer', instance: 't1', version: 'test', log: captured.log
    })
    store = new ReviewStore(join(dir, 'reviews.db'), 5)
    await new Reviewer({
      client: connection.client, topics, log: captured.log, store,
      model: new OllamaModel({ model: 'gemma4:26b', host: fake.url }),
      teacherPrompt: 'Review.', modelTimeoutMs: 5000, maxPendingReviews: 2
    }).start()
    edge = await mqtt.connectAsync(url, { clientId: 'edge' })
  })

  afterAll(async () => {
    await edge?.endAsync()
    await connection?.close()
    await broker?.close()
    await fake?.close()
    store?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('stores every review it publishes, with the escalated frame', async () => {
    const bytes = await readFile(FRAME)
    const escalation: Escalation = {
      v: 1, frameId: 'cam-1-x-4', device: 'cam-1', seq: 4, capturedAt: new Date().toISOString(),
      reason: { kind: 'audit', detail: 'every 10th' }, reasons: [],
      edge: review('x').edge, image: { ...image(bytes), width: 640, height: 480 }
    }
    await edge.publishAsync(topics.frameEscalate('cam-1'), JSON.stringify(escalation), { qos: 1 })
    await expect.poll(() => store.count()).toBe(1)

    expect(store.recent()[0]).toMatchObject({
      review: {
        frameId: 'cam-1-x-4',
        teacher: { model: 'gemma4:26b', objects: ['person', 'camera', 'tripod'] }
      },
      mime: 'image/jpeg',
      image: bytes
    })
  })
})
