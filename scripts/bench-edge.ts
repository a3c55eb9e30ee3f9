/**
 * Time the whole edge step per frame, as the sensor runs it: decode, full
 * JPEG and thumbnail, scene signature, the student, the policy. One row for
 * the whole step, one for the model alone, one for the rest:
 * `npx tsx scripts/bench-edge.ts [--frames DIR] [--backend detector|ollama]`.
 */
import { parseArgs } from 'node:util'
import { createVisionModel, DEFAULT_STUDENT_PROMPT } from '@gemmaedge/shared/vision'
import { createPolicy, POLICY_DEFAULTS } from '../services/edge-sensor/src/escalation-policy.ts'
import { FrameAnalyser } from '../services/edge-sensor/src/frame-analyser.ts'
import { DEFAULT_SAFETY_KEYWORDS } from '../services/edge-sensor/src/config.ts'
import { DEFAULT_FRAMES, readFrames, summarise } from './bench-support.ts'

async function main (): Promise<void> {
  const { values } = parseArgs({
    options: { frames: { type: 'string' }, backend: { type: 'string' } }
  })
  const backend = values.backend === 'ollama' ? 'ollama' : 'detector'
  const frames = await readFrames(values.frames ?? DEFAULT_FRAMES)
  const model = await createVisionModel({ backend, role: 'student' })
  const analyser = new FrameAnalyser({
    model,
    crossCheck: null,
    policy: createPolicy({
      ...POLICY_DEFAULTS, escalateThreshold: 0.6, safetyKeywords: DEFAULT_SAFETY_KEYWORDS
    }),
    thumbnailWidth: 160,
    modelTimeoutMs: 60_000,
    // Every frame is a different photograph: time the full step each time.
    skipBelowChange: 0
  })

  // One frame first, so the rows time the steady state and not the warm-up.
  await analyser.analyse(frames[0]!.image, 0, DEFAULT_STUDENT_PROMPT)
  const step: number[] = []
  const modelMs: number[] = []
  for (const [i, frame] of frames.entries()) {
    const started = performance.now()
    const { answer } = await analyser.analyse(frame.image, i + 1, DEFAULT_STUDENT_PROMPT)
    step.push(performance.now() - started)
    modelMs.push(answer.latencyMs)
  }
  await model.close()

  const rest = step.map((t, i) => t - (modelMs[i] ?? 0))
  console.table([
    { part: 'whole edge step', model: model.name, frames: frames.length, ...summarise(step) },
    { part: 'student model', model: model.name, frames: frames.length, ...summarise(modelMs) },
    {
      part: 'decode, thumbnail, signature, policy', model: '-', frames: frames.length,
      ...summarise(rest)
    }
  ])
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
