/** Teacher-reviewer configuration, from the environment and flags. */
import { z } from 'zod'
import { NAME_PATTERN } from '@gemmaedge/shared'
import type { FlagSpec } from '@gemmaedge/shared/node'

export const TeacherConfigSchema = z.object({
  MQTT_URL: z.string().regex(/^(mqtts?|wss?):\/\/.+/, 'expected mqtt://host:port')
    .default('mqtt://127.0.0.1:1883')
    .describe('the hub broker, e.g. mqtt://hub.local:1883 (default mqtt://127.0.0.1:1883)'),
  TOPIC_PREFIX: z.string().default('')
    .describe('put before every topic so hubs can share a broker (default none)'),
  INSTANCE: z.string().regex(NAME_PATTERN, 'must be 1 to 64 of A-Z a-z 0-9 _ -')
    .default('teacher-1')
    .describe('this reviewer\'s name in status topics (default teacher-1)'),
  MODEL_BACKEND: z.enum(['auto', 'ollama', 'detector']).default('auto')
    .describe('auto (Ollama when it has the model, else the detector), ollama or detector'),
  OLLAMA_HOST: z.string().url().default('http://127.0.0.1:11434')
    .describe('the Ollama server (default http://127.0.0.1:11434)'),
  TEACHER_MODEL: z.string().min(1).default('gemma4:26b')
    .describe('the Ollama model that reviews frames (default gemma4:26b)'),
  MODEL_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000)
    .describe('deadline for one review by the model, in ms (default 120000)'),
  MAX_PENDING_REVIEWS: z.coerce.number().int().positive().default(32)
    .describe('escalations held in memory before the broker is made to keep the rest (default 32)'),
  REVIEWS_DB: z.string().min(1).default('var/reviews.db')
    .describe('SQLite file where reviews and their frames are kept (default var/reviews.db)'),
  MAX_STORED_REVIEWS: z.coerce.number().int().positive().default(2000)
    .describe('newest reviews kept in REVIEWS_DB; older ones are deleted (default 2000)')
})

export type TeacherConfig = z.infer<typeof TeacherConfigSchema>

export const TEACHER_FLAGS: Record<string, FlagSpec> = {
  hub: { key: 'MQTT_URL' },
  instance: { key: 'INSTANCE' },
  backend: { key: 'MODEL_BACKEND' }
}
