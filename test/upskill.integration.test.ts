/**
 * One upskill request, end to end: the upskiller has the teacher write
 * candidates, scores them with the student, publishes the winner retained,
 * and a running edge sensor describes its next frame with it. Both models
 * are behind an HTTP server that speaks Ollama's API.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import {
  EdgeResultSchema, SkillSchema, createTopics, type EdgeResult, type Skill
} from '@gemmaedge/shared'
import { connectService, type ServiceConnection } from '@gemmaedge/shared/node'
import { OllamaModel } from '@gemmaedge/shared/vision'
import type { Broker } from '../broker/src/broker.ts'
import type { EdgeSensor } from '../services/edge-sensor/src/edge-sensor.ts'
import { FolderSource } from '../services/edge-sensor/src/frame-source.ts'
import { watchSkillUpdates } from '../services/edge-sensor/src/skill-updates.ts'
import { startUpskillService } from '../services/upskiller/src/upskill-service.ts'
import {
  startFakeModels, testSetup, STUDENT, type FakeModels, type TestSetup
} from '../services/upskiller/test/fake-models.ts'
import { captureLog, repoRoot, startTestBroker, testEdgeSensor } from './support.ts'

describe('an upskill request reaching the edge', () => {
  const { log } = captureLog('upskill-e2e')
  const topics = createTopics()
  let broker: Broker
  let models: FakeModels
  let setup: TestSetup
  let sensor: EdgeSensor
  let running: Promise<void>
  let watcher: MqttClient
  const connections: ServiceConnection[] = []
  const results: EdgeResult[] = []

  beforeAll(async () => {
    broker = await startTestBroker(log)
    const url = `mqtt://127.0.0.1:${broker.mqttPort}`
    models = await startFakeModels()
    setup = await testSetup(models.ollama.url, url)
    watcher = await mqtt.connectAsync(url, { clientId: 'watcher' })
    watcher.on('message', (_t, p) => results.push(EdgeResultSchema.parse(JSON.parse(String(p)))))
    await watcher.subscribeAsync(topics.filters.frameEdge, { qos: 0 })

    const connect = async (service: string, instance: string) => {
      const c = await connectService({ url, service, instance, version: 'test', log })
      connections.push(c)
      return c
    }
    const upskiller = await connect('upskiller', 'u1')
    await startUpskillService({ client: upskiller.client, topics, config: setup.config, log })

    const edge = await connect('edge-sensor', 'cam-1')
    sensor = testEdgeSensor({
      source: await FolderSource.open(join(repoRoot, 'samples', 'frames'), true),
      model: new OllamaModel({ model: STUDENT, host: models.ollama.url }),
      client: edge.client,
      log,
      policy: { escalateThreshold: 0.5 },
      sensor: { fps: 20 }
    })
    await watchSkillUpdates({
      client: edge.client, topics, target: sensor, file: join(setup.dir, 'edge-skill.txt'),
      maxSkillBytes: 16 * 1024, log
    })
    running = sensor.start()
  })

  afterAll(async () => {
    await sensor?.stop()
    await running
    for (const c of connections) await c.close()
    await watcher?.endAsync()
    await broker?.close()
    await models?.ollama.close()
    if (setup !== undefined) await rm(setup.dir, { recursive: true, force: true })
  })

  it('ends with a retained skill that the edge uses on its next frame', async () => {
    const better = 'Name every hazard in the frame, and say if it is a safety hazard.'
    models.teacher.splice(0, Infinity, JSON.stringify({ skills: [better, 'Look at it.'] }))
    await expect.poll(() => results.length).toBeGreaterThan(0)

    const hub = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.mqttPort}`, { clientId: 'cli' })
    // The skill in use says nothing of hazards, so there is room to do better.
    const plain: Skill = {
      v: 1, version: 'plain-1', text: 'Describe the frame.', source: 'manual',
      createdAt: new Date().toISOString()
    }
    await hub.publishAsync(topics.skillsUpdated, JSON.stringify(plain), { qos: 1, retain: true })
    await expect.poll(() => sensor.skill.version).toBe('plain-1')

    await hub.publishAsync(topics.upskillRequest,
      JSON.stringify({ v: 1, requestId: 'e2e' }), { qos: 1 })
    await expect.poll(() => sensor.skill.text, { timeout: 20_000 }).toBe(better)
    await hub.endAsync()

    // A client that comes later still gets the skill: it is retained.
    const late = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.mqttPort}`,
      { clientId: 'late' })
    const retained = new Promise<Skill>((resolve) => {
      late.on('message', (_t, p) => resolve(SkillSchema.parse(JSON.parse(String(p)))))
    })
    await late.subscribeAsync(topics.skillsUpdated, { qos: 1 })
    const skill = await retained
    await late.endAsync()
    expect(skill).toMatchObject({ text: better, source: 'upskiller', parent: 'plain-1' })

    const seen = results.length
    await expect.poll(() => results.slice(seen).find((r) => r.skillVersion === skill.version),
      { timeout: 10_000 }).toBeDefined()
    const asked = models.studentCalls().filter((c) =>
      c.messages.some((m) => m.role === 'system' && m.content === better) &&
      c.messages.some((m) => m.role === 'user' && (m.images?.length ?? 0) > 0))
    expect(asked.length).toBeGreaterThan(0)
  })
})
