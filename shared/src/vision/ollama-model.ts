/**
 * A vision model served by Ollama: the skill goes in as the system message,
 * the frame as a base64 image on the user message, and the answer is asked
 * for as JSON matching `StructuredAnswerSchema`. Every call has a deadline.
 */
import { Ollama, type ChatRequest, type Message, type Options } from 'ollama'
import type { z } from 'zod'
import { HubError, ErrorCodes } from '../errors.ts'
import { parseAnswer } from './answer-parser.ts'
import { toFormatSchema, type JsonObjectSchema } from './answer-schema.ts'
import { DEFAULT_USER_PROMPT } from './prompts.ts'
import type { DescribeRequest, VisionAnswer, VisionModel } from './types.ts'

/** Where Ollama listens unless OLLAMA_HOST says otherwise. */
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434'
/** Deadline of one describe call, in ms. Big models on a CPU are slow. */
export const DEFAULT_TIMEOUT_MS = 30_000
/** Deadline of the start check, in ms: listing models is quick when up. */
export const DEFAULT_CHECK_TIMEOUT_MS = 5_000

export interface OllamaModelOptions {
  /** The Ollama model tag, e.g. `gemma4:e2b`. */
  model: string
  /** Ollama's base URL; default `DEFAULT_OLLAMA_HOST`. */
  host?: string
  /** Deadline of a describe call in ms; default 30000. */
  timeoutMs?: number
  /** Deadline of `ready()` in ms; default 5000. */
  checkTimeoutMs?: number
  /** Read the answer as it is generated (NDJSON) rather than in one body. */
  stream?: boolean
  /** The user turn when a request has none; default `DEFAULT_USER_PROMPT`. */
  prompt?: string
  /** The answer's zod schema, sent as `format`; default the structured answer. */
  answerSchema?: z.ZodType
  /** Ollama runtime options; default temperature 0, so answers repeat. */
  options?: Partial<Options>
}

/** A vision model behind an Ollama server. Call `ready()` before use. */
export class OllamaModel implements VisionModel {
  readonly kind = 'ollama' as const
  readonly name: string
  readonly host: string
  readonly stream: boolean
  readonly timeoutMs: number
  readonly checkTimeoutMs: number
  private readonly prompt: string
  private readonly format: JsonObjectSchema
  private readonly options: Partial<Options>
  private readonly closing = new AbortController()

  constructor (options: OllamaModelOptions) {
    this.name = options.model
    this.host = (options.host ?? DEFAULT_OLLAMA_HOST).replace(/\/+$/, '')
    this.stream = options.stream ?? false
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.checkTimeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS
    this.prompt = options.prompt ?? DEFAULT_USER_PROMPT
    this.format = toFormatSchema(options.answerSchema)
    this.options = options.options ?? { temperature: 0 }
  }

  /**
   * The start check: Ollama answers and has the model. Throws
   * MODEL_UNREACHABLE or MODEL_MISSING with what to run.
   */
  async ready (): Promise<void> {
    const deadline = AbortSignal.timeout(this.checkTimeoutMs)
    let names: string[]
    try {
      const list = await this.client(deadline).list()
      names = list.models.flatMap((m) => [m.name, m.model])
    } catch (err) {
      const what = deadline.aborted
        ? `did not answer in ${this.checkTimeoutMs} ms`
        : `could not be reached (${describeCause(err)})`
      throw new HubError(ErrorCodes.MODEL_UNREACHABLE,
        `OLLAMA_HOST ${this.host} ${what}; is \`ollama serve\` running?`, { cause: err })
    }

    if (!names.some((n) => sameModel(n, this.name))) {
      const has = [...new Set(names)].join(', ') || 'no models'
      throw new HubError(ErrorCodes.MODEL_MISSING,
        `Ollama at ${this.host} has no model ${this.name} (it has: ${has}); ` +
        `run: ollama pull ${this.name}`)
    }
  }

  async describe (request: DescribeRequest): Promise<VisionAnswer> {
    const started = performance.now()
    const timeoutMs = request.timeoutMs ?? this.timeoutMs
    const deadline = AbortSignal.timeout(timeoutMs)

    let content: string
    try {
      content = await this.chat(this.toChatRequest(request), deadline)
    } catch (err) {
      throw this.callError(err, deadline, timeoutMs)
    }

    if (content.trim() === '') {
      throw new HubError(ErrorCodes.MODEL_BAD_ANSWER,
        `${this.name} at ${this.host} gave an empty answer`)
    }
    const latencyMs = Math.round(performance.now() - started)
    return { model: this.name, ...parseAnswer(content), latencyMs }
  }

