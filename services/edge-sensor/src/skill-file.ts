/**
 * The skill in use: the student's system prompt. It lives in `skill.txt`
 * (plain text, easy to edit by hand) with its version beside it in
 * `skill.txt.json`, so a restart keeps the skill and the version it came with.
 */
import { readFile, writeFile, rename } from 'node:fs/promises'
import { createHash } from 'node:crypto'

export interface ActiveSkill {
  /** `builtin`, the version a published skill came with, or one from the text. */
  version: string
  text: string
}

/** A stable version for a skill text that came without one. */
export function versionOf (text: string): string {
  return 'sha-' + createHash('sha256').update(text).digest('hex').slice(0, 10)
}

async function readIfThere (file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}

/** Read the skill file; the built-in skill when it is missing or blank. */
export async function loadSkillFile (file: string, builtin: string): Promise<ActiveSkill> {
  const text = (await readIfThere(file))?.trim() ?? ''
  if (text === '') return { version: 'builtin', text: builtin }

  // The version is only trusted while the text is the one it was saved with:
  // someone may have edited skill.txt by hand since.
  const meta = await readIfThere(file + '.json')
  try {
    const saved = JSON.parse(meta ?? 'null') as Partial<ActiveSkill> | null
    if (saved?.text?.trim() === text && typeof saved.version === 'string') {
      return { version: saved.version, text }
    }
  } catch {}
  return { version: versionOf(text), text }
}

/** Write the skill so the next start uses it; each file replaced whole. */
export async function saveSkillFile (file: string, skill: ActiveSkill): Promise<void> {
  await replace(file, skill.text + '\n')
  await replace(file + '.json', JSON.stringify(skill, null, 2) + '\n')
}

async function replace (file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, content, 'utf8')
  await rename(tmp, file)
}
