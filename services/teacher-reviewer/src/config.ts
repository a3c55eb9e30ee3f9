/** Teacher-reviewer configuration, from the environment and flags. */
import { z } from 'zod'
import {
  mqttUrlField, topicPrefixField, ollamaHostField, modelBackendField, nameField,
  type FlagSpec
} from '@gemmaedge/shared/node'

export const TeacherConfigSchema = z.object({
  MQTT_URL: mqttUrlField,
  TOPIC_PREFIX: topicPrefixField,
  INSTANCE: nameField('teacher-1', 'this reviewer\'s name in status topics'),
  MODEL_BACKEND: modelBackendField,
  OLLAMA_HOST: ollamaHostField,
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
