/**
 * Eval cases: what a skill is scored on. A case is a scene, told in words
 * (a text case) or shown as a frame (an image case), with the keywords a
 * good answer names and, where known, whether it shows a hazard.
 *
 * A JSONL file holds one case a line, in any of three forms:
 *   { "user": "A person holds a lighter ...", "ideal_keywords": [...] }
 *   { "image": "frames/x.jpg", "ideal_keywords": [...], "safety": false }
 *   { "file": "x.jpg", "scene": "...", "objects": [...], "safety": true,
 *     "hazards": [...] }   (the labels.jsonl of a frames folder)
 * Paths are relative to the JSONL file's folder.
 */
import { readFile } from 'node:fs/promises'
import { basename, dirname, extname, resolve } from 'node:path'
import { z } from 'zod'
import { HubError, ErrorCodes } from '@gemmaedge/shared'

export interface EvalCase {
  /** `<file>:<line>` for a file case, `review:<frameId>` for a harvested one. */
  id: string
  /** The scene in words, for a text case. */
  user?: string
  /** The frame, for an image case. */
  image?: Uint8Array
  keywords: string[]
  /** Whether the scene shows a hazard; null when the case does not say. */
  safety: boolean | null
  /** A good answer, when the case has one: shown to the teacher. */
  reference?: string
  origin: 'file' | 'harvested'
}

const Words = z.array(z.string().trim().min(1))

const CaseLineSchema = z.object({
  id: z.string().min(1).optional(),
  user: z.string().trim().min(1).optional(),
  image: z.string().min(1).optional(),
  file: z.string().min(1).optional(),
  scene: z.string().optional(),
  ideal_keywords: Words.optional(),
  objects: Words.optional(),
  hazards: Words.optional(),
  safety: z.boolean().optional()
}).refine((c) => [c.user, c.image, c.file].filter((x) => x !== undefined).length === 1,
  'needs exactly one of "user" (text case), "image" or "file" (image case)')
type CaseLine = z.infer<typeof CaseLineSchema>

/** Read every case of the files, in order. Throws CASES_INVALID naming the line. */
export async function loadCaseFiles (files: string[]): Promise<EvalCase[]> {
  const cases: EvalCase[] = []
  for (const file of files) cases.push(...await loadCaseFile(file))
  return cases
}

async function loadCaseFile (file: string): Promise<EvalCase[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new HubError(ErrorCodes.CASES_INVALID,
      `CASES_FILES ${file} cannot be read (${(err as Error).message}); point it ` +
      'at a JSONL file of eval cases', { cause: err })
  }
  const cases: EvalCase[] = []
  const lines = text.split(/\r?\n/)
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue
    cases.push(await toCase(readLine(file, i + 1, line), file, i + 1))
  }
  return cases
}

function readLine (file: string, n: number, line: string): CaseLine {
  let json: unknown
  try {
    json = JSON.parse(line)
  } catch (err) {
    throw caseError(file, n, `not JSON (${(err as Error).message})`)
  }
  const parsed = CaseLineSchema.safeParse(json)
  if (!parsed.success) {
    throw caseError(file, n, z.prettifyError(parsed.error).replace(/\n/g, '; '))
  }
  return parsed.data
}

async function toCase (line: CaseLine, file: string, n: number): Promise<EvalCase> {
  const keywords = line.ideal_keywords ?? [...line.objects ?? [], ...line.hazards ?? []]
  if (keywords.length === 0) {
    throw caseError(file, n, 'names no keywords; give "ideal_keywords" or "objects"')
  }
  const base = {
    id: line.id ?? `${basename(file, extname(file))}:${n}`,
    keywords: [...new Set(keywords.map((k) => k.toLowerCase()))],
    safety: line.safety ?? (line.hazards === undefined ? null : line.hazards.length > 0),
    origin: 'file' as const,
    ...(line.scene === undefined ? {} : { reference: line.scene })
  }
  if (line.user !== undefined) return { ...base, user: line.user }

  const path = resolve(dirname(file), line.image ?? line.file ?? '')
  try {
    return { ...base, image: await readFile(path) }
  } catch (err) {
    throw caseError(file, n, `image ${path} cannot be read (${(err as Error).message})`)
  }
}

function caseError (file: string, n: number, problem: string): HubError {
  return new HubError(ErrorCodes.CASES_INVALID,
    `eval case ${file}:${n} ${problem}; fix or remove the line`)
}

/** A small seeded generator (mulberry32): the same seed, the same split. */
export function seededRandom (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The cases in an order fixed by the seed, whatever order they came in. */
export function shuffle<T extends { id: string }> (items: T[], seed: number): T[] {
  const out = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const random = seededRandom(seed)
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

export interface CaseSplit {
  train: EvalCase[]
  heldOut: EvalCase[]
}

/**
 * Split into training and held-out cases, reproducibly. Both parts get at
 * least one case, so a run always has something to confirm on.
 */
export function splitCases (cases: EvalCase[], heldOutShare: number, seed: number): CaseSplit {
  if (cases.length < 2) {
    throw new HubError(ErrorCodes.CASES_INVALID,
      `${cases.length} eval case(s); a run needs at least 2, one to train on and ` +
      'one to hold out: add cases to CASES_FILES')
  }
  const shuffled = shuffle(cases, seed)
  const held = Math.min(cases.length - 1, Math.max(1, Math.round(cases.length * heldOutShare)))
  return { heldOut: shuffled.slice(0, held), train: shuffled.slice(held) }
}
