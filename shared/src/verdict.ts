/**
 * Did the student's answer hold up? The teacher's answer is the reference:
 * a missed or invented hazard is a disagreement, otherwise the verdict
 * follows how much of what the teacher named the student named too.
 */
import type { Verdict } from './schemas.ts'

export interface Judged {
  safety: boolean
  answer: string
  objects: string[]
}

export interface VerdictResult {
  verdict: Verdict
  detail: string
  /** Share of the teacher's terms the student also named, 0..1. */
  overlap: number
}

/** Overlap at or above which the student agrees with the teacher. */
export const AGREE_OVERLAP = 0.6
/** Overlap at or above which the student is partly right. */
export const PARTIAL_OVERLAP = 0.25

const STOP_WORDS = new Set([
  'a', 'an', 'the', 'and', 'or', 'of', 'in', 'on', 'at', 'to', 'with', 'by',
  'is', 'are', 'was', 'be', 'there', 'this', 'that', 'it', 'its', 'some',
  'no', 'not', 'any', 'one', 'two', 'three', 'four', 'five', 'several', 'few',
  'frame', 'image', 'photo', 'picture', 'scene', 'shows', 'showing', 'visible',
  'detected', 'known', 'objects', 'object', 'confidence', 'appears', 'from',
  'near', 'into', 'for', 'has', 'have', 'who', 'which', 'while', 'room'
])

const PLURALS: Record<string, string> = {
  people: 'person', persons: 'person', men: 'man', women: 'woman', children: 'child',
  knives: 'knife', shelves: 'shelf', benches: 'bench', glasses: 'glass'
}

/** Fold a word to a comparable term: lower case, singular. */
export function termOf (word: string): string {
  const w = word.toLowerCase()
  if (PLURALS[w] !== undefined) return PLURALS[w]
  if (w.length > 3 && w.endsWith('es') && /(sh|ch|x|ss)es$/.test(w)) return w.slice(0, -2)
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1)
  return w
}

/** The meaningful words of an answer, folded to terms. */
export function termsOf (judged: Judged): Set<string> {
  const terms = new Set(judged.objects.map(termOf))
  for (const word of judged.answer.toLowerCase().match(/[a-z][a-z-]+/g) ?? []) {
    if (!STOP_WORDS.has(word)) terms.add(termOf(word))
  }
  return terms
}

/**
 * What the student is held to: the objects the teacher named when it named
 * any (its words around them are style, not content), else its words.
 */
function expectedTerms (teacher: Judged): Set<string> {
  if (teacher.objects.length > 0) return new Set(teacher.objects.map(termOf))
  return termsOf(teacher)
}

export function judgeVerdict (student: Judged, teacher: Judged): VerdictResult {
  const expected = expectedTerms(teacher)
  const given = termsOf(student)
  let shared = 0
  for (const term of expected) if (given.has(term)) shared++
  const overlap = expected.size === 0 ? (given.size === 0 ? 1 : 0.5) : shared / expected.size

  if (student.safety !== teacher.safety) {
    const detail = teacher.safety ? 'student missed a hazard' : 'student raised a false hazard'
    return { verdict: 'disagree', detail, overlap }
  }
  const pct = `${Math.round(overlap * 100)}% of the teacher's terms named`
  if (overlap >= AGREE_OVERLAP) return { verdict: 'agree', detail: pct, overlap }
  if (overlap >= PARTIAL_OVERLAP) return { verdict: 'partial', detail: pct, overlap }
  return { verdict: 'disagree', detail: pct, overlap }
}
