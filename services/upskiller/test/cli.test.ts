import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { execFile } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { SkillSchema, createTopics, type Skill } from '@gemmaedge/shared'
import type { Broker } from '../../../broker/src/broker.ts'
import { SkillLibrary } from '../src/skill-library.ts'
import { captureLog, repoRoot, startTestBroker } from '../../../test/support.ts'
import { unusedPort } from '../../../shared/test/fake-ollama.ts'
import { testSetup, type TestSetup } from './fake-models.ts'

const CLI = join(repoRoot, 'services', 'upskiller', 'src', 'cli.ts')

interface Exit { code: number, stdout: string, stderr: string }

/** `npm run upskill -- ...args` as a child process, as a person runs it. */
function upskill (args: string[], env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: repoRoot, env: { ...process.env, LOG_FORMAT: 'json', ...env }
    }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : Number(err.code ?? 1), stdout, stderr })
    })
  })
}

describe('npm run upskill', () => {
  const { log } = captureLog('cli-test')
  const topics = createTopics()
  let broker: Broker
  let setup: TestSetup
  let env: Record<string, string>
  const old: Skill = {
    v: 1, version: 'up-old', text: 'Name every person.', source: 'upskiller',
    createdAt: '2026-11-01T10:00:00.000Z', score: 0.5, parent: 'builtin'
  }

  beforeAll(async () => {
    broker = await startTestBroker(log)
    const url = `mqtt://127.0.0.1:${broker.mqttPort}`
    setup = await testSetup(`http://127.0.0.1:${await unusedPort()}`, url)
    env = {
      MQTT_URL: url, OLLAMA_HOST: setup.config.OLLAMA_HOST, SKILLS_DIR: setup.config.SKILLS_DIR,
      CASES_FILES: setup.casesFile, SKILL_FILE: setup.config.SKILL_FILE,
      REVIEWS_DB: setup.config.REVIEWS_DB, RETAINED_WAIT_MS: '0'
    }
    await new SkillLibrary(setup.config.SKILLS_DIR).save(old)
  })
  afterAll(async () => {
    await broker?.close()
    await rm(setup.dir, { recursive: true, force: true })
  })

  it('exits non-zero and says what it needs when Ollama is not there', async () => {
    const exit = await upskill([], env)
    expect(exit.code).toBe(1)
    expect(exit.stderr).toMatch(/^MODEL_UNREACHABLE: OLLAMA_HOST http:\/\/127\.0\.0\.1:\d+ /m)
    expect(exit.stderr).toContain('Upskilling needs Ollama with gemma4:26b (teacher) and ' +
      'gemma4:e2b (student): ollama pull gemma4:26b && ollama pull gemma4:e2b')
  })

  it('lists the stored versions', async () => {
    const exit = await upskill(['list'], env)
    expect(exit.code).toBe(0)
    expect(exit.stdout.split('\n').map((l) => l.split(/\s+/)[0])).toEqual(
      ['version', 'builtin', 'up-old', ''])
  })

  it('publishes a stored version again on rollback, retained', async () => {
    const exit = await upskill(['rollback', 'up-old'], env)
    expect(exit).toMatchObject({
      code: 0, stdout: 'published up-old on skills/updated (retained)\n'
    })

    const fresh = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.mqttPort}`)
    const got = new Promise<Buffer>((resolve) => {
      fresh.once('message', (_topic, payload) => resolve(payload))
    })
    await fresh.subscribeAsync(topics.skillsUpdated, { qos: 1 })
    const payload = await got
    expect(SkillSchema.parse(JSON.parse(String(payload)))).toEqual(old)
    await fresh.endAsync()
  })

  it('refuses a rollback to a version it does not have, naming those it has', async () => {
    const exit = await upskill(['rollback', 'up-nope'], env)
    expect(exit.code).toBe(1)
    expect(exit.stderr)
      .toMatch(/^SKILL_UNKNOWN: no skill version "up-nope" .*\(it has: builtin, up-old\)/)
  })
})
