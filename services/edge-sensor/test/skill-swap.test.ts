/**
 * A skill pushed over the bus while the edge sensor runs: a real broker, a
 * real EdgeSensor whose student is an OllamaModel on the fake Ollama server,
 * and the skill swapped in by watchSkillUpdates between two frames.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { EdgeResultSchema, createTopics, type EdgeResult, type Skill } from '@gemmaedge/shared'
import { connectService, type ServiceConnection } from '@gemmaedge/shared/node'
import { DEFAULT_STUDENT_PROMPT, OllamaModel } from '@gemmaedge/shared/vision'
import type { Broker } from '../../../broker/src/broker.ts'
import type { EdgeSensor } from '../src/edge-sensor.ts'
import { FolderSource } from '../src/frame-source.ts'
import { loadSkillFile } from '../src/skill-file.ts'
import { watchSkillUpdates, type SkillWatch } from '../src/skill-updates.ts'
import {
  captureLog, repoRoot, startTestBroker, testEdgeSensor
} from '../../../test/support.ts'
import {
  startFakeOllama, type ChatCall, type FakeOllama
} from '../../../shared/test/fake-ollama.ts'

const NEW_SKILL: Skill = {
  v: 1, version: 'up-20261203T101500Z-abc123', text: 'Name every hazard you see.',
  source: 'upskiller', createdAt: '2026-12-03T10:15:00.000Z', score: 0.9, parent: 'builtin'
}

/** The student says which skill it answered under. */
function answerUnder (call: ChatCall): string {
  const system = call.messages.find((m) => m.role === 'system')?.content ?? ''
  const answer = system === NEW_SKILL.text ? 'A frame, hazards checked.' : 'A frame.'
  return JSON.stringify({ answer, confidence: 0.9, safety: false, hazards: [], objects: [] })
}

describe('a skill swapped in mid-stream', () => {
  const { log } = captureLog('skill-swap-test')
  const topics = createTopics()
  let broker: Broker
  let fake: FakeOllama
  let dir: string
  let edge: ServiceConnection
  let hub: MqttClient
  let sensor: EdgeSensor
  let watch: SkillWatch
  let running: Promise<void>
  const results: EdgeResult[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skill-swap-'))
    broker = await startTestBroker(log)
    fake = await startFakeOllama(['gemma4:e2b'])
    fake.reply = answerUnder
    const url = `mqtt://127.0.0.1:${broker.mqttPort}`
    hub = await mqtt.connectAsync(url, { clientId: 'hub' })
    hub.on('message', (_t, p) => results.push(EdgeResultSchema.parse(JSON.parse(String(p)))))
    await hub.subscribeAsync(topics.filters.frameEdge, { qos: 0 })
    edge = await connectService({
      url, service: 'edge-sensor', instance: 'cam-1', version: 'test', log
    })

    sensor = testEdgeSensor({
      source: await FolderSource.open(join(repoRoot, 'samples', 'frames'), true),
      model: new OllamaModel({ model: 'gemma4:e2b', host: fake.url }),
      client: edge.client,
      log,
      policy: {
        escalateThreshold: 0.5, safetyKeywords: ['fire'], auditRate: 0, sceneChangeThreshold: 0
      },
      skill: await loadSkillFile(join(dir, 'skill.txt'), DEFAULT_STUDENT_PROMPT),
      sensor: { maxEscalationsPerMinute: 60, budgetQueueSize: 10 }
    })
    watch = await watchSkillUpdates({
      client: edge.client, topics, target: sensor, file: join(dir, 'skill.txt'),
      maxSkillBytes: 16 * 1024, log
    })
    running = sensor.start()
  })

  afterAll(async () => {
    await sensor?.stop()
    await running
    await edge?.close()
    await hub?.endAsync()
    await broker?.close()
    await fake?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('asks the model with the new skill from the next frame on, ' +
    'and says so in results', async () => {
    await expect.poll(() => results.length).toBeGreaterThanOrEqual(2)
    expect(results[0]).toMatchObject({ skillVersion: 'builtin', answer: 'A frame.' })
    expect(fake.chats[0]?.messages[0]).toEqual({ role: 'system', content: DEFAULT_STUDENT_PROMPT })

    await hub.publishAsync(topics.skillsUpdated, JSON.stringify(NEW_SKILL),
      { qos: 1, retain: true })
    await expect.poll(() => sensor.skill.version).toBe(NEW_SKILL.version)
    // A frame may already be on its way to the model: the one after it is not.
    const asked = fake.chats.length + 1
    await expect.poll(() => fake.chats.length).toBeGreaterThan(asked + 1)
    const systems = fake.chats.slice(asked).map((c) => c.messages[0]?.content)
    expect(new Set(systems)).toEqual(new Set([NEW_SKILL.text]))

    await expect.poll(() => results.some((r) => r.skillVersion === NEW_SKILL.version)).toBe(true)
    const first = results.findIndex((r) => r.skillVersion === NEW_SKILL.version)
    const after = results.slice(first)
    expect(after.length).toBeGreaterThan(0)
    for (const r of after) {
      expect(r).toMatchObject({
        skillVersion: NEW_SKILL.version, answer: 'A frame, hazards checked.'
      })
    }
    expect(results.slice(0, first).every((r) => r.skillVersion === 'builtin')).toBe(true)
  })

  it('keeps the new skill in skill.txt for the next start', async () => {
    await watch.settled()
    expect(await loadSkillFile(join(dir, 'skill.txt'), DEFAULT_STUDENT_PROMPT))
      .toEqual({ version: NEW_SKILL.version, text: NEW_SKILL.text })
  })
})
