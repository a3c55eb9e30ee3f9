/**
 * The skill the edges run now, which every candidate has to beat: the
 * retained message on `skills/updated` when there is one, else the edge's
 * skill file, else the built-in skill.
 */
import { readFile } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import type { MqttClient } from 'mqtt'
import type { Logger } from 'pino'
import { SkillSchema, parsePayload, type Skill, type Topics } from '@gemmaedge/shared'
import { builtinSkill } from './skill-library.ts'

export interface SkillTracker {
  /** The latest valid skill seen on the bus, or null. */
  readonly latest: Skill | null
  /** Wait up to `ms` for the retained skill, if none has come yet. */
  waitForRetained (ms: number): Promise<Skill | null>
}

/** Subscribe to `skills/updated` and keep the latest valid Skill. */
export async function trackSkills (
  client: MqttClient, topics: Topics, log: Logger
): Promise<SkillTracker> {
  let latest: Skill | null = null
  const waiters: Array<() => void> = []

  client.on('message', (topic, payload) => {
    if (topic !== topics.skillsUpdated || payload.length === 0) return
    const parsed = parsePayload(SkillSchema, payload)
    // Plain text is a manual skill the edges wrap themselves; from here it
    // is only the text, so it counts through the skill file instead.
    if (!parsed.ok) {
      log.debug({ topic, reason: parsed.reason }, 'skill not read')
      return
    }
    latest = parsed.value
    for (const wake of waiters.splice(0)) wake()
  })
  await client.subscribeAsync(topics.skillsUpdated, { qos: 1 })

  return {
    get latest () { return latest },
    async waitForRetained (ms) {
      if (latest !== null || ms === 0) return latest
      // A new subscription gets the retained message if there is one
      // (MQTT-3.3.1-6); that there is none shows only as silence.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms)
        waiters.push(() => { clearTimeout(timer); resolve() })
      })
      return latest
    }
  }
}

/** The skill from the bus, else the skill file, else the built-in one. */
export async function currentSkill (fromBus: Skill | null, skillFile: string): Promise<Skill> {
  if (fromBus !== null) return fromBus
  const text = (await readFile(skillFile, 'utf8').catch(() => '')).trim()
  if (text === '') return builtinSkill()
  return {
    v: 1,
    version: await fileVersion(skillFile, text),
    text,
    source: 'manual',
    createdAt: new Date().toISOString()
  }
}

/** The version saved beside the file, as the edge does, or one from the text. */
async function fileVersion (skillFile: string, text: string): Promise<string> {
  try {
    const meta = JSON.parse(await readFile(skillFile + '.json', 'utf8')) as
      { version?: unknown, text?: unknown }
    const same = typeof meta.text === 'string' && meta.text.trim() === text
    if (same && typeof meta.version === 'string') return meta.version
  } catch {}
  return 'sha-' + createHash('sha256').update(text).digest('hex').slice(0, 10)
}
