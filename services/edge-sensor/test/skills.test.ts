import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdtemp, rm, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { createTopics } from '@gemmaedge/shared'
import type { Broker } from '../../../broker/src/broker.ts'
import { loadSkillFile, saveSkillFile, type ActiveSkill } from '../src/skill-file.ts'
import { parseSkillPayload, watchSkillUpdates, type SkillWatch } from '../src/skill-updates.ts'
import { captureLog, startTestBroker } from '../../../test/support.ts'

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('skill payloads', () => {
  it('wraps plain text as a manual skill with a version from the text', () => {
    const a = parseSkillPayload(bytes('  Name every person.  \n'), 1024)
    const b = parseSkillPayload(bytes('Name every person.'), 1024)
    expect(a).toMatchObject({
      ok: true,
      skill: {
        v: 1, text: 'Name every person.', source: 'manual',
        version: expect.stringMatching(/^manual-/)
      }
    })
    expect(a.ok && b.ok && a.skill.version === b.skill.version).toBe(true)
  })

  it('takes a Skill as JSON as it is', () => {
    const skill = {
      v: 1, version: 'up-7', text: 'Look for flames.', source: 'upskiller',
      createdAt: '2026-12-03T10:00:00Z', score: 0.8, parent: 'up-6'
    }
    expect(parseSkillPayload(bytes(JSON.stringify(skill)), 1024)).toEqual({ ok: true, skill })
  })

  it.each([
    ['empty', new Uint8Array(0), /empty/],
    ['blank', bytes('   \n'), /blank/],
    ['binary', new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), /binary/],
    ['control characters', bytes('abc\u0000def'), /binary/],
    ['oversized', bytes('x'.repeat(1025)), /1025 bytes, over MAX_SKILL_BYTES 1024/],
    ['broken Skill JSON', bytes('{"v":1,"text":"x"}'), /version/]
  ])('refuses a skill that is %s', (_what, payload, reason) => {
    expect(parseSkillPayload(payload, 1024))
      .toEqual({ ok: false, reason: expect.stringMatching(reason) })
  })
})

describe('skill file', () => {
  let dir: string
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'skill-')) })
  afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

  it('uses the built-in skill when there is no file', async () => {
    expect(await loadSkillFile(join(dir, 'none.txt'), 'Built in.'))
      .toEqual({ version: 'builtin', text: 'Built in.' })
  })

  it('keeps a saved skill and its version across a restart', async () => {
    const file = join(dir, 'skill.txt')
    await saveSkillFile(file, { version: 'up-3', text: 'Count the people.' })
    expect(await readFile(file, 'utf8')).toBe('Count the people.\n')
    expect(await loadSkillFile(file, 'Built in.'))
      .toEqual({ version: 'up-3', text: 'Count the people.' })
  })

  it('gives a hand-edited file a version of its own', async () => {
    const file = join(dir, 'skill.txt')
    await writeFile(file, 'Edited by hand.')
    const loaded = await loadSkillFile(file, 'Built in.')
    expect(loaded).toEqual({
      version: expect.stringMatching(/^sha-[0-9a-f]{10}$/), text: 'Edited by hand.'
    })
  })
})

describe('skills over the bus', () => {
  const captured = captureLog('skills-test')
  const topics = createTopics()
  let broker: Broker
  let edge: MqttClient
  let hub: MqttClient
  let dir: string
  let watch: SkillWatch
  const target = {
    skill: { version: 'builtin', text: 'Built in.' } as ActiveSkill,
    setSkill (skill: ActiveSkill) { this.skill = skill }
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skill-bus-'))
    broker = await startTestBroker(captured.log)
    const url = `mqtt://127.0.0.1:${broker.mqttPort}`
    edge = await mqtt.connectAsync(url, { clientId: 'edge' })
    hub = await mqtt.connectAsync(url, { clientId: 'hub' })
    watch = await watchSkillUpdates({
      client: edge, topics, target, file: join(dir, 'skill.txt'), maxSkillBytes: 64,
      log: captured.log
    })
  })

  afterAll(async () => {
    await edge?.endAsync()
    await hub?.endAsync()
    await broker?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('swaps in a plain-text skill and saves it', async () => {
    await hub.publishAsync(topics.skillsUpdated, 'Say if a door is open.', { qos: 1, retain: true })
    await expect.poll(() => target.skill.text).toBe('Say if a door is open.')
    await watch.settled()
    expect(await loadSkillFile(join(dir, 'skill.txt'), '')).toEqual(target.skill)
    expect(captured.lines).toContainEqual(expect.objectContaining({
      msg: 'skill loaded', version: target.skill.version, source: 'manual'
    }))
  })

  it('refuses an oversized skill, logs why and keeps the one in use', async () => {
    const before = target.skill
    await hub.publishAsync(topics.skillsUpdated, 'y'.repeat(65), { qos: 1 })
    await expect.poll(() => watch.refused).toBe(1)
    expect(target.skill).toBe(before)
    expect(captured.lines).toContainEqual(expect.objectContaining({
      level: 40, msg: 'skill refused', reason: '65 bytes, over MAX_SKILL_BYTES 64',
      kept: before.version
    }))
  })
})
