/**
 * What the integration tests share: where the labelled photographs are, a
 * logger whose lines the test can read, and a broker on a free port.
 */
import { fileURLToPath } from 'node:url'
import { dirname, resolve } from 'node:path'
import { Writable } from 'node:stream'
import { createLogger, type Logger } from '@gemmaedge/shared/node'
import { startBroker, type Broker } from '../broker/src/broker.ts'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** The photographs handed beside the project, for tests only. */
export const sharedFrames = resolve(repoRoot, '..', 'shared', 'frames')

export interface CapturedLog {
  log: Logger
  /** Every line written so far, parsed. */
  lines: Array<Record<string, unknown>>
}

/** A pino logger writing JSON lines into memory. */
export function captureLog (name: string, level = 'info'): CapturedLog {
  const lines: Array<Record<string, unknown>> = []
  const destination = new Writable({
    write (chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) {
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>)
      }
      callback()
    }
  })
  return { log: createLogger({ name, level, destination }), lines }
}

/** Start an in-process broker on free ports of the loopback interface. */
export function startTestBroker (log: Logger): Promise<Broker> {
  return startBroker({ mqttPort: 0, wsPort: 0, host: '127.0.0.1', log })
}
