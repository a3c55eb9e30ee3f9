/**
 * Edge sensor configuration: environment variables, a few of them also
 * settable by flags so the sensor runs on a laptop against a hub elsewhere.
 */
import { z } from 'zod'
import { MAX_SKILL_BYTES } from '@gemmaedge/shared'
import {
  envBoolean, envList, mqttUrlField, topicPrefixField, ollamaHostField, modelBackendField,
  nameField, type FlagSpec
} from '@gemmaedge/shared/node'

/** Words that make an answer a safety escalation, matched as whole words. */
export const DEFAULT_SAFETY_KEYWORDS = [
  'fire', 'flame', 'smoke', 'burning', 'knife', 'blade', 'weapon', 'gun',
  'blood', 'fallen', 'collapsed', 'injured', 'unconscious'
]

export const EdgeConfigSchema = z.object({
  MQTT_URL: mqttUrlField,
  TOPIC_PREFIX: topicPrefixField,
  DEVICE: nameField('edge-1', 'this camera\'s name on the bus'),
  SOURCE: z.enum(['folder', 'webcam']).default('folder')
    .describe('where frames come from: folder or webcam (default folder)'),
  FRAMES_DIR: z.string().default('samples/frames')
    .describe('folder of JPEG/PNG frames for SOURCE=folder (default samples/frames)'),
  LOOP: envBoolean.default(true)
    .describe('start the folder over when it ends: true or false (default true)'),
  MAX_FRAMES: z.coerce.number().int().min(0).default(0)
    .describe('stop after this many frames, 0 for never (default 0)'),
  FPS: z.coerce.number().positive().max(30).default(1)
    .describe('frames per second to analyse, above 0 and at most 30 (default 1)'),
  WEBCAM_DEVICE: z.string().optional()
    .describe('camera for SOURCE=webcam, e.g. /dev/video0 (default: the system\'s first)'),
  WEBCAM_WIDTH: z.coerce.number().int().positive().default(1280)
    .describe('capture width in pixels (default 1280)'),
  WEBCAM_HEIGHT: z.coerce.number().int().positive().default(720)
    .describe('capture height in pixels (default 720)'),
  CAPTURE_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000)
    .describe('longest a webcam capture may take, in ms (default 10000)'),
  MODEL_BACKEND: modelBackendField,
  OLLAMA_HOST: ollamaHostField,
  STUDENT_MODEL: z.string().min(1).default('gemma4:e2b')
    .describe('the Ollama model that describes frames (default gemma4:e2b)'),
  MODEL_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000)
    .describe('deadline for one model call, in ms (default 30000)'),
  SKILL_FILE: z.string().default('skill.txt')
    .describe('the student\'s system prompt; a built-in one when missing (default skill.txt)'),
  MAX_SKILL_BYTES: z.coerce.number().int().positive().max(MAX_SKILL_BYTES)
    .default(MAX_SKILL_BYTES)
    .describe(`largest skill accepted from the bus, in bytes (default ${MAX_SKILL_BYTES})`),
  ESCALATE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.6)
    .describe('escalate when confidence is below this, 0 to 1 (default 0.6)'),
  SAFETY_KEYWORDS: envList.default(DEFAULT_SAFETY_KEYWORDS)
    .describe('comma-separated words that escalate an answer naming them'),
  AUDIT_EVERY_N_FRAMES: z.coerce.number().int().min(0).default(10)
    .describe('escalate every Nth frame for audit, 0 for never (default 10)'),
  AUDIT_RATE: z.coerce.number().min(0).max(1).default(0.1)
    .describe('share of frames escalated at random for audit, 0 to 1 (default 0.1)'),
  AUDIT_SEED: z.coerce.number().int().default(1)
    .describe('seed of the random audit, so a run can be repeated (default 1)'),
  SCENE_CHANGE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.25)
    .describe('escalate the first frame after the scene changed this much, ' +
      '0 to 1, 0 for off (default 0.25)'),
  SKIP_UNCHANGED: envBoolean.default(true)
    .describe('reuse the last answer while the scene has not changed: ' +
      'true or false (default true)'),
  SKIP_BELOW_CHANGE: z.coerce.number().min(0).max(1).default(0.02)
    .describe('change below which a frame counts as the same scene, 0 to 1 (default 0.02)'),
  CROSS_CHECK: z.enum(['auto', 'on', 'off']).default('auto')
    .describe('also run the detector to check the student: ' +
      'auto (when the student is a language model), on or off'),
  CALIBRATION_FILE: z.string().optional()
    .describe('where the learnt calibration is kept (default var/calibration-DEVICE.json)'),
  MIN_AGREEMENT: z.coerce.number().min(0).max(1).default(0.8)
    .describe('escalate when the calibrated chance the teacher agrees is below this (default 0.8)'),
  MIN_CALIBRATION_REVIEWS: z.coerce.number().int().positive().default(20)
    .describe('reviews a confidence band needs before calibration replaces ' +
      'the threshold (default 20)'),
  MAX_ESCALATIONS_PER_MIN: z.coerce.number().int().min(0).default(30)
    .describe('escalations per minute, safety ones not counted against it; ' +
      '0 for no cap (default 30)'),
  BUDGET_QUEUE_SIZE: z.coerce.number().int().min(0).default(10)
    .describe('escalations that wait for the budget before more are dropped (default 10)'),
  THUMBNAIL_WIDTH: z.coerce.number().int().min(16).max(640).default(160)
    .describe('width of the thumbnail in each edge result, in pixels (default 160)'),
  MAX_PENDING_ESCALATIONS: z.coerce.number().int().positive().default(50)
    .describe('escalations waiting for the broker\'s ack before new ones are dropped (default 50)')
})

export type EdgeConfig = z.infer<typeof EdgeConfigSchema>

export const EDGE_FLAGS: Record<string, FlagSpec> = {
  hub: { key: 'MQTT_URL' },
  device: { key: 'DEVICE' },
  source: { key: 'SOURCE' },
  frames: { key: 'FRAMES_DIR' },
  fps: { key: 'FPS' },
  backend: { key: 'MODEL_BACKEND' },
  'max-frames': { key: 'MAX_FRAMES' }
}
