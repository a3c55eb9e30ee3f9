/**
 * The teacher writes candidate skills: it is shown the skill in use and the
 * cases where the student went wrong under it, and asked for N better
 * system prompts as structured output. Answers that hold too few usable
 * candidates are asked again, a bounded number of times.
 */
import { Ollama } from 'ollama'
import type { Logger } from 'pino'
import { HubError, ErrorCodes } from '@gemmaedge/shared'
import { toFormatSchema } from '@gemmaedge/shared/vision'
import { CandidateListSchema, parseCandidates, sameKey } from './candidate-parser.ts'

/** A case the student got wrong, as the teacher is shown it. */
export interface Mistake {
  /** The scene in words, or what a reference answer says the frame shows. */
  scene: string
  keywords: string[]
  safety: boolean | null
  /** What the student answered. */
  said: string
  score: number
}

export interface WriteOptions {
  host: string
  model: string
  count: number
  currentSkill: string
  mistakes: Mistake[]
  retries: number
  timeoutMs: number
  log: Logger
}

/** Mistakes shown to the teacher: enough to see a pattern, short enough to read. */
const MAX_MISTAKES = 12

export const COACH_PROMPT = [
  'You coach a small vision model that watches a fixed camera in a home,',
  'office or shop. It answers every frame under a system prompt (its skill).',
  'You write better skills: clear instructions that make it name the people',
  'and objects it sees, flag real hazards (fire, smoke, flame, blades, a fallen',
  'person) and not invent any, and answer in JSON with the keys answer,',
  'confidence, safety, hazards, objects. Each skill must stand on its own.'
].join('\n')

/** The user turn: the skill in use, its mistakes and what to write. */
export function coachRequest (
  o: Pick<WriteOptions, 'count' | 'currentSkill' | 'mistakes'>
): string {
  const mistakes = o.mistakes.slice(0, MAX_MISTAKES).map((m, i) =>
    `${i + 1}. Frame: ${m.scene}\n   Should name: ${m.keywords.join(', ')}` +
    (m.safety === null ? '' : `; hazard: ${m.safety ? 'yes' : 'no'}`) +
    `\n   The student said: ${m.said}`)
  return [
    'The skill in use:', '"""', o.currentSkill, '"""', '',
    mistakes.length === 0
      ? 'The student made no clear mistakes; write skills that keep it as good.'
      : `Where the student went wrong under it:\n${mistakes.join('\n')}`,
    '',
    `Write ${o.count} different candidate skills that would do better.`,
    'Answer in JSON: {"skills": ["<skill 1>", "<skill 2>", ...]}'
  ].join('\n')
}

/** N unique candidates, none the skill in use. Throws MODEL_BAD_ANSWER when none. */
export async function writeCandidates (o: WriteOptions): Promise<string[]> {
  const log = o.log.child({ component: 'candidate-writer', model: o.model })
  const found = new Map<string, string>([[sameKey(o.currentSkill), '']])
  let last = ''

  for (let attempt = 1; attempt <= o.retries; attempt++) {
    last = await askTeacher(o)
    for (const text of parseCandidates(last)) {
      if (!found.has(sameKey(text))) found.set(sameKey(text), text)
    }
    const usable = [...found.values()].filter((t) => t !== '')
    if (usable.length >= o.count) return usable.slice(0, o.count)
    log.warn({ attempt, usable: usable.length, wanted: o.count, retries: o.retries },
      'teacher gave too few usable candidates')
  }

  const usable = [...found.values()].filter((t) => t !== '')
  if (usable.length > 0) return usable
  throw new HubError(ErrorCodes.MODEL_BAD_ANSWER,
    `teacher ${o.model} at OLLAMA_HOST ${o.host} gave no usable candidate skill ` +
    `in ${o.retries} attempts (last answer began ${JSON.stringify(last.slice(0, 120))}); ` +
    'raise TEACHER_RETRIES or try another TEACHER_MODEL')
}

async function askTeacher (o: WriteOptions): Promise<string> {
  const deadline = AbortSignal.timeout(o.timeoutMs)
  // The ollama package passes no signal on a non-streaming call: the
  // deadline can only go on its fetch.
  const client = new Ollama({
    host: o.host,
    fetch: async (input, init) => fetch(input, { ...init, signal: deadline })
  })
  try {
    const response = await client.chat({
      model: o.model,
      messages: [
        { role: 'system', content: COACH_PROMPT },
        { role: 'user', content: coachRequest(o) }
      ],
      format: toFormatSchema(CandidateListSchema),
      stream: false,
      // Some spread, so the candidates differ from each other.
      options: { temperature: 0.8 }
    })
    return response.message.content
  } catch (err) {
    throw teacherError(err, o, deadline.aborted)
  }
}

function teacherError (err: unknown, o: WriteOptions, timedOut: boolean): HubError {
  const where = `teacher ${o.model} at OLLAMA_HOST ${o.host}`
  if (timedOut) {
    return new HubError(ErrorCodes.MODEL_TIMEOUT,
      `${where} did not answer in ${o.timeoutMs} ms; raise TEACHER_TIMEOUT_MS`,
      { cause: err })
  }
  const status = (err as { status_code?: unknown }).status_code
  const code = status === 404 ? ErrorCodes.MODEL_MISSING : ErrorCodes.MODEL_UNREACHABLE
  const fix = status === 404 ? `run: ollama pull ${o.model}` : 'is `ollama serve` running?'
  return new HubError(code, `${where} failed (${(err as Error).message}); ${fix}`,
    { cause: err })
}