  /** Abort calls still running; the model cannot be used afterwards. */
  async close (): Promise<void> {
    this.closing.abort()
  }

  private toChatRequest (request: DescribeRequest): ChatRequest {
    return {
      model: this.name,
      messages: [
        { role: 'system', content: request.systemPrompt },
        userMessage(request.prompt ?? this.prompt, request.image)
      ],
      format: this.format,
      options: this.options
    }
  }

  private async chat (request: ChatRequest, deadline: AbortSignal): Promise<string> {
    const client = this.client(deadline)
    if (!this.stream) {
      const response = await client.chat({ ...request, stream: false })
      return response.message.content
    }

    let content = ''
    const parts = await client.chat({ ...request, stream: true })
    for await (const part of parts) content += part.message.content
    return content
  }

  /**
   * A client whose every request carries the deadline. The ollama package
   * passes no signal on non-streaming calls, so its own `fetch` is the only
   * place a deadline can be put on them.
   */
  private client (deadline: AbortSignal): Ollama {
    const signals = [deadline, this.closing.signal]
    const deadlineFetch: typeof fetch = async (input, init) => fetch(input, {
      ...init,
      signal: AbortSignal.any(init?.signal == null ? signals : [...signals, init.signal])
    })
    return new Ollama({ host: this.host, fetch: deadlineFetch })
  }

  private callError (err: unknown, deadline: AbortSignal, timeoutMs: number): HubError {
    const where = `${this.name} at OLLAMA_HOST ${this.host}`
    if (deadline.aborted) {
      return new HubError(ErrorCodes.MODEL_TIMEOUT,
        `${where} did not answer in ${timeoutMs} ms; raise timeoutMs or use a ` +
        'smaller model', { cause: err })
    }
    if (this.closing.signal.aborted) {
      return new HubError(ErrorCodes.MODEL_UNREACHABLE,
        `${where}: the model was closed during the call`, { cause: err })
    }
    return fromOllamaError(err, where, this.name)
  }
}

/** The user turn; a text-only request carries no `images` field at all. */
function userMessage (content: string, image?: Uint8Array): Message {
  if (image === undefined) return { role: 'user', content }
  // Base64 without a data: prefix, which is what Ollama takes.
  return { role: 'user', content, images: [Buffer.from(image).toString('base64')] }
}

/** Map what the ollama package throws to a coded error. */
function fromOllamaError (err: unknown, where: string, model: string): HubError {
  const status = (err as { status_code?: unknown }).status_code
  if (status === 404) {
    return new HubError(ErrorCodes.MODEL_MISSING,
      `${where} answered 404 (${describeCause(err)}); run: ollama pull ${model}`,
      { cause: err })
  }
  if (typeof status === 'number' || err instanceof TypeError) {
    return new HubError(ErrorCodes.MODEL_UNREACHABLE,
      `${where} failed (${describeCause(err)}); is \`ollama serve\` running?`,
      { cause: err })
  }
  // An `error` line in the stream, or a stream that ended without `done`.
  return new HubError(ErrorCodes.MODEL_BAD_ANSWER,
    `${where} broke off its answer: ${describeCause(err)}`, { cause: err })
}

/** The most telling part of an error, e.g. `ECONNREFUSED` under `fetch failed`. */
function describeCause (err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const cause = err.cause as { code?: unknown, message?: unknown } | undefined
  if (typeof cause?.code === 'string') return `${err.message}: ${cause.code}`
  return err.message
}

/**
 * Whether two Ollama model names are the same model. A name without a tag
 * means `:latest`, and the default registry prefix may be spelt out.
 */
export function sameModel (a: string, b: string): boolean {
  return canonicalModel(a) === canonicalModel(b)
}

function canonicalModel (name: string): string {
  const bare = name.trim().toLowerCase()
    .replace(/^registry\.ollama\.ai\//, '').replace(/^library\//, '')
  const lastPart = bare.split('/').pop() ?? bare
  return lastPart.includes(':') ? bare : `${bare}:latest`
}
