/**
 * Turn what a language model wrote into an answer. Models do not always keep
 * to the format they were asked for, so this reads, in order: a JSON object
 * (bare, in a ```json fence, or with prose around it), then plain text with
 * trailing `CONFIDENCE:` style lines, then the text as it is.
 */
import { normaliseConfidence } from '../confidence.ts'

/** An answer read from a model's text, before the model name and timing. */
export interface ParsedAnswer {
  answer: string
  /** 0..1, or null when the model gave none that could be read. */
  confidence: number | null
  safety: boolean
  /** Lower case, trimmed, without duplicates. */
  hazards: string[]
  /** Lower case, trimmed, without duplicates. */
  objects: string[]
}

/** Words models put in a list to mean an empty list. */
const NOTHING = new Set(['none', 'n/a', 'na', 'nothing', 'no', 'null', '-'])

/** `CONFIDENCE: 0.8`, also as `**Confidence:** 0.8` or `- hazards = fire`. */
const LABELLED_LINE =
  /^[\s*_#>-]*(confidence|hazards?|safety|objects?)[\s*_]*[:=]\s*(.*)$/i

/** Read a model's raw text. Never throws; unreadable text is the answer. */
export function parseAnswer (raw: string): ParsedAnswer {
  const text = raw.trim()
  const json = findJsonObject(text)
  if (json !== null) {
    const answer = json.answer ?? json.description
    if (typeof answer === 'string') return fromJson(answer, json)
  }
  return fromText(text)
}

function fromJson (answer: string, json: Record<string, unknown>): ParsedAnswer {
  const hazards = toList(json.hazards)
  return {
    answer: answer.trim(),
    confidence: normaliseConfidence(json.confidence),
    // A listed hazard is a safety concern even if the model forgot the flag.
    safety: toBoolean(json.safety) || hazards.length > 0,
    hazards,
    objects: toList(json.objects)
  }
}

/**
 * Plain text, with optional trailing lines such as `CONFIDENCE: 0.8` or
 * `HAZARDS: fire, smoke`. The answer is the text before the first of them.
 */
function fromText (text: string): ParsedAnswer {
  const lines = text.split(/\r?\n/)
  const fields: Record<string, string> = {}
  let end = lines.length

  while (end > 0) {
    const line = lines[end - 1] ?? ''
    const match = LABELLED_LINE.exec(line)
    if (match === null && line.trim() !== '') break
    if (match !== null) {
      const key = (match[1] ?? '').toLowerCase().replace(/s$/, '')
      fields[key] ??= cleanValue(match[2] ?? '')
    }
    end--
  }

  const hazards = toList(fields.hazard)
  return {
    answer: lines.slice(0, end).join('\n').trim(),
    confidence: readConfidence(fields.confidence),
    safety: toBoolean(fields.safety) || hazards.length > 0,
    hazards,
    objects: toList(fields.object)
  }
}

/** A confidence, also when the model added words after it: `0.8 (fairly sure)`. */
function readConfidence (value: string | undefined): number | null {
  if (value === undefined) return null
  const lead = /^\d+(?:\.\d+)?\s*%?/.exec(value)?.[0]
  return normaliseConfidence(value) ?? normaliseConfidence(lead)
}

/** The first JSON object in the text: fenced, bare, or inside prose. */
function findJsonObject (text: string): Record<string, unknown> | null {
  const candidates: string[] = []
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(text)
  if (fence?.[1] !== undefined) candidates.push(fence[1])
  candidates.push(text)

  const start = text.indexOf('{')
  const end = text.lastIndexOf('}')
  if (start >= 0 && end > start) candidates.push(text.slice(start, end + 1))

  for (const candidate of candidates) {
    const value = tryJson(candidate.trim())
    if (isRecord(value)) return value
  }
  return null
}

function tryJson (text: string): unknown {
  if (!text.startsWith('{')) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Strip the markdown and the full stop models put around a value. */
function cleanValue (value: string): string {
  return value.replace(/[*_`]/g, '').trim().replace(/[.;,]$/, '').trim()
}

/** A list as models give it: an array, or one comma-separated string. */
function toList (value: unknown): string[] {
  const items = Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string' ? value.split(/[,;]/) : []

  const out = new Set<string>()
  for (const item of items) {
    const name = cleanValue(item).toLowerCase()
    if (name !== '' && !NOTHING.has(name)) out.add(name)
  }
  return [...out]
}

function toBoolean (value: unknown): boolean {
  if (typeof value === 'boolean') return value
  if (typeof value !== 'string') return false
  return ['true', 'yes', 'unsafe', 'hazard'].includes(cleanValue(value).toLowerCase())
}
