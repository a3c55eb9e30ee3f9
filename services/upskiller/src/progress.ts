/**
 * Where a run's progress goes: `upskill/progress` on the bus, the log, and
 * a progress bar on the command line. A run reports to one `Progress`; the
 * sinks are put together with `fanOut`.
 */
import type { MqttClient } from 'mqtt'
import type { Logger } from 'pino'
import cliProgress from 'cli-progress'
import {
  UpskillProgressSchema, type UpskillProgress, type Topics
} from '@gemmaedge/shared'

/** A progress report before the schema version and time are put on. */
export type ProgressReport = Omit<UpskillProgress, 'v' | 'at'>

export type Progress = (report: ProgressReport) => void

/** Publish each report on `upskill/progress`, QoS 0: a lost one is overtaken. */
export function busProgress (client: MqttClient, topics: Topics, log: Logger): Progress {
  return (report) => {
    const message = UpskillProgressSchema.parse({
      v: 1, ...report, at: new Date().toISOString()
    })
    client.publish(topics.upskillProgress, JSON.stringify(message), { qos: 0 }, (err) => {
      if (err != null) log.debug({ err }, 'progress not sent')
    })
  }
}

/** Log each change of phase and the end at info; per-case reports at debug. */
export function logProgress (log: Logger): Progress {
  let phase = ''
  return (report) => {
    const fields = { ...report, scores: undefined }
    if (report.phase === phase) return log.debug(fields, 'upskill progress')
    phase = report.phase
    if (report.phase === 'failed' || report.phase === 'refused') {
      return log.warn(fields, `upskill ${report.phase}`)
    }
    log.info({ ...fields, scores: report.scores }, `upskill ${report.phase}`)
  }
}

/** A progress bar on a terminal (stderr); one line a phase when not a terminal. */
export function barProgress (stream: NodeJS.WriteStream = process.stderr): {
  progress: Progress
  stop: () => void
} {
  const bar = new cliProgress.SingleBar({
    stream,
    format: '{phase} [{bar}] {value}/{total}  best {best}',
    hideCursor: true,
    clearOnComplete: false
  }, cliProgress.Presets.shades_classic)
  let phase = ''

  const progress: Progress = (report) => {
    const best = report.best === null
      ? '-'
      : `${report.best.version} ${report.best.score.toFixed(3)}`
    const payload = { phase: report.phase.padEnd(10), best }
    if (!stream.isTTY) {
      const ending = ['done', 'failed', 'refused'].includes(report.phase)
      if (report.phase !== phase && !ending) stream.write(`upskill ${report.phase}\n`)
    } else if (report.phase !== phase) {
      if (phase !== '') bar.stop()
      bar.start(Math.max(report.total, 1), report.done, payload)
    } else {
      bar.setTotal(Math.max(report.total, 1))
      bar.update(report.done, payload)
    }
    phase = report.phase
  }
  return { progress, stop: () => { if (stream.isTTY && phase !== '') bar.stop() } }
}

/** Every report to each sink, in order. */
export function fanOut (...sinks: Progress[]): Progress {
  return (report) => {
    for (const sink of sinks) sink(report)
  }
}
