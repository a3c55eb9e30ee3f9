/**
 * Every skill version the upskiller has seen or made, one JSON file each
 * (`<SKILLS_DIR>/<version>.json`), and publishing one on `skills/updated`.
 * Keeping them all is what makes a rollback a publish of an old version.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { MqttClient } from 'mqtt'
import {
  HubError, ErrorCodes, SkillSchema, parsePayload, type Skill, type Topics
} from '@gemmaedge/shared'
import { DEFAULT_STUDENT_PROMPT } from '@gemmaedge/shared/vision'

/** The version the edge gives its built-in skill; `rollback builtin` restores it. */
export const BUILTIN_VERSION = 'builtin'

/** Versions that are safe as file names: no path separators, no dots first. */
const VERSION_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/

/** A new version for a skill text: the time it was made and a hash of the text. */
export function newVersion (text: string, at = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 6)
  return `up-${stamp}-${hash}`
}

export class SkillLibrary {
  constructor (readonly dir: string) {}

  /** Keep a skill; an existing file for the version is replaced. */
  async save (skill: Skill): Promise<void> {
    const file = this.fileOf(skill.version)
    await mkdir(this.dir, { recursive: true })
    const tmp = `${file}.${process.pid}.tmp`
    await writeFile(tmp, JSON.stringify(SkillSchema.parse(skill), null, 2) + '\n')
    await rename(tmp, file)
  }

  /** Keep a skill seen on the bus, unless it is kept already. */
  async remember (skill: Skill): Promise<void> {
    if (skill.version === BUILTIN_VERSION) return
    if (await this.find(skill.version) === null) await this.save(skill)
  }

  /** The stored skill of a version; `builtin` is always there. */
  async get (version: string): Promise<Skill> {
    const skill = await this.find(version)
    if (skill !== null) return skill
    const known = (await this.list()).map((s) => s.version)
    throw new HubError(ErrorCodes.SKILL_UNKNOWN,
      `no skill version ${JSON.stringify(version)} in SKILLS_DIR ${this.dir} ` +
      `(it has: ${[BUILTIN_VERSION, ...known].join(', ')}); ` +
      'see `npm run upskill -- list`')
  }

  /** Every stored skill, oldest first. */
  async list (): Promise<Skill[]> {
    let names: string[]
    try {
      names = await readdir(this.dir)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw err
    }
    const skills: Skill[] = []
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const skill = await this.find(name.slice(0, -'.json'.length))
      if (skill !== null) skills.push(skill)
    }
    return skills.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  }

  /** Publish a skill retained at QoS 1, so every edge gets it, now or later. */
  async publish (client: MqttClient, topics: Topics, skill: Skill): Promise<void> {
    await this.remember(skill)
    await client.publishAsync(topics.skillsUpdated,
      JSON.stringify(SkillSchema.parse(skill)), { qos: 1, retain: true })
  }

  private async find (version: string): Promise<Skill | null> {
    if (version === BUILTIN_VERSION) return builtinSkill()
    let text: string
    try {
      text = await readFile(this.fileOf(version), 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw err
    }
    const parsed = parsePayload(SkillSchema, text)
    return parsed.ok ? parsed.value : null
  }

  private fileOf (version: string): string {
    if (!VERSION_PATTERN.test(version)) {
      throw new HubError(ErrorCodes.SKILL_UNKNOWN,
        `skill version ${JSON.stringify(version)} is not a valid name; use ` +
        'letters, digits, ".", "_" and "-"')
    }
    return join(this.dir, `${version}.json`)
  }
}

/** The edge's built-in skill as a Skill, for a rollback to it. */
export function builtinSkill (): Skill {
  return {
    v: 1,
    version: BUILTIN_VERSION,
    text: DEFAULT_STUDENT_PROMPT,
    source: 'manual',
    createdAt: '2026-01-01T00:00:00.000Z'
  }
}
