/**
 * Zod schemas for every payload on the bus, with their inferred types. Both
 * ends validate with these: publishers before sending, subscribers first
 * thing in every message handler.
 */
import { z } from 'zod'
import { NAME_PATTERN } from './topics.ts'

/** Largest skill text accepted, in bytes of UTF-8. */
export const MAX_SKILL_BYTES = 16 * 1024

const encoder = new TextEncoder()

/** Length of a string in bytes of UTF-8. */
export function utf8Bytes (text: string): number {
  return encoder.encode(text).length
}

const Name = z.string().regex(NAME_PATTERN, 'must be 1 to 64 of A-Z a-z 0-9 _ -')
const IsoDate = z.iso.datetime({ offset: true })
const Base64 = z.string().min(1)
  .refine((s) => !s.startsWith('data:'), 'base64 without a data: prefix')
  .refine((s) => /^[A-Za-z0-9+/\r\n]*={0,2}$/.test(s), 'not base64')
const Unit = z.number().min(0).max(1)

/** Why a frame was escalated. `kind` is open so the policy can add kinds. */
export const ReasonSchema = z.object({
  kind: z.string().min(1),
  detail: z.string()
})
export type Reason = z.infer<typeof ReasonSchema>

/** The student's answer on a frame, as carried in escalations and reviews. */
export const EdgeAnswerSchema = z.object({
  model: z.string().min(1),
  answer: z.string(),
  confidence: Unit.nullable(),
  safety: z.boolean(),
  hazards: z.array(z.string()),
  /** Things the model named, lower case, when it gave them. */
  objects: z.array(z.string()).default([]),
  latencyMs: z.number().min(0),
  skillVersion: z.string().nullable()
})
export type EdgeAnswer = z.infer<typeof EdgeAnswerSchema>

const FrameRef = {
  v: z.literal(1),
  frameId: z.string().min(1).max(200),
  device: Name,
  seq: z.number().int().min(0),
  capturedAt: IsoDate
}

/** Published on `frames/edge/{device}` for every analysed frame. */
export const EdgeResultSchema = z.object({
  ...FrameRef,
  ...EdgeAnswerSchema.shape,
  escalated: z.boolean(),
  /** The first reason, or null when the frame was not escalated. */
  reason: ReasonSchema.nullable(),
  /** Every reason that fired, the first one included. */
  reasons: z.array(ReasonSchema).default([]),
  /** Name of the file or camera the frame came from. */
  source: z.string().optional(),
  /** The scene had not changed: the answer is the last analysed frame's. */
  reused: z.boolean().default(false),
  /** The frame whose answer was reused. */
  reusedFrom: z.string().optional(),
  /** What became of the escalation: sent, waiting for budget, or dropped. */
  escalation: z.enum(['sent', 'queued', 'dropped']).nullable().default(null),
  /** The detector's answer where the edge cross-checks the student. */
  crossCheck: z.object({
    model: z.string(),
    answer: z.string(),
    objects: z.array(z.string())
  }).optional(),
  /** How often the teacher found the student wrong on audited frames. */
  studentError: z.object({
    audited: z.number().int().min(0),
    rate: Unit.nullable()
  }).optional(),
  thumbnail: Base64
})
export type EdgeResult = z.infer<typeof EdgeResultSchema>

/** The frame itself, as carried by an escalation. */
export const ImageSchema = z.object({
  mime: z.enum(['image/jpeg', 'image/png']),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  data: Base64
})
export type Image = z.infer<typeof ImageSchema>

/** Published on `frames/escalate/{device}` for frames that need review. */
export const EscalationSchema = z.object({
  ...FrameRef,
  reason: ReasonSchema,
  reasons: z.array(ReasonSchema).default([]),
  edge: EdgeAnswerSchema,
  image: ImageSchema
})
export type Escalation = z.infer<typeof EscalationSchema>

export const VerdictSchema = z.enum(['agree', 'partial', 'disagree'])
export type Verdict = z.infer<typeof VerdictSchema>

/** The teacher's own answer on an escalated frame: no skill applies. */
export const TeacherAnswerSchema = EdgeAnswerSchema.omit({ skillVersion: true })
export type TeacherAnswer = z.infer<typeof TeacherAnswerSchema>

