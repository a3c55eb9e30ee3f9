/**
 * Skills pushed over `skills/updated`: a Skill as JSON, or plain text that
 * becomes a manual skill. Anything else is refused with a reason and the
 * skill in use stays.
 */
import type { MqttClient } from 'mqtt'
import type { Logger } from 'pino'
import { SkillSchema, parsePayload, type Skill, type Topics } from '@gemmaedge/shared'
import { versionOf, saveSkillFile, type ActiveSkill } from './skill-file.ts'

export type SkillParse =
  | { ok: true, skill: Skill }
  | { ok: false, reason: string }

/** Characters that do not belong in a prompt: a sign of a binary payload. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/

export function parseSkillPayload (payload: Uint8Array, maxSkillBytes: number): SkillParse {
  if (payload.length === 0) {
    // An empty retained publish only clears the retained skill (MQTT-3.3.1-10).
    return { ok: false, reason: 'empty payload' }
  }
  if (payload.length > maxSkillBytes) {
    return { ok: false, reason: `${payload.length} bytes, over MAX_SKILL_BYTES ${maxSkillBytes}` }
  }

  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payload)
  } catch {
    return { ok: false, reason: 'binary payload, not UTF-8 text' }
  }
  if (CONTROL.test(text)) return { ok: false, reason: 'binary payload, control characters' }

  const trimmed = text.trim()
  if (trimmed === '') return { ok: false, reason: 'blank text' }
  if (trimmed.startsWith('{')) {
    const parsed = parsePayload(SkillSchema, trimmed)
    return parsed.ok ? { ok: true, skill: parsed.value } : parsed
  }

  return {
    ok: true,
    skill: {
      v: 1,
      version: `manual-${versionOf(trimmed).slice(4)}`,
      text: trimmed,
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
