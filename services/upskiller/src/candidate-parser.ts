/**
 * Read candidate skills out of what the teacher wrote. It is asked for
 * `{ "skills": [...] }` as structured output, but models also answer with
 * the JSON in a ```json fence, with prose around it, as a bare array, as
 * objects holding the text, with duplicates and with empty strings. All of
 * those are read; what is left is trimmed, unique and of a usable size.
 */
import { z } from 'zod'
import { MAX_SKILL_BYTES, utf8Bytes } from '@gemmaedge/shared'

/** What the teacher is asked to answer with; its JSON schema goes in `format`. */
export const CandidateListSchema = z.object({
  skills: z.array(z.string()
    .describe('One complete system prompt for the student model'))
    .describe('The candidate skills, each different from the others')
})
export type CandidateList = z.infer<typeof CandidateListSchema>

/** An item as models write it: the text, or an object holding it. */
const ItemSchema = z.union([
  z.string(),
  z.object({ text: z.string() }).transform((o) => o.text),
  z.object({ skill: z.string() }).transform((o) => o.skill),
  z.object({ prompt: z.string() }).transform((o) => o.prompt),
  z.unknown().transform(() => '')
])
const ItemsSchema = z.array(ItemSchema)

/** The list itself, or an object with it under one of the names models use. */
const AnswerSchema = z.union([
  ItemsSchema,
  z.object({ skills: ItemsSchema }).transform((o) => o.skills),
  z.object({ candidates: ItemsSchema }).transform((o) => o.candidates),
  z.object({ prompts: ItemsSchema }).transform((o) => o.prompts)
])

/** The usable candidates in a raw answer; none when nothing could be read. */
export function parseCandidates (raw: string): string[] {
  for (const json of jsonIn(raw)) {
    const parsed = AnswerSchema.safeParse(json)
    const usable = parsed.success ? cleanCandidates(parsed.data) : []
    if (usable.length > 0) return usable
  }
  return []
}

/** Trimmed, non-empty, within MAX_SKILL_BYTES, each once (case and spacing aside). */
export function cleanCandidates (texts: string[]): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const text of texts.map((t) => t.trim())) {
    const key = sameKey(text)
    if (key === '' || seen.has(key) || utf8Bytes(text) > MAX_SKILL_BYTES) continue
    seen.add(key)
    out.push(text)
  }
  return out
}

/** The form two candidates are compared in: case and runs of spaces aside. */
export function sameKey (text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ')
}

/**
 * Every JSON value the text may hold, most likely first: each fenced block,
 * the whole text, then the widest `{...}` and `[...]` inside prose.
 */
function jsonIn (raw: string): unknown[] {
  const text = raw.trim()
  const pieces: string[] = []
  for (const fence of text.matchAll(/```[a-z]*\s*([\s\S]*?)```/gi)) {
    if (fence[1] !== undefined) pieces.push(fence[1])
  }
  pieces.push(text, between(text, '{', '}'), between(text, '[', ']'))

  const values: unknown[] = []
  for (const piece of pieces) {
    try {
      values.push(JSON.parse(piece.trim()))
    } catch {}
  }
  return values
}

function between (text: string, open: string, close: string): string {
  const start = text.indexOf(open)
  const end = text.lastIndexOf(close)
  return start >= 0 && end > start ? text.slice(start, end + 1) : ''
}
