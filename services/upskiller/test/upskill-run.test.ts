import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt'
import {
  SkillSchema, UpskillProgressSchema, createTopics, type Skill, type UpskillProgress
} from '@gemmaedge/shared'
import type { Broker } from '../../../broker/src/broker.ts'
import { loadCaseFiles, splitCases } from '../src/case-loader.ts'
import { busProgress } from '../src/progress.ts'
import { SkillLibrary } from '../src/skill-library.ts'
import { runUpskill, type RunOptions } from '../src/upskill-run.ts'
import { captureLog, startTestBroker } from '../../../test/support.ts'
import { startFakeModels, testSetup, type FakeModels, type TestSetup } from './fake-models.ts'

const CURRENT: Skill = {
  v: 1, version: 's-1', text: 'Describe the frame.', source: 'manual',
  createdAt: '2026-12-01T10:00:00.000Z'
}
const HAZARD_SKILL = 'Describe the frame and name every hazard you see.'

describe('an upskilling run', () => {
  const { log } = captureLog('upskill-run-test')
  const topics = createTopics()
  let broker: Broker
  let models: FakeModels
  let setup: TestSetup
  let client: MqttClient
  let watcher: MqttClient
  let library: SkillLibrary
  const progress: UpskillProgress[] = []

  beforeAll(async () => {
    broker = await startTestBroker(log)
    models = await startFakeModels()
    const url = `mqtt://127.0.0.1:${broker.mqttPort}`
    setup = await testSetup(models.ollama.url, url)
    library = new SkillLibrary(setup.config.SKILLS_DIR)
    await library.remember(CURRENT)
    client = await mqtt.connectAsync(url, { clientId: 'upskiller' })
    watcher = await mqtt.connectAsync(url, { clientId: 'watcher' })
    watcher.on('message', (_t, p) =>
      progress.push(UpskillProgressSchema.parse(JSON.parse(String(p)))))
    await watcher.subscribeAsync(topics.upskillProgress, { qos: 0 })
  })

  afterAll(async () => {
    await client?.endAsync()
    await watcher?.endAsync()
    await broker?.close()
    await models?.ollama.close()
    await rm(setup.dir, { recursive: true, force: true })
  })

  beforeEach(() => { progress.length = 0 })

  function options (requestId: string): RunOptions {
    return {
      config: setup.config, request: { v: 1, requestId }, current: CURRENT, client, topics,
      library, progress: busProgress(client, topics, log), log
    }
  }

  /** What a client that subscribes now is sent: the retained skill. */
  async function retainedSkill (): Promise<{ skill: Skill, retain: boolean }> {
    const fresh = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.mqttPort}`)
    try {
      const got = new Promise<[Buffer, IPublishPacket]>((resolve) => {
        fresh.once('message', (_topic, payload, packet) => resolve([payload, packet]))
      })
      await fresh.subscribeAsync(topics.skillsUpdated, { qos: 1 })
      const [payload, packet] = await got
      return { skill: SkillSchema.parse(JSON.parse(String(payload))), retain: packet.retain }
    } finally {
      await fresh.endAsync()
    }
  }

  it('publishes the candidate that beats the skill in use, ' +
    'retained, with scores and parent', async () => {
    models.teacher.splice(0, Infinity,
      JSON.stringify({ skills: ['Describe the frame briefly.', HAZARD_SKILL] }))
    const result = await runUpskill(options('r-1'))

    expect(result.candidates.map((c) => [c.label, c.text])).toEqual([
      ['candidate-1', 'Describe the frame briefly.'], ['candidate-2', HAZARD_SKILL]
    ])
    expect(result.best?.label).toBe('candidate-2')
    expect(result.best?.heldOut?.mean).toBe(1)
    expect(result.gain).toBeGreaterThanOrEqual(0.05)
    const published = result.published as Skill
    expect(published).toEqual({
      v: 1, version: expect.stringMatching(/^up-\d{8}T\d{6}Z-[0-9a-f]{6}$/), text: HAZARD_SKILL,
      source: 'upskiller', createdAt: expect.any(String), score: 1, parent: 's-1'
    })

    expect(await retainedSkill()).toEqual({ skill: published, retain: true })
    const file = join(setup.config.SKILLS_DIR, `${published.version}.json`)
    const onDisk = JSON.parse(await readFile(file, 'utf8'))
    expect(onDisk).toEqual(published)
  })

  it('reports every phase and every skill\'s scores on upskill/progress', async () => {
    models.teacher.splice(0, Infinity,
      JSON.stringify({ skills: ['Describe the frame briefly.', HAZARD_SKILL] }))
    const result = await runUpskill(options('r-2'))
    await expect.poll(() => progress.at(-1)?.phase).toBe('done')

    const phases = progress.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1])
    expect(phases).toEqual(['checking', 'loading', 'baseline', 'writing', 'scoring',
      'confirming', 'publishing', 'done'])
    expect(progress.every((p) => p.requestId === 'r-2')).toBe(true)
    const scoring = progress.filter((p) => p.phase === 'scoring')
    expect(scoring.at(-1))
      .toMatchObject({ done: 2 * result.split.train, total: 2 * result.split.train })
    expect(progress.at(-1)).toMatchObject({
      phase: 'done',
      published: result.published?.version,
      best: { version: result.published?.version, score: 1 },
      detail: expect.stringContaining('candidate-2 gains'),
      scores: [
        {
          label: 'current', train: result.current.train.mean,
          heldOut: result.current.heldOut?.mean
        },
        { label: 'candidate-1', train: result.candidates[0]?.train.mean, heldOut: null },
        { label: 'candidate-2', train: result.candidates[1]?.train.mean, heldOut: 1 }
      ]
    })
  })

  it('does not publish a candidate that wins only on the training cases', async () => {
    const split = splitCases(await loadCaseFiles([setup.casesFile]), 0.3, setup.config.SEED)
    models.overfitScenes = new Set(split.train.map((c) => c.user ?? ''))
    models.teacher.splice(0, Infinity,
      JSON.stringify({ skills: ['OVERFIT: describe.', 'Describe plainly.'] }))
    const before = await retainedSkill()

    const result = await runUpskill(options('r-3'))
    expect(result.best?.label).toBe('candidate-1')
    expect(result.best?.train.mean).toBeGreaterThan(result.current.train.mean + 0.05)
    expect(result.gain).toBeLessThan(0.05)
    expect(result.published).toBeNull()
    expect(result.detail).toMatch(/not published: candidate-1 gains 0 .* below MIN_GAIN 0.05/)
    expect(await retainedSkill()).toEqual(before)
    await expect.poll(() => progress.at(-1)).toMatchObject({ phase: 'done', published: null })
  })

  it('publishes a stored version again on rollback', async () => {
    await library.publish(client, topics, await library.get('s-1'))
    expect(await retainedSkill()).toEqual({ skill: CURRENT, retain: true })
    expect((await library.list()).map((s) => s.version)).toEqual(expect.arrayContaining(['s-1']))
  })

  it('reports failed, saying what it needs, when the teacher model is not pulled', async () => {
    models.ollama.models = ['gemma4:e2b']
    await expect(runUpskill(options('r-4'))).rejects.toMatchObject({ code: 'MODEL_MISSING' })
    models.ollama.models = ['gemma4:26b', 'gemma4:e2b']
    await expect.poll(() => progress.at(-1)).toMatchObject({
      phase: 'failed',
      requestId: 'r-4',
      detail: expect.stringContaining('Upskilling needs Ollama with gemma4:26b (teacher) and ' +
        'gemma4:e2b (student): ollama pull gemma4:26b && ollama pull gemma4:e2b')
    })
  })
})
