/**
 * What arrives on `skills/updated`: a Skill as JSON, or plain text that the
 * edge wraps as a manual skill. One reading for the edge and the dashboard,
 * so both refuse the same payloads for the same reasons.
 */
import { SkillSchema, MAX_SKILL_BYTES, parsePayload, type Skill } from './schemas.ts'

/** A skill as published: the Skill, or plain text still without a version. */
export type PublishedSkill =
  | { kind: 'skill', skill: Skill }
  | { kind: 'text', text: string }

export type SkillPayload =
  | { ok: true, value: PublishedSkill | null }
  | { ok: false, reason: string }

/** Characters that do not belong in a prompt: a sign of a binary payload. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/

/**
 * Read a `skills/updated` payload. An empty payload is `null`: it only
 * clears the retained skill (MQTT-3.3.1-10). Never throws.
 */
export function readSkillPayload (
  payload: Uint8Array, maxSkillBytes = MAX_SKILL_BYTES
): SkillPayload {
  if (payload.length === 0) return { ok: true, value: null }
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
    return parsed.ok ? { ok: true, value: { kind: 'skill', skill: parsed.value } } : parsed
  }
  if (isJson(trimmed)) {
    // `null`, `42` or `[1,2]` is a mistake, not a prompt.
    return { ok: false, reason: 'JSON that is not a Skill object; send a Skill or plain text' }
  }
  return { ok: true, value: { kind: 'text', text: trimmed } }
}

function isJson (text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}
