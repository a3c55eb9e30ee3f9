/**
 * What the integration tests share: where the labelled photographs are, a
 * logger whose lines the test can read, a broker on a free port, and an
 * edge sensor with test settings.
 */
import { fileURLToPath } from 'node:url'
import { dirname, resolve } from 'node:path'
import { Writable } from 'node:stream'
import { createLogger, type Logger } from '@gemmaedge/shared/node'
import type { MqttClient } from 'mqtt'
import { createTopics } from '@gemmaedge/shared'
import { DEFAULT_STUDENT_PROMPT, type VisionModel } from '@gemmaedge/shared/vision'
import { startBroker, type Broker } from '../broker/src/broker.ts'
import { EdgeSensor, type EdgeSensorOptions } from '../services/edge-sensor/src/edge-sensor.ts'
import { FrameAnalyser } from '../services/edge-sensor/src/frame-analyser.ts'
import {
  createPolicy, POLICY_DEFAULTS, type PolicyOptions
} from '../services/edge-sensor/src/escalation-policy.ts'
import type { FrameSource } from '../services/edge-sensor/src/frame-source.ts'
import type { ActiveSkill } from '../services/edge-sensor/src/skill-file.ts'

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

export interface TestSensorOptions {
  source: FrameSource
  model: VisionModel
  client: MqttClient
  log: Logger
  /** Policy settings over POLICY_DEFAULTS; threshold 0.6, no keywords. */
  policy?: Partial<PolicyOptions>
  skill?: ActiveSkill
  /** Sensor settings over the defaults: 30 fps, no budget, no calibration. */
  sensor?: Partial<EdgeSensorOptions>
  skipBelowChange?: number
}

/** An edge sensor as the tests run it: fast, unbudgeted, detector-free. */
export function testEdgeSensor (o: TestSensorOptions): EdgeSensor {
  return new EdgeSensor({
    device: 'cam-1',
    source: o.source,
    analyser: new FrameAnalyser({
      model: o.model,
      crossCheck: null,
      policy: createPolicy({
        ...POLICY_DEFAULTS, escalateThreshold: 0.6, safetyKeywords: [], ...o.policy
      }),
      thumbnailWidth: 64,
      modelTimeoutMs: 30_000,
      skipBelowChange: o.skipBelowChange ?? 0
    }),
    skill: o.skill ?? { version: 'builtin', text: DEFAULT_STUDENT_PROMPT },
    client: o.client,
    topics: createTopics(),
    log: o.log,
    fps: 30,
    maxFrames: 0,
    maxPendingEscalations: 10,
    maxEscalationsPerMinute: 0,
    budgetQueueSize: 0,
    calibration: null,
    ...o.sensor
  })
}
