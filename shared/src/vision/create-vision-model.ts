/**
 * Pick and start the vision model a service runs: Ollama when it is there,
 * else the embedded detector, so a hub without Ollama still works.
 */
import type { Logger } from 'pino'
import { HubError } from '../errors.ts'
import { DetectorModel, profileFor } from './detector-model.ts'
import { OllamaModel } from './ollama-model.ts'
import type { ModelRole, VisionModel } from './types.ts'

/** The Ollama model each role runs unless told otherwise. */
export const DEFAULT_MODELS: Readonly<Record<ModelRole, string>> = {
  student: 'gemma4:e2b',
  teacher: 'gemma4:26b'
}

export type BackendChoice = 'auto' | 'ollama' | 'detector'

export interface CreateVisionModelOptions {
  /**
   * `ollama` needs Ollama and the model and throws without them; `detector`
   * runs the embedded detector; `auto` (default) tries Ollama first.
   */
  backend?: BackendChoice
  /** Student or teacher: sets the default model and the detector profile. */
  role: ModelRole
  /** Ollama's base URL; default `http://127.0.0.1:11434`. */
  ollamaHost?: string
  /** Ollama model tag; default `gemma4:e2b` (student), `gemma4:26b` (teacher). */
  model?: string
  /** Deadline of a describe call in ms; default 30000. */
  timeoutMs?: number
  /** Deadline of the Ollama start check in ms; default 5000. */
  checkTimeoutMs?: number
  /** Stream Ollama's answer; default false. */
  stream?: boolean
  /** The service's logger; the fallback warning goes here. */
  log?: Logger
}

/**
 * A ready vision model. Throws the start check's HubError (MODEL_UNREACHABLE
 * or MODEL_MISSING) when `backend` is `ollama` and Ollama cannot serve.
 */
export async function createVisionModel (
  options: CreateVisionModelOptions
): Promise<VisionModel> {
  const backend = options.backend ?? 'auto'
  const log = options.log?.child({ component: 'vision-model', role: options.role })
  if (backend === 'detector') return startDetector(options.role, log)

  const ollama = new OllamaModel({
    model: options.model ?? DEFAULT_MODELS[options.role],
    host: options.ollamaHost,
    timeoutMs: options.timeoutMs,
    checkTimeoutMs: options.checkTimeoutMs,
    stream: options.stream
  })
  try {
    await ollama.ready()
  } catch (err) {
    if (backend === 'ollama' || !(err instanceof HubError)) throw err
    return startDetector(options.role, log, err)
  }

  log?.info({ backend: 'ollama', model: ollama.name, host: ollama.host },
    'vision model ready')
  return ollama
}

/** Start the detector; `why` is the Ollama error that made it the fallback. */
async function startDetector (
  role: ModelRole, log?: Logger, why?: HubError
): Promise<VisionModel> {
  const detector = new DetectorModel({ profile: profileFor(role) })
  if (why !== undefined) {
    // One line that says why and what to run: the message holds the fix.
    log?.warn({ code: why.code, reason: why.message, model: detector.name },
      'ollama not usable, using the embedded detector')
  }
  await detector.ready()
  if (why === undefined) {
    log?.info({ backend: 'detector', model: detector.name }, 'vision model ready')
  }
  return detector
}
