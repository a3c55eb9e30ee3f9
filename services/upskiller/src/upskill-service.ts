/**
 * The upskiller on the bus: a run for each valid message on
 * `upskill/request`, one run at a time. A request while a run goes on is
 * refused, not queued, so requests cannot pile up behind a slow teacher.
 * Without Ollama the service still runs and refuses each request with the
 * reason, so the rest of the hub is not held up by it.
 */
import type { MqttClient } from 'mqtt'
import type { Logger } from 'pino'
import {
  UpskillRequestSchema, parsePayload, type Topics, type UpskillRequest
} from '@gemmaedge/shared'
import type { UpskillConfig } from './config.ts'
import { currentSkill, trackSkills, type SkillTracker } from './current-skill.ts'
import { checkModels } from './model-check.ts'
import { busProgress, fanOut, logProgress, type Progress } from './progress.ts'
import { SkillLibrary } from './skill-library.ts'
import { runUpskill, type RunResult } from './upskill-run.ts'

export interface ServiceOptions {
  client: MqttClient
  topics: Topics
  config: UpskillConfig
  log: Logger
}

export interface UpskillService {
  readonly stats: { requests: number, invalid: number, refused: number, runs: number }
  /** Whether a run is going. */
  readonly running: boolean
  /** Resolves when no run is going. */
  idle (): Promise<void>
}

export async function startUpskillService (o: ServiceOptions): Promise<UpskillService> {
  const log = o.log.child({ component: 'upskill-service' })
  const progress = fanOut(busProgress(o.client, o.topics, log), logProgress(log))
  const tracker = await trackSkills(o.client, o.topics, log)
  const library = new SkillLibrary(o.config.SKILLS_DIR)
  const stats = { requests: 0, invalid: 0, refused: 0, runs: 0 }
  let running: Promise<void> | null = null

  o.client.on('message', (topic, payload) => {
    if (topic !== o.topics.upskillRequest) return
    stats.requests++
    const parsed = parsePayload(UpskillRequestSchema, payload)
    if (!parsed.ok) {
      stats.invalid++
      log.warn({ topic, reason: parsed.reason, invalid: stats.invalid }, 'upskill request dropped')
      return
    }
    if (running !== null) return refuse(parsed.value, progress, log, stats)
    stats.runs++
    running = runRequest({ ...o, log, tracker, library, progress }, parsed.value)
      .finally(() => { running = null })
  })
  await o.client.subscribeAsync(o.topics.upskillRequest, { qos: 1 })
  log.info({ topic: o.topics.upskillRequest }, 'waiting for upskill requests')
  void reportReadiness(o.config, log)

  return {
    stats,
    get running () { return running !== null },
    idle: async () => { while (running !== null) await running }
  }
}

function refuse (
  request: UpskillRequest, progress: Progress, log: Logger, stats: UpskillService['stats']
): void {
  stats.refused++
  const detail = 'refused: an upskilling run is going; send the request again when ' +
    'upskill/progress reports done or failed'
  log.warn({ requestId: request.requestId, refused: stats.refused }, `upskill request ${detail}`)
  progress({
    ...(request.requestId === undefined ? {} : { requestId: request.requestId }),
    phase: 'refused', done: 0, total: 0, best: null, detail
  })
}

interface RunContext extends ServiceOptions {
  tracker: SkillTracker
  library: SkillLibrary
  progress: Progress
}

async function runRequest (c: RunContext, request: UpskillRequest): Promise<void> {
  const log = c.log.child({ requestId: request.requestId })
  try {
    const current = await currentSkill(c.tracker.latest, c.config.SKILL_FILE)
    await c.library.remember(current)
    const result: RunResult = await runUpskill({
      config: c.config, request, current, client: c.client, topics: c.topics,
      library: c.library, progress: c.progress, log
    })
    log.info({ published: result.published?.version ?? null, gain: result.gain },
      'upskill run ended')
  } catch (err) {
    // The run has reported `failed` with the reason; the service goes on.
    log.warn({ err }, 'upskill run failed')
  }
}

/** Say at start whether upskilling can run, and what it needs when it cannot. */
async function reportReadiness (config: UpskillConfig, log: Logger): Promise<void> {
  try {
    const student = await checkModels({
      host: config.OLLAMA_HOST, teacherModel: config.TEACHER_MODEL,
      studentModel: config.STUDENT_MODEL, studentTimeoutMs: config.STUDENT_TIMEOUT_MS
    })
    await student.close()
    log.info({ teacher: config.TEACHER_MODEL, student: config.STUDENT_MODEL }, 'models ready')
  } catch (err) {
    log.warn({ err },
      'upskilling unavailable: requests are refused until Ollama has both models')
  }
}
