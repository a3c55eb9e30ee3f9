/**
 * Config fields that several services read the same way, so a key means the
 * same thing, with the same default and the same error, wherever it is set.
 */
import { z } from 'zod'
import { NAME_PATTERN } from './topics.ts'

/** `MQTT_URL`: the broker; mqtt://, mqtts://, ws:// or wss://. */
export const mqttUrlField = z.string()
  .regex(/^(mqtts?|wss?):\/\/.+/, 'expected mqtt://host:port')
  .default('mqtt://127.0.0.1:1883')
  .describe('the hub broker, e.g. mqtt://hub.local:1883 (default mqtt://127.0.0.1:1883)')

/** `TOPIC_PREFIX`: put before every topic. */
export const topicPrefixField = z.string().default('')
  .describe('put before every topic so hubs can share a broker (default none)')

/** `OLLAMA_HOST`: the Ollama server. */
export const ollamaHostField = z.string().url().default('http://127.0.0.1:11434')
  .describe('the Ollama server (default http://127.0.0.1:11434)')

/** `MODEL_BACKEND`: which vision model a service runs. */
export const modelBackendField = z.enum(['auto', 'ollama', 'detector']).default('auto')
  .describe('auto (Ollama when it has the model, else the detector), ollama or detector')

/** A name on the bus (`DEVICE`, `INSTANCE`), with its default and meaning. */
export function nameField (fallback: string, about: string) {
  return z.string().regex(NAME_PATTERN, 'must be 1 to 64 of A-Z a-z 0-9 _ -')
    .default(fallback)
    .describe(`${about}, letters, digits, _ and - (default ${fallback})`)
}
