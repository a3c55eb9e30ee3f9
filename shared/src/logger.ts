/**
 * The logger factory: one pino root logger per process, JSON lines on
 * stdout, pretty on a terminal unless LOG_FORMAT=json.
 */
import { pino, stdSerializers, type Logger, type DestinationStream } from 'pino'
import { HubError } from './errors.ts'

export type { Logger }

export interface LoggerOptions {
  /** Service name, put on every line as `service`. */
  name: string
  /** pino level; default from LOG_LEVEL, else 'info'. */
  level?: string
  /** `pretty` or `json`; default from LOG_FORMAT, else pretty on a TTY. */
  format?: 'pretty' | 'json'
  /** Where lines go instead of stdout (tests pass a stream to read). */
  destination?: DestinationStream
}

/**
 * Our own errors are logged by code and message, which say what to fix; a
 * stack is for the errors we did not expect. A plain object is kept as is.
 */
function serializeError (err: unknown): unknown {
  if (err instanceof HubError) return { type: err.name, code: err.code, message: err.message }
  if (err instanceof Error) return stdSerializers.err(err)
  return err
}

/** Create the root logger of a process. */
export function createLogger (options: LoggerOptions): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info'
  const base = { service: options.name }
  const serializers = { err: serializeError }
  if (options.destination !== undefined) {
    return pino({ level, base, serializers }, options.destination)
  }

  const format = options.format ?? process.env.LOG_FORMAT ??
    (process.stdout.isTTY ? 'pretty' : 'json')
  if (format !== 'pretty') return pino({ level, base, serializers })

  return pino({
    level,
    base,
    serializers,
    transport: {
      target: 'pino-pretty',
      options: { ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' }
    }
  })
}
