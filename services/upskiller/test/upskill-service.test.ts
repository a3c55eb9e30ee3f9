import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { rm } from 'node:fs/promises'
import mqtt, { type MqttClient } from 'mqtt'
import {
  UpskillProgressSchema, createTopics, type Skill, type UpskillProgress
} from '@gemmaedge/shared'
import { connectService, type ServiceConnection } from '@gemmaedge/shared/node'
import type { Broker } from '../../../broker/src/broker.ts'
import { startUpskillService, type UpskillService } from '../src/upskill-service.ts'
import { captureLog, startTestBroker, type CapturedLog } from '../../../test/support.ts'
import { unusedPort } from '../../../shared/test/fake-ollama.ts'
import { startFakeModels, testSetup, type FakeModels, type TestSetup } from './fake-models.ts'

const topics = createTopics()

interface Hub {
  broker: Broker
  connection: ServiceConnection
  dashboard: MqttClient
  progress: UpskillProgress[]
  service: UpskillService
  setup: TestSetup
}

/** A broker, the service on its own connection and a dashboard-like client. */
async function startHub (captured: CapturedLog, ollamaUrl: string): Promise<Hub> {
  const broker = await startTestBroker(captured.log)
  const url = `mqtt://127.0.0.1:${broker.mqttPort}`
  const setup = await testSetup(ollamaUrl, url)
  const dashboard = await mqtt.connectAsync(url, { clientId: 'dashboard' })
  const progress: UpskillProgress[] = []
  dashboard.on('message', (_t, p) =>
    progress.push(UpskillProgressSchema.parse(JSON.parse(String(p)))))
  await dashboard.subscribeAsync(topics.upskillProgress, { qos: 0 })
  const connection = await connectService({
    url, service: 'upskiller', instance: 'u1', version: 'test', log: captured.log
  })
  const service = await startUpskillService({
    client: connection.client, topics, config: setup.config, log: captured.log
  })
  return { broker, connection, dashboard, progress, service, setup }
}

async function stopHub (hub: Hub | undefined): Promise<void> {
  await hub?.dashboard.endAsync()
  await hub?.connection.close()
  await hub?.broker.close()
  if (hub !== undefined) await rm(hub.setup.dir, { recursive: true, force: true })
}

const request = (requestId: string): string => JSON.stringify({ v: 1, requestId })

describe('the upskiller service', () => {
  const captured = captureLog('upskill-service-test')
  let models: FakeModels
  let hub: Hub

  beforeAll(async () => {
    models = await startFakeModels()
    hub = await startHub(captured, models.ollama.url)
  })
  afterAll(async () => {
    await stopHub(hub)
    await models?.ollama.close()
  })

  it('drops an invalid request with a logged reason', async () => {
    await hub.dashboard.publishAsync(topics.upskillRequest, '{"v":1,"candidates":0}', { qos: 1 })
    await expect.poll(() => hub.service.stats.invalid).toBe(1)
    expect(captured.lines).toContainEqual(expect.objectContaining({
      level: 40, msg: 'upskill request dropped', reason: expect.stringContaining('candidates')
    }))
  })

  it('runs on a request, starting from the retained skill, and refuses one meanwhile', async () => {
    const retained: Skill = {
      v: 1, version: 'bus-7', text: 'Describe the frame.', source: 'manual',
      createdAt: '2026-12-01T10:00:00.000Z'
    }
    await hub.dashboard.publishAsync(topics.skillsUpdated, JSON.stringify(retained),
      { qos: 1, retain: true })
    let release: (answer: string) => void = () => {}
    models.teacher.splice(0, Infinity, () => new Promise((resolve) => { release = resolve }))

    await hub.dashboard.publishAsync(topics.upskillRequest, request('first'), { qos: 1 })
    await expect.poll(() => models.teacherCalls().length).toBe(1)
    await hub.dashboard.publishAsync(topics.upskillRequest, request('second'), { qos: 1 })
    await expect.poll(() => hub.progress.find((p) => p.requestId === 'second')).toMatchObject({
      phase: 'refused', detail: expect.stringContaining('an upskilling run is going')
    })
    expect(captured.lines).toContainEqual(expect.objectContaining({
      level: 40, requestId: 'second', msg: expect.stringMatching(/^upskill request refused/)
    }))

    release(JSON.stringify({ skills: ['Name every hazard in the frame.', 'Look.'] }))
    await expect.poll(() => hub.progress.at(-1))
      .toMatchObject({ phase: 'done', requestId: 'first' })
    await hub.service.idle()
    expect(hub.service.stats).toMatchObject({ runs: 1, refused: 1 })
    expect(captured.lines).toContainEqual(expect.objectContaining({
      msg: 'upskill done', requestId: 'first', published: expect.stringMatching(/^up-/)
    }))
    const done = captured.lines.find((l) => l.msg === 'upskill run ended')
    expect(done).toMatchObject({ requestId: 'first', published: expect.stringMatching(/^up-/) })
  })
})

describe('the upskiller service without Ollama', () => {
  const captured = captureLog('upskill-no-ollama-test')
  let hub: Hub

  beforeAll(async () => {
    hub = await startHub(captured, `http://127.0.0.1:${await unusedPort()}`)
  })
  afterAll(async () => { await stopHub(hub) })

  it('starts, says what it needs, and refuses each request with the reason', async () => {
    await expect.poll(() =>
      captured.lines.find((l) => String(l.msg).startsWith('upskilling unavailable')))
      .toMatchObject({ level: 40, err: { code: 'MODEL_UNREACHABLE' } })

    await hub.dashboard.publishAsync(topics.upskillRequest, request('r-1'), { qos: 1 })
    const needsOllama =
      /^OLLAMA_HOST http:\/\/127\.0\.0\.1:\d+ .*Upskilling needs Ollama with gemma4:26b/
    await expect.poll(() => hub.progress.at(-1)).toMatchObject({
      phase: 'failed',
      requestId: 'r-1',
      detail: expect.stringMatching(needsOllama)
    })
    await hub.service.idle()
    expect(captured.lines).toContainEqual(expect.objectContaining({
      level: 40, msg: 'upskill run failed', requestId: 'r-1'
    }))
    expect(hub.connection.client.connected).toBe(true)
  })
})
