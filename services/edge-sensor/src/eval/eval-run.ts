/**
 * Run the edge over labelled frames: each frame goes through the same
 * FrameAnalyser and policy the sensor runs, and, where a teacher is given,
 * the teacher looks at the same frame the way a review would.
 */
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from 'pino'
import { HubError, type Reason } from '@gemmaedge/shared'
import type { VisionAnswer, VisionModel } from '@gemmaedge/shared/vision'
import { createPolicy, type PolicyOptions } from '../escalation-policy.ts'
import { FrameAnalyser } from '../frame-analyser.ts'
import { EvalErrorCodes, type FrameLabel } from './labels.ts'
import { rowOf, type EvalRecord, type FrameRow } from './metrics.ts'

export interface EvalRunOptions {
  framesDir: string
  labels: FrameLabel[]
  model: VisionModel
  /** The detector cross-checking the student, or null. */
  crossCheck: VisionModel | null
  teacher: VisionModel | null
  teacherPrompt: string
  policy: PolicyOptions
  skill: string
  modelTimeoutMs: number
  log: Logger
  /** Called after each frame with how many are done. */
  onFrame?: (done: number, record: EvalRecord) => void
}

export interface EvalRun {
  records: EvalRecord[]
  /** Rows with the reasons the analyser's policy gave during the run. */
  rows: FrameRow[]
}

/** Throws FRAMES_MISSING naming every labelled file not in the folder. */
export async function checkFrames (dir: string, labels: FrameLabel[]): Promise<void> {
  let present: Set<string>
  try {
    present = new Set(await readdir(dir))
  } catch (err) {
    throw new HubError(EvalErrorCodes.FRAMES_MISSING,
      `frames folder ${dir} could not be read (${(err as Error).message}); ` +
      'pass --frames DIR', { cause: err })
  }
  const missing = labels.map((l) => l.file).filter((f) => !present.has(f))
  if (missing.length === 0) return
  throw new HubError(EvalErrorCodes.FRAMES_MISSING,
    `${missing.length} labelled frame(s) not in ${dir}: ${missing.join(', ')}; ` +
    'fix the labels file or the folder')
}

function errorText (err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export async function runEval (o: EvalRunOptions): Promise<EvalRun> {
  await checkFrames(o.framesDir, o.labels)
  const analyser = new FrameAnalyser({
    model: o.model,
    crossCheck: o.crossCheck,
    policy: createPolicy(o.policy),
    thumbnailWidth: 160,
    modelTimeoutMs: o.modelTimeoutMs,
    // Every frame is a different scene: never reuse the last answer.
    skipBelowChange: 0
  })

  const records: EvalRecord[] = []
  const rows: FrameRow[] = []
  for (const [seq, label] of o.labels.entries()) {
    const { record, reasons } = await evalFrame(o, analyser, label, seq)
    records.push(record)
    rows.push(rowOf(record, reasons))
    o.onFrame?.(records.length, record)
  }
  return { records, rows }
}

interface FrameResult { record: EvalRecord, reasons: Reason[] }

async function evalFrame (
  o: EvalRunOptions, analyser: FrameAnalyser, label: FrameLabel, seq: number
): Promise<FrameResult> {
  const empty = { label, seq, answer: null, crossCheck: null, teacher: null }
  try {
    const image = await readFile(join(o.framesDir, label.file))
    const analysis = await analyser.analyse(image, seq, o.skill)
    const teacher = await review(o, analysis.encoded.jpeg, label.file)
    const { answer, crossCheck, reasons } = analysis
    return { record: { ...empty, answer, crossCheck, teacher, error: null }, reasons }
  } catch (err) {
    // Like the sensor: log, keep the frame as failed and carry on.
    o.log.warn({ file: label.file, err }, 'frame failed')
    return { record: { ...empty, error: errorText(err) }, reasons: [] }
  }
}

/** The teacher's answer on the full frame; null without a teacher or on failure. */
async function review (
  o: EvalRunOptions, image: Buffer, file: string
): Promise<VisionAnswer | null> {
  if (o.teacher === null) return null
  try {
    return await o.teacher.describe({
      image, systemPrompt: o.teacherPrompt, timeoutMs: o.modelTimeoutMs
    })
  } catch (err) {
    o.log.warn({ file, err }, 'teacher failed')
    return null
  }
}
