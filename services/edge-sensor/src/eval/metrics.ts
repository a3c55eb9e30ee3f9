/**
 * What the eval measures. A row per frame comes from the stored answers and
 * the policy's reasons; every total is computed from the rows alone, so the
 * files can never disagree with themselves. A rate with nothing to count is
 * null, never NaN.
 */
import type { Reason, Verdict } from '@gemmaedge/shared'
import type { VisionAnswer } from '@gemmaedge/shared/vision'
import type { FrameLabel } from './labels.ts'
import { judgeVerdict, termOf } from '@gemmaedge/shared'

/** One labelled frame as the edge saw it. */
export interface EvalRecord {
  label: FrameLabel
  /** The frame's sequence number in the run, as the policy saw it. */
  seq: number
  /** The student's answer, or null when the frame failed. */
  answer: VisionAnswer | null
  crossCheck: VisionAnswer | null
  teacher: VisionAnswer | null
  error: string | null
}

export interface TeacherView {
  verdict: Verdict
  detail: string
  answer: string
}

export interface FrameRow {
  file: string
  answer: string | null
  confidence: number | null
  /** Reason kinds that fired, in the policy's order. */
  reasons: string[]
  escalated: boolean
  labelSafety: boolean
  objectsLabelled: number
  objectsFound: number
  objectRecall: number | null
  latencyMs: number | null
  teacher: TeacherView | null
  error: string | null
}

/** Lower case words, each folded to its singular, padded for phrase search. */
function foldWords (text: string): string {
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? []
  return ` ${words.map(termOf).join(' ')} `
}

/**
 * How many labelled objects the answer names, in its objects or its words.
 * A label of several words ("dining table") must appear as that phrase.
 */
export function countObjectsFound (labelled: string[], answer: VisionAnswer): number {
  const said = [answer.answer, ...answer.objects].map(foldWords)
  let found = 0
  for (const phrase of new Set(labelled.map(foldWords))) {
    if (said.some((s) => s.includes(phrase))) found++
  }
  return found
}

function teacherView (
  answer: VisionAnswer, teacher: VisionAnswer | null
): TeacherView | null {
  if (teacher === null) return null
  const { verdict, detail } = judgeVerdict(answer, teacher)
  return { verdict, detail, answer: teacher.answer }
}

/** The row of one frame, given the reasons the policy gave it. */
export function rowOf (record: EvalRecord, reasons: Reason[]): FrameRow {
  const { label, answer } = record
  const labelled = new Set(label.objects.map(foldWords)).size
  const found = answer === null ? 0 : countObjectsFound(label.objects, answer)
  return {
    file: label.file,
    answer: answer?.answer ?? null,
    confidence: answer?.confidence ?? null,
    reasons: reasons.map((r) => r.kind),
    escalated: reasons.length > 0,
    labelSafety: label.safety,
    objectsLabelled: labelled,
    objectsFound: found,
    objectRecall: answer === null || labelled === 0 ? null : found / labelled,
    latencyMs: answer?.latencyMs ?? null,
    teacher: answer === null ? null : teacherView(answer, record.teacher),
    error: record.error
  }
}

export interface TeacherTotals {
  reviewed: number
  verdicts: Record<Verdict, number>
  /** Share of reviewed frames the teacher agreed with. */
  agreement: number | null
  /** Frames the edge kept that the teacher disagreed with: missed errors. */
  missed: number
  /** Of the frames the edge kept, the share the teacher disagreed with. */
  missedRate: number | null
}

export interface Totals {
  frames: number
  analysed: number
  failed: number
  escalated: number
  escalationRate: number | null
  safetyFrames: number
  /** Safety-labelled frames that were escalated, for any reason. */
  safetyEscalated: number
  safetyRecall: number | null
  /** Safety-labelled frames the safety rule itself caught. */
  safetyFlagRecall: number | null
  /** Frames escalated for a safety reason. */
  safetyFlagged: number
  safetyPrecision: number | null
  /** Frames each reason kind fired on. */
  reasons: Record<string, number>
  objectsLabelled: number
  objectsFound: number
  objectRecall: number | null
  latencyP50Ms: number | null
  latencyP95Ms: number | null
  teacher: TeacherTotals | null
}

/** `part / whole`, or null when there is nothing to divide. */
export function ratio (part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole
}

/** Nearest-rank percentile (p in 0..1), or null for no values. */
export function percentile (values: number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil(p * sorted.length))
  return sorted[rank - 1] ?? null
}

function count<T> (items: T[], test: (item: T) => boolean): number {
  return items.reduce((n, item) => n + (test(item) ? 1 : 0), 0)
}

function reasonCounts (rows: FrameRow[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const row of rows) {
    for (const kind of new Set(row.reasons)) counts[kind] = (counts[kind] ?? 0) + 1
  }
  return counts
}

function teacherTotals (rows: FrameRow[]): TeacherTotals | null {
  const reviewed = rows.filter((r) => r.teacher !== null)
  if (reviewed.length === 0) return null
  const verdicts = { agree: 0, partial: 0, disagree: 0 }
  for (const row of reviewed) verdicts[(row.teacher as TeacherView).verdict]++
  const kept = reviewed.filter((r) => !r.escalated)
  const missed = count(kept, (r) => r.teacher?.verdict === 'disagree')
  return {
    reviewed: reviewed.length,
    verdicts,
    agreement: ratio(verdicts.agree, reviewed.length),
    missed,
    missedRate: ratio(missed, kept.length)
  }
}

/** Every total, from the rows; failed frames count only in `failed`. */
export function totalsOf (rows: FrameRow[]): Totals {
  const ok = rows.filter((r) => r.error === null)
  const safety = ok.filter((r) => r.labelSafety)
  const flagged = ok.filter((r) => r.reasons.includes('safety'))
  const escalated = count(ok, (r) => r.escalated)
  const safetyEscalated = count(safety, (r) => r.escalated)
  const safetyCaught = count(safety, (r) => r.reasons.includes('safety'))
  const objectsLabelled = ok.reduce((n, r) => n + r.objectsLabelled, 0)
  const objectsFound = ok.reduce((n, r) => n + r.objectsFound, 0)
  const latencies = ok.map((r) => r.latencyMs).filter((l): l is number => l !== null)

  return {
    frames: rows.length,
    analysed: ok.length,
    failed: rows.length - ok.length,
    escalated,
    escalationRate: ratio(escalated, ok.length),
    safetyFrames: safety.length,
    safetyEscalated,
    safetyRecall: ratio(safetyEscalated, safety.length),
    safetyFlagRecall: ratio(safetyCaught, safety.length),
    safetyFlagged: flagged.length,
    safetyPrecision: ratio(count(flagged, (r) => r.labelSafety), flagged.length),
    reasons: reasonCounts(ok),
    objectsLabelled,
    objectsFound,
    objectRecall: ratio(objectsFound, objectsLabelled),
    latencyP50Ms: percentile(latencies, 0.5),
    latencyP95Ms: percentile(latencies, 0.95),
    teacher: teacherTotals(ok)
  }
}
