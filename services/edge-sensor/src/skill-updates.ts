/**
 * Skills pushed over `skills/updated`: a Skill as JSON, or plain text that
 * becomes a manual skill. Anything else is refused with a reason and the
 * skill in use stays.
 */
import type { MqttClient } from 'mqtt'
import type { Logger } from 'pino'
import { readSkillPayload, type Skill, type Topics } from '@gemmaedge/shared'
import { versionOf, saveSkillFile, type ActiveSkill } from './skill-file.ts'

export type SkillParse =
  | { ok: true, skill: Skill }
  | { ok: false, reason: string }

/** A skill from the bus, plain text made a manual skill; empty is refused. */
export function parseSkillPayload (payload: Uint8Array, maxSkillBytes: number): SkillParse {
  const read = readSkillPayload(payload, maxSkillBytes)
  if (!read.ok) return read
  if (read.value === null) return { ok: false, reason: 'empty payload' }
  if (read.value.kind === 'skill') return { ok: true, skill: read.value.skill }

  const { text } = read.value
  return {
    ok: true,
    skill: {
      v: 1,
      version: `manual-${versionOf(text).slice(4)}`,
      text,
      source: 'manual',
      createdAt: new Date().toISOString()
    }
  }
}

export interface SkillTarget {
  readonly skill: ActiveSkill
  setSkill (skill: ActiveSkill): void
}

export interface SkillWatchOptions {
  client: MqttClient
  topics: Topics
  target: SkillTarget
  /** Where the skill is saved so a restart keeps it. */
  file: string
  maxSkillBytes: number
  log: Logger
}

export interface SkillWatch {
  readonly refused: number
  /** Resolves when the last skill received has been applied and saved. */
  settled (): Promise<void>
}

/** Subscribe to `skills/updated` and swap each valid skill in. */
export async function watchSkillUpdates (o: SkillWatchOptions): Promise<SkillWatch> {
  const log = o.log.child({ component: 'skills' })
  let refused = 0
  let saving = Promise.resolve()

  o.client.on('message', (topic, payload) => {
    if (topic !== o.topics.skillsUpdated) return
    if (payload.length === 0) {
      log.info({ topic, kept: o.target.skill.version }, 'retained skill cleared, skill in use kept')
      return
    }
    const parsed = parseSkillPayload(payload, o.maxSkillBytes)
    if (!parsed.ok) {
      refused++
      log.warn({ topic, reason: parsed.reason, refused, kept: o.target.skill.version },
        'skill refused')
      return
    }
    const { version, text, source } = parsed.skill
    if (version === o.target.skill.version && text === o.target.skill.text) return

    o.target.setSkill({ version, text })
    log.info({ version, source, bytes: payload.length }, 'skill loaded')
    saving = saving.then(() => saveSkillFile(o.file, { version, text }))
      .catch((err: unknown) => log.error({ err, file: o.file }, 'skill not saved'))
  })
  await o.client.subscribeAsync(o.topics.skillsUpdated, { qos: 1 })

  return {
    get refused () { return refused },
    settled: () => saving
  }
}
