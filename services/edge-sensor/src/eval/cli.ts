/**
 * `npm run eval`: run the edge policy over labelled frames and report what
 * it escalates, what it catches and how that moves with the threshold.
 * Exit 0 when it ran, 1 when it could not (models, frames), 2 on bad input.
 */
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { HubError, ErrorCodes } from '@gemmaedge/shared'
import { createLogger, loadConfig, type Logger } from '@gemmaedge/shared/node'
import {
  createVisionModel, DEFAULT_STUDENT_PROMPT, DEFAULT_TEACHER_PROMPT, type VisionModel
} from '@gemmaedge/shared/vision'
import type { PolicyOptions } from '../escalation-policy.ts'
import { loadSkillFile } from '../skill-file.ts'
import {
  EvalConfigSchema, EVAL_FLAGS, USAGE, policyOptionsOf, type EvalConfig
} from './eval-config.ts'
import { EvalErrorCodes, readLabels, type FrameLabel } from './labels.ts'
import { runEval, checkFrames } from './eval-run.ts'
import { totalsOf } from './metrics.ts'
import { sweep } from './sweep.ts'
import {
  screenReport, writeReport, type EvalReport, type EvalSettings
} from './report.ts'
import { createProgress } from './progress.ts'

interface Models {
  student: VisionModel
  crossCheck: VisionModel | null
  teacher: VisionModel | null
}

async function startModels (config: EvalConfig, log: Logger): Promise<Models> {
  const common = {
    backend: config.MODEL_BACKEND,
    ollamaHost: config.OLLAMA_HOST,
    timeoutMs: config.MODEL_TIMEOUT_MS,
    log
  }
  const student = await createVisionModel({
    ...common, role: 'student', model: config.STUDENT_MODEL
  })
  // The detector cross-checking itself would only ever agree.
  const crossCheck = config.EVAL_CROSS_CHECK && student.kind !== 'detector'
    ? await createVisionModel({ backend: 'detector', role: 'student', log })
    : null
  const teacher = config.EVAL_TEACHER
    ? await createVisionModel({
      ...common, role: 'teacher', model: config.TEACHER_MODEL
    })
    : null
  return { student, crossCheck, teacher }
}

function labelsFileOf (config: EvalConfig): string {
  return config.LABELS_FILE ?? join(config.FRAMES_DIR, 'labels.jsonl')
}

async function evaluate (
  config: EvalConfig, labels: FrameLabel[], models: Models, log: Logger
): Promise<EvalReport> {
  const skill = await loadSkillFile(config.SKILL_FILE, DEFAULT_STUDENT_PROMPT)
  const policy = policyOptionsOf(config)

  const progress = createProgress(labels.length)
  const run = await runEval({
    framesDir: config.FRAMES_DIR,
    labels,
    model: models.student,
    crossCheck: models.crossCheck,
    teacher: models.teacher,
    teacherPrompt: DEFAULT_TEACHER_PROMPT,
    policy,
    skill: skill.text,
    modelTimeoutMs: config.MODEL_TIMEOUT_MS,
    log,
    onFrame: (done, record) => progress.tick(done, record.label.file)
  }).finally(() => progress.stop())

  return {
    v: 1,
    createdAt: new Date().toISOString(),
    settings: settingsOf(config, models, policy),
    totals: totalsOf(run.rows),
    sweep: sweep(run.records, policy),
    rows: run.rows
  }
}

function settingsOf (
  config: EvalConfig, models: Models, policy: PolicyOptions
): EvalSettings {
  return {
    framesDir: config.FRAMES_DIR,
    labelsFile: labelsFileOf(config),
    backend: config.MODEL_BACKEND,
    student: models.student.name,
    crossCheck: models.crossCheck?.name ?? null,
    teacher: models.teacher?.name ?? null,
    escalateThreshold: policy.escalateThreshold,
    auditRate: policy.auditRate,
    auditEveryNFrames: policy.auditEveryNFrames,
    auditSeed: policy.auditSeed,
    safetyKeywords: policy.safetyKeywords
  }
}

async function closeAll (models: Partial<Models>): Promise<void> {
  const open = [models.student, models.crossCheck, models.teacher]
  await Promise.all(open.map((m) => m?.close()))
}

/** Bad input is exit 2: the message says what to fix. */
function exitCodeOf (err: unknown): number {
  if (!(err instanceof HubError)) return 1
  const input: string[] = [
    ErrorCodes.CONFIG_INVALID,
    EvalErrorCodes.LABELS_INVALID,
    EvalErrorCodes.FRAMES_MISSING
  ]
  return input.includes(err.code) ? 2 : 1
}

/** Run the eval with these arguments; resolves to the exit code. */
export async function main (argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE)
    return 0
  }
  const log = createLogger({
    name: 'eval', level: process.env.LOG_LEVEL ?? 'warn', destination: process.stderr
  })
  const models: Partial<Models> = {}
  try {
    const config = loadConfig(EvalConfigSchema, { argv, flags: EVAL_FLAGS })
    // Input first: a typo should not wait for a model to load.
    const labels = await readLabels(labelsFileOf(config))
    await checkFrames(config.FRAMES_DIR, labels)
    Object.assign(models, await startModels(config, log))
    const report = await evaluate(config, labels, models as Models, log)
    process.stdout.write(screenReport(report) + '\n')
    const files = await writeReport(config.EVAL_OUT_DIR, report)
    const written = Object.values(files).filter((f) => f !== null)
    process.stderr.write(`eval: wrote ${written.join(', ')}\n`)
    return report.totals.analysed > 0 ? 0 : 1
  } catch (err) {
    process.stderr.write(`eval: ${err instanceof Error ? err.message : String(err)}\n`)
    return exitCodeOf(err)
  } finally {
    await closeAll(models)
  }
}

const entry = process.argv[1]
if (entry !== undefined && import.meta.url === pathToFileURL(resolve(entry)).href) {
  process.exitCode = await main(process.argv.slice(2))
}
