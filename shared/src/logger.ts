/**
 * The logger factory: one pino root logger per process, JSON lines on
 * stdout, pretty on a terminal unless LOG_FORMAT=json.
 */
import { pino, type Logger, type DestinationStream } from 'pino'

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

/** Create the root logger of a process. */
export function createLogger (options: LoggerOptions): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info'
  const base = { service: options.name }
  if (options.destination !== undefined) {
    return pino({ level, base }, options.destination)
  }

  const format = options.format ?? process.env.LOG_FORMAT ??
    (process.stdout.isTTY ? 'pretty' : 'json')
  if (format !== 'pretty') return pino({ level, base })

  return pino({
    level,
    base,
    transport: {
      target: 'pino-pretty',
      options: { ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' }
    }
  })
}
