/**
 * The start and stop of a service process: run its start function, stop it
 * on SIGINT or SIGTERM, and turn a start-up error into a clear message and a
 * non-zero exit instead of a stack trace.
 */
import type { Logger } from 'pino'
import { HubError, ErrorCodes } from './errors.ts'

export type Stop = () => Promise<void>

/** How long a stop may take before the process exits anyway. */
const STOP_DEADLINE_MS = 10_000

export function runService (log: Logger, start: () => Promise<Stop>): void {
  let stop: Stop | undefined
  let stopping = false

  const shutdown = (signal: string): void => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'stopping')
    const timer = setTimeout(() => process.exit(1), STOP_DEADLINE_MS)
    timer.unref()
    Promise.resolve(stop?.()).then(
      () => { log.info('stopped'); process.exit(0) },
      (err: unknown) => { log.error({ err }, 'stop failed'); process.exit(1) }
    )
  }

  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))

  start().then((s) => { stop = s }, (err: unknown) => {
    if (err instanceof HubError && err.code === ErrorCodes.HELP_REQUESTED) {
      process.stdout.write(err.message)
      process.exit(0)
    }
    if (err instanceof HubError) {
      // A start-up error is for a person: the message says what to fix.
      process.stderr.write(`${err.code}: ${err.message}\n`)
    } else {
      log.error({ err }, 'start failed')
    }
    process.exit(1)
  })
}
