/** Entry of the edge sensor: wiring only. */
import { createLogger, loadConfig, connectService, runService } from '@gemmaedge/shared/node'
import {
  createVisionModel, DEFAULT_STUDENT_PROMPT, type VisionModel
} from '@gemmaedge/shared/vision'
import { EdgeConfigSchema, EDGE_FLAGS, type EdgeConfig } from './config.ts'
import { FolderSource, type FrameSource } from './frame-source.ts'
import { WebcamSource } from './webcam-source.ts'
import { createPolicy } from './escalation-policy.ts'
import { Calibration } from './calibration.ts'
import { FrameAnalyser } from './frame-analyser.ts'
import { loadSkillFile } from './skill-file.ts'
import { EdgeSensor } from './edge-sensor.ts'
import { watchSkillUpdates } from './skill-updates.ts'
import { watchReviews } from './review-feedback.ts'

const VERSION = '0.1.0'
const ABOUT = 'GemmaEdge Hub edge sensor: the student describes each frame, and the\n' +
  'doubtful ones are escalated to the teacher.\n' +
  'Usage, from the repository root: npx tsx services/edge-sensor/src/main.ts [flags]'
const log = createLogger({ name: 'edge-sensor' })

function openSource (config: EdgeConfig): Promise<FrameSource> {
  if (config.SOURCE === 'folder') return FolderSource.open(config.FRAMES_DIR, config.LOOP)
  return WebcamSource.open({
    device: config.WEBCAM_DEVICE,
    width: config.WEBCAM_WIDTH,
    height: config.WEBCAM_HEIGHT,
    timeoutMs: config.CAPTURE_TIMEOUT_MS
  })
}

/** The detector beside a language-model student, where CROSS_CHECK wants it. */
async function openCrossCheck (
  config: EdgeConfig, student: VisionModel
): Promise<VisionModel | null> {
  const wanted = config.CROSS_CHECK === 'on' ||
    (config.CROSS_CHECK === 'auto' && student.kind !== 'detector')
  if (!wanted) return null
  return createVisionModel({ backend: 'detector', role: 'student', log })
}

/** Models, calibration and the analyser they make up together. */
async function openAnalyser (config: EdgeConfig) {
  const model = await createVisionModel({
    backend: config.MODEL_BACKEND,
    role: 'student',
    ollamaHost: config.OLLAMA_HOST,
    model: config.STUDENT_MODEL,
    timeoutMs: config.MODEL_TIMEOUT_MS,
    log
  })
  const crossCheck = await openCrossCheck(config, model)
  const calibration = await new Calibration(
    config.CALIBRATION_FILE ?? `var/calibration-${config.DEVICE}.json`,
    config.MIN_CALIBRATION_REVIEWS
  ).load()
  const analyser = new FrameAnalyser({
    model,
    crossCheck,
    policy: createPolicy({
      escalateThreshold: config.ESCALATE_THRESHOLD,
      safetyKeywords: config.SAFETY_KEYWORDS,
      auditRate: config.AUDIT_RATE,
      auditEveryNFrames: config.AUDIT_EVERY_N_FRAMES,
      auditSeed: config.AUDIT_SEED,
      sceneChangeThreshold: config.SCENE_CHANGE_THRESHOLD,
      calibration,
      minAgreement: config.MIN_AGREEMENT
    }),
    thumbnailWidth: config.THUMBNAIL_WIDTH,
    modelTimeoutMs: config.MODEL_TIMEOUT_MS,
    skipBelowChange: config.SKIP_UNCHANGED ? config.SKIP_BELOW_CHANGE : 0
  })
  log.info({ model: model.name, crossCheck: crossCheck?.name ?? null }, 'student model ready')
  const close = () => Promise.all([model.close(), crossCheck?.close()])
  return { analyser, calibration, close }
}

runService(log, async () => {
  const config = loadConfig(EdgeConfigSchema, {
    about: ABOUT,
    argv: process.argv.slice(2),
    flags: EDGE_FLAGS
  })
  const source = await openSource(config)
  const skill = await loadSkillFile(config.SKILL_FILE, DEFAULT_STUDENT_PROMPT)
  log.info({ version: skill.version, file: config.SKILL_FILE }, 'skill loaded')
  const { analyser, calibration, close } = await openAnalyser(config)

  const connection = await connectService({
    url: config.MQTT_URL,
    service: 'edge-sensor',
    instance: config.DEVICE,
    version: VERSION,
    topicPrefix: config.TOPIC_PREFIX,
    log,
    // Frames are live: an edge result that could not be sent is stale.
    mqtt: { queueQoSZero: false }
  })
  const { client, topics } = connection
  const sensor = new EdgeSensor({
    device: config.DEVICE,
    source,
    analyser,
    skill,
    client,
    topics,
    log,
    fps: config.FPS,
    maxFrames: config.MAX_FRAMES,
    maxPendingEscalations: config.MAX_PENDING_ESCALATIONS,
    maxEscalationsPerMinute: config.MAX_ESCALATIONS_PER_MIN,
    budgetQueueSize: config.BUDGET_QUEUE_SIZE,
    calibration
  })
  await watchSkillUpdates({
    client,
    topics,
    target: sensor,
    file: config.SKILL_FILE,
    maxSkillBytes: config.MAX_SKILL_BYTES,
    log
  })
  await watchReviews({ client, topics, device: config.DEVICE, calibration, log })
  const done = sensor.start()

  const stop = async (): Promise<void> => {
    await sensor.stop()
    await connection.close()
    await Promise.all([source.close(), close()])
  }
  // With MAX_FRAMES or LOOP=false the sensor ends on its own.
  done.then(() => stop().then(() => process.exit(0)), () => process.exit(1))
  return stop
})
