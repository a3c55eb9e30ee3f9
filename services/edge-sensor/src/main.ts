/** Entry of the edge sensor: wiring only. */
import { createLogger, loadConfig, connectService, runService } from '@gemmaedge/shared/node'
import { createVisionModel, DEFAULT_STUDENT_PROMPT } from '@gemmaedge/shared/vision'
import { EdgeConfigSchema, EDGE_FLAGS, type EdgeConfig } from './config.ts'
import { FolderSource, type FrameSource } from './frame-source.ts'
import { WebcamSource } from './webcam-source.ts'
import { createPolicy } from './escalation-policy.ts'
import { loadSkillFile } from './skill-file.ts'
import { EdgeSensor } from './edge-sensor.ts'
import { watchSkillUpdates } from './skill-updates.ts'

const VERSION = '0.1.0'
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

runService(log, async () => {
  const config = loadConfig(EdgeConfigSchema, { argv: process.argv.slice(2), flags: EDGE_FLAGS })
  const source = await openSource(config)
  const skill = await loadSkillFile(config.SKILL_FILE, DEFAULT_STUDENT_PROMPT)
  log.info({ version: skill.version, file: config.SKILL_FILE }, 'skill loaded')

  const model = await createVisionModel({
    backend: config.MODEL_BACKEND,
    role: 'student',
    ollamaHost: config.OLLAMA_HOST,
    model: config.STUDENT_MODEL,
    timeoutMs: config.MODEL_TIMEOUT_MS,
    log
  })
  log.info({ model: model.name }, 'student model ready')

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
  const sensor = new EdgeSensor({
    device: config.DEVICE,
    source,
    model,
    policy: createPolicy({
      escalateThreshold: config.ESCALATE_THRESHOLD,
      safetyKeywords: config.SAFETY_KEYWORDS,
      auditEveryNFrames: config.AUDIT_EVERY_N_FRAMES
    }),
    skill,
    client: connection.client,
    topics: connection.topics,
    log,
    fps: config.FPS,
    maxFrames: config.MAX_FRAMES,
    modelTimeoutMs: config.MODEL_TIMEOUT_MS,
    thumbnailWidth: config.THUMBNAIL_WIDTH,
    maxPendingEscalations: config.MAX_PENDING_ESCALATIONS
  })
  await watchSkillUpdates({
    client: connection.client,
    topics: connection.topics,
    target: sensor,
    file: config.SKILL_FILE,
    maxSkillBytes: config.MAX_SKILL_BYTES,
    log
  })
  const done = sensor.start()

  const stop = async (): Promise<void> => {
    await sensor.stop()
    await connection.close()
    await Promise.all([source.close(), model.close()])
  }
  // With MAX_FRAMES or LOOP=false the sensor ends on its own.
  done.then(() => stop().then(() => process.exit(0)), () => process.exit(1))
  return stop
})