/** Published on `reviews/result/{device}`. */
export const ReviewSchema = z.object({
  v: z.literal(1),
  frameId: z.string().min(1).max(200),
  device: Name,
  seq: z.number().int().min(0).optional(),
  capturedAt: IsoDate.optional(),
  reason: ReasonSchema,
  reasons: z.array(ReasonSchema).default([]),
  edge: EdgeAnswerSchema,
  teacher: TeacherAnswerSchema,
  verdict: VerdictSchema,
  /** Why the verdict came out as it did, in a few words. */
  verdictDetail: z.string().optional(),
  reviewedAt: IsoDate,
  /** From capture to the review being published. */
  totalLatencyMs: z.number().min(0)
})
export type Review = z.infer<typeof ReviewSchema>

/** A system prompt for the student, on `skills/updated` (retained). */
export const SkillSchema = z.object({
  v: z.literal(1),
  version: z.string().min(1).max(100),
  text: z.string().min(1)
    .refine((t) => t.trim().length > 0, 'must not be blank')
    .refine((t) => utf8Bytes(t) <= MAX_SKILL_BYTES,
      `must be at most ${MAX_SKILL_BYTES} bytes`),
  source: z.enum(['upskiller', 'manual']),
  createdAt: IsoDate,
  score: z.number().optional(),
  parent: z.string().nullable().optional()
})
export type Skill = z.infer<typeof SkillSchema>

/** Published on `upskill/request` to start an upskilling run. */
export const UpskillRequestSchema = z.object({
  v: z.literal(1),
  requestId: z.string().min(1).max(100).optional(),
  /** Candidate skills the teacher writes; the upskiller's default when absent. */
  candidates: z.number().int().min(1).max(20).optional(),
  /** Most eval cases used, file and harvested together. */
  cases: z.number().int().min(1).max(1000).optional(),
  /** Least gain on held-out cases, 0..1, for the winner to be published. */
  minGain: z.number().min(0).max(1).optional(),
  /** Seed of the training / held-out split and the case sample. */
  seed: z.number().int().optional(),
  /** Score and report, but publish nothing. */
  dryRun: z.boolean().optional()
})
export type UpskillRequest = z.infer<typeof UpskillRequestSchema>

/** One skill's mean score on the training and held-out cases, 0..1. */
export const SkillScoreSchema = z.object({
  /** `current` for the skill in use, else `candidate-1`, `candidate-2` ... */
  label: z.string().min(1),
  train: Unit.nullable(),
  heldOut: Unit.nullable()
})
export type SkillScore = z.infer<typeof SkillScoreSchema>

/**
 * Published on `upskill/progress` while a run goes on. Phases: checking,
 * loading, baseline, writing, scoring, confirming, publishing, then done,
 * failed or refused.
 */
export const UpskillProgressSchema = z.object({
  v: z.literal(1),
  requestId: z.string().optional(),
  phase: z.string().min(1),
  done: z.number().int().min(0),
  total: z.number().int().min(0),
  best: z.object({ version: z.string(), score: z.number() }).nullable(),
  /** What happened, for a person: why a run failed or nothing was published. */
  detail: z.string().optional(),
  /** Every skill scored so far. */
  scores: z.array(SkillScoreSchema).optional(),
  /** The version published at the end, or null when none was. */
  published: z.string().nullable().optional(),
  at: IsoDate
})
export type UpskillProgress = z.infer<typeof UpskillProgressSchema>

/** Published retained on `status/{service}/{instance}`, with a will. */
export const StatusSchema = z.object({
  v: z.literal(1).optional(),
  service: Name,
  instance: Name,
  state: z.enum(['online', 'offline']),
  version: z.string(),
  at: IsoDate
})
export type Status = z.infer<typeof StatusSchema>

/**
 * Parse a JSON payload with a schema. Returns the value, or a reason fit for
 * a log line; never throws.
 */
export function parsePayload<T> (
  schema: z.ZodType<T>,
  payload: Uint8Array | string
): { ok: true, value: T } | { ok: false, reason: string } {
  let json: unknown
  try {
    const text = typeof payload === 'string'
      ? payload
      : new TextDecoder('utf-8', { fatal: true }).decode(payload)
    json = JSON.parse(text)
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` }
  }
  const result = schema.safeParse(json)
  if (result.success) return { ok: true, value: result.data }
  return { ok: false, reason: z.prettifyError(result.error).replace(/\n/g, '; ') }
}
