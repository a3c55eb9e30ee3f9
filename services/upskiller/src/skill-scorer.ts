/**
 * Score a skill: the student answers every case under it, and each answer
 * earns the share of the case's keywords it names (word-matched, plurals
 * folded) and, where the case says, a point for the safety flag being right.
 */
import type { Logger } from 'pino'
import { HubError, ErrorCodes } from '@gemmaedge/shared'
import type { VisionAnswer, VisionModel } from '@gemmaedge/shared/vision'
import type { EvalCase } from './case-loader.ts'

/** How one case went. */
export interface CaseScore {
  id: string
  /** 0..1: keyword share, averaged with the safety point when the case has one. */
  score: number
  keywordShare: number
  /** Whether the safety flag was right; null when the case does not say. */
  safetyRight: boolean | null
  /** What the student said, or why it said nothing. */
  answer: string
  failed: boolean
}

export interface SkillResult {
  /** Mean case score, 0..1; 0 without cases. */
  mean: number
  cases: CaseScore[]
  failed: number
}

export interface ScoreOptions {
  student: VisionModel
  skill: string
  cases: EvalCase[]
  timeoutMs: number
  log: Logger
  /** Called after each case, for progress. */
  onCase?: (score: CaseScore) => void
}

/** The user turn of a text case: the scene in words, in place of a frame. */
export function textCasePrompt (user: string): string {
  return 'There is no image: the camera frame is told in words.\n' +
    `Frame: ${user}\n` +
    'Describe it. Answer in JSON with answer, confidence, safety, hazards and objects.'
}

/** Errors that end a run: every further case would fail the same way. */
const FATAL = new Set<string>([ErrorCodes.MODEL_UNREACHABLE, ErrorCodes.MODEL_MISSING])

export async function scoreSkill (o: ScoreOptions): Promise<SkillResult> {
  const cases: CaseScore[] = []
  for (const c of o.cases) {
    const score = await scoreCase(o, c)
    cases.push(score)
    o.onCase?.(score)
  }
  const mean = cases.length === 0 ? 0 : cases.reduce((s, c) => s + c.score, 0) / cases.length
  return { mean: round(mean), cases, failed: cases.filter((c) => c.failed).length }
}

async function scoreCase (o: ScoreOptions, c: EvalCase): Promise<CaseScore> {
  let answer: VisionAnswer
  try {
    answer = await o.student.describe({
      systemPrompt: o.skill,
      timeoutMs: o.timeoutMs,
      ...(c.image === undefined ? {} : { image: c.image }),
      ...(c.user === undefined ? {} : { prompt: textCasePrompt(c.user) })
    })
  } catch (err) {
    if (err instanceof HubError && FATAL.has(err.code)) throw err
    o.log.warn({ caseId: c.id, err }, 'case not answered, scored 0')
    const why = err instanceof Error ? err.message : String(err)
    return { id: c.id, score: 0, keywordShare: 0, safetyRight: null, answer: why, failed: true }
  }
  return { id: c.id, ...scoreAnswer(c, answer), answer: answer.answer, failed: false }
}

/** Score one answer against a case. */
export function scoreAnswer (
  c: Pick<EvalCase, 'keywords' | 'safety'>,
  answer: Pick<VisionAnswer, 'answer' | 'objects' | 'hazards' | 'safety'>
): Pick<CaseScore, 'score' | 'keywordShare' | 'safetyRight'> {
  const said = wordsOf([answer.answer, ...answer.objects, ...answer.hazards].join(' '))
  const hits = c.keywords.filter((k) => containsPhrase(said, wordsOf(k))).length
  const keywordShare = c.keywords.length === 0 ? 1 : hits / c.keywords.length

  if (c.safety === null) {
    return { score: round(keywordShare), keywordShare: round(keywordShare), safetyRight: null }
  }
  const safetyRight = answer.safety === c.safety
  const score = (keywordShare + (safetyRight ? 1 : 0)) / 2
  return { score: round(score), keywordShare: round(keywordShare), safetyRight }
}

const IRREGULAR: Record<string, string> = {
  people: 'person', persons: 'person', men: 'man', women: 'woman', children: 'child',
  knives: 'knife', shelves: 'shelf', leaves: 'leaf', mice: 'mouse'
}

/** Fold a word so `Flames` matches `flame` and `people` matches `person`. */
export function foldWord (word: string): string {
  const w = word.toLowerCase()
  if (IRREGULAR[w] !== undefined) return IRREGULAR[w]
  if (w.length > 4 && /(sh|ch|x|ss)es$/.test(w)) return w.slice(0, -2)
  if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) return w.slice(0, -1)
  return w
}

function wordsOf (text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).map(foldWord)
}

/** Whether the words hold the phrase's words side by side. */
function containsPhrase (words: string[], phrase: string[]): boolean {
  if (phrase.length === 0) return false
  for (let i = 0; i + phrase.length <= words.length; i++) {
    if (phrase.every((p, j) => words[i + j] === p)) return true
  }
  return false
}

function round (n: number): number {
  return Math.round(n * 1000) / 1000
}
