/** Entry of the teacher-reviewer: wiring only. */
import { createLogger, loadConfig, connectService, runService } from '@gemmaedge/shared/node'
import { createVisionModel, DEFAULT_TEACHER_PROMPT } from '@gemmaedge/shared/vision'
import { TeacherConfigSchema, TEACHER_FLAGS } from './config.ts'
import { Reviewer } from './reviewer.ts'
import { ReviewStore } from './review-store.ts'

const VERSION = '0.1.0'
const ABOUT = 'GemmaEdge Hub teacher-reviewer: reviews escalated frames with the teacher.\n' +
  'Usage, from the repository root: npx tsx services/teacher-reviewer/src/main.ts [flags]'
const log = createLogger({ name: 'teacher-reviewer' })

runService(log, async () => {
  const config = loadConfig(TeacherConfigSchema, {
    about: ABOUT,
    argv: process.argv.slice(2), flags: TEACHER_FLAGS
  })
  const model = await createVisionModel({
    backend: config.MODEL_BACKEND,
    role: 'teacher',
    ollamaHost: config.OLLAMA_HOST,
    model: config.TEACHER_MODEL,
    timeoutMs: config.MODEL_TIMEOUT_MS,
    log
  })
  log.info({ model: model.name }, 'teacher model ready')
  const store = new ReviewStore(config.REVIEWS_DB, config.MAX_STORED_REVIEWS)
  log.info({ file: store.file, stored: store.count() }, 'review store open')

  // A persistent session: escalations sent while the reviewer restarts are
  // kept by the broker and delivered when it is back (MQTT-3.1.2-4).
  const connection = await connectService({
    url: config.MQTT_URL,
    service: 'teacher-reviewer',
    instance: config.INSTANCE,
    version: VERSION,
    topicPrefix: config.TOPIC_PREFIX,
    log,
    mqtt: { clean: false }
  })
  const reviewer = new Reviewer({
    client: connection.client,
    topics: connection.topics,
    model,
    log,
    teacherPrompt: DEFAULT_TEACHER_PROMPT,
    modelTimeoutMs: config.MODEL_TIMEOUT_MS,
    maxPendingReviews: config.MAX_PENDING_REVIEWS,
    store
  })
  await reviewer.start()

  return async () => {
    await connection.close()
    await reviewer.idle()
    await model.close()
    store.close()
    log.info({ stats: reviewer.stats }, 'reviewer stopped')
  }
})
