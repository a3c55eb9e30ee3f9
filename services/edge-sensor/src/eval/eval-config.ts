/**
 * The eval's settings: flags, or the same environment variables the edge
 * sensor reads, so an eval scores the policy the sensor would run.
 */
import { z } from 'zod'
import { envBoolean, describeConfig, type FlagSpec } from '@gemmaedge/shared/node'
import { POLICY_DEFAULTS, type PolicyOptions } from '../escalation-policy.ts'
import { EdgeConfigSchema } from '../config.ts'

const edge = EdgeConfigSchema.shape

export const EvalConfigSchema = z.object({
  FRAMES_DIR: edge.FRAMES_DIR.describe('the labelled frames (default samples/frames)'),
  LABELS_FILE: z.string().min(1).optional()
    .describe('the labels, one JSON object a line (default FRAMES_DIR/labels.jsonl)'),
  EVAL_OUT_DIR: z.string().min(1).default('eval-out')
    .describe('where eval.json, eval.md and the sweep chart go (default eval-out)'),
  MODEL_BACKEND: edge.MODEL_BACKEND,
  EVAL_TEACHER: envBoolean.default(false)
    .describe('also have the teacher describe every frame and judge the student'),
  EVAL_CROSS_CHECK: envBoolean.default(false)
    .describe('run the detector beside an Ollama student, as the sensor can'),
  OLLAMA_HOST: edge.OLLAMA_HOST,
  STUDENT_MODEL: edge.STUDENT_MODEL,
  TEACHER_MODEL: z.string().min(1).default('gemma4:26b')
    .describe('the Ollama model that reviews (default gemma4:26b)'),
  MODEL_TIMEOUT_MS: edge.MODEL_TIMEOUT_MS,
  SKILL_FILE: edge.SKILL_FILE,
  ESCALATE_THRESHOLD: edge.ESCALATE_THRESHOLD,
  SAFETY_KEYWORDS: edge.SAFETY_KEYWORDS,
  AUDIT_EVERY_N_FRAMES: edge.AUDIT_EVERY_N_FRAMES,
  AUDIT_RATE: edge.AUDIT_RATE,
  AUDIT_SEED: edge.AUDIT_SEED
})

export type EvalConfig = z.infer<typeof EvalConfigSchema>

export const EVAL_FLAGS: Record<string, FlagSpec> = {
  frames: { key: 'FRAMES_DIR' },
  labels: { key: 'LABELS_FILE' },
  out: { key: 'EVAL_OUT_DIR' },
  backend: { key: 'MODEL_BACKEND' },
  teacher: { key: 'EVAL_TEACHER', type: 'boolean' },
  'cross-check': { key: 'EVAL_CROSS_CHECK', type: 'boolean' },
  'ollama-host': { key: 'OLLAMA_HOST' },
  'student-model': { key: 'STUDENT_MODEL' },
  'teacher-model': { key: 'TEACHER_MODEL' },
  'timeout-ms': { key: 'MODEL_TIMEOUT_MS' },
  skill: { key: 'SKILL_FILE' },
  threshold: { key: 'ESCALATE_THRESHOLD' },
  'audit-every': { key: 'AUDIT_EVERY_N_FRAMES' },
  'audit-rate': { key: 'AUDIT_RATE' },
  'audit-seed': { key: 'AUDIT_SEED' }
}

/** The sensor's policy with the eval's settings. */
export function policyOptionsOf (config: EvalConfig): PolicyOptions {
  return {
    ...POLICY_DEFAULTS,
    escalateThreshold: config.ESCALATE_THRESHOLD,
    safetyKeywords: config.SAFETY_KEYWORDS,
    auditRate: config.AUDIT_RATE,
    auditEveryNFrames: config.AUDIT_EVERY_N_FRAMES,
    auditSeed: config.AUDIT_SEED,
    // Labelled frames are unrelated scenes: every one would be a change.
    sceneChangeThreshold: 0,
    // Scored against the raw threshold, which is what the sweep varies.
    calibration: null
  }
}

export const USAGE = `Score the edge's escalation policy on labelled frames.

Usage: npm run eval -- [--frames DIR] [--labels FILE] [--backend auto|ollama|detector]
                      [--teacher] [--out DIR] [--threshold 0.6] [...]

Writes eval.json, eval.md, sweep.svg and sweep.png to the out folder and prints
the frames, the totals and the threshold sweep.

Settings (flag, or the environment variable):
${describeConfig(EvalConfigSchema, EVAL_FLAGS)}
`
