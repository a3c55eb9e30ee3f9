import { describe, expect, it } from 'vitest'
import { MAX_SKILL_BYTES } from '../src/schemas.ts'
import { readSkillPayload } from '../src/skill-payload.ts'

const bytes = (text: string) => new TextEncoder().encode(text)

const skill = {
  v: 1,
  version: 'up-20261203T144000Z-1a2b3c',
  text: 'You watch a fixed camera in a home.',
  source: 'upskiller',
  createdAt: '2026-12-03T14:40:00.000Z',
  score: 0.82,
  parent: 'builtin'
}

describe('readSkillPayload', () => {
  it('takes a Skill as JSON', () => {
    expect(readSkillPayload(bytes(JSON.stringify(skill))))
      .toEqual({ ok: true, value: { kind: 'skill', skill } })
  })

  it('takes plain text as a manual skill, trimmed', () => {
    expect(readSkillPayload(bytes('  Describe the room.\n')))
      .toEqual({ ok: true, value: { kind: 'text', text: 'Describe the room.' } })
  })

  it('reads an empty payload as the retained skill cleared', () => {
    expect(readSkillPayload(new Uint8Array())).toEqual({ ok: true, value: null })
  })

  it('refuses JSON that is not a Skill', () => {
    const result = readSkillPayload(bytes('{"v":1,"version":"x","text":""}'))
    expect(result).toMatchObject({ ok: false })
  })

  it('refuses binary, blank and oversized payloads', () => {
    expect(readSkillPayload(new Uint8Array([0xff, 0xfe, 0x00])))
      .toEqual({ ok: false, reason: 'binary payload, not UTF-8 text' })
    expect(readSkillPayload(bytes('a\u0000b')))
      .toEqual({ ok: false, reason: 'binary payload, control characters' })
    expect(readSkillPayload(bytes('   \n '))).toEqual({ ok: false, reason: 'blank text' })
    expect(readSkillPayload(bytes('x'.repeat(MAX_SKILL_BYTES + 1))))
      .toEqual({ ok: false,
        reason: `${MAX_SKILL_BYTES + 1} bytes, over MAX_SKILL_BYTES ${MAX_SKILL_BYTES}` })
  })

  it.each(['null', '42', '[1,2,3]', 'true', '"a prompt in quotes"'])(
    'refuses JSON %s that is not a Skill object', (payload) => {
      expect(readSkillPayload(bytes(payload))).toEqual({
        ok: false, reason: 'JSON that is not a Skill object; send a Skill or plain text'
      })
    })
})
