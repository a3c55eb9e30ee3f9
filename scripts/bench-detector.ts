/**
 * Time the embedded detector on a folder of frames, one row per profile:
 * `npx tsx scripts/bench-detector.ts [--frames DIR] [--answers]`.
 * Load time is the first profile's engine start plus its models, so the
 * second profile's load is only its extra models.
 */
import { parseArgs } from 'node:util'
import {
  DetectorModel, DEFAULT_STUDENT_PROMPT, type DetectorProfile
} from '@gemmaedge/shared/vision'
import { DEFAULT_FRAMES, readFrames, summarise, type Frame } from './bench-support.ts'

const PROFILES: DetectorProfile[] = ['fast', 'thorough']

/** Load one profile, run it over every frame and sum up the timings. */
async function benchProfile (
  profile: DetectorProfile, frames: Frame[], answers: boolean
): Promise<Record<string, string | number>> {
  const model = new DetectorModel({ profile })
  const loadStarted = performance.now()
  await model.ready()
  const loadMs = Math.round(performance.now() - loadStarted)

  const times: number[] = []
  for (const frame of frames) {
    const request = { image: frame.image, systemPrompt: DEFAULT_STUDENT_PROMPT }
    const answer = await model.describe(request)
    times.push(answer.latencyMs)
    if (answers) console.log(profile, frame.file, answer.confidence, answer.answer)
  }
  await model.close()

  return { profile, frames: frames.length, 'load ms': loadMs, ...summarise(times) }
}

async function main (): Promise<void> {
  const { values } = parseArgs({
    options: { frames: { type: 'string' }, answers: { type: 'boolean' } }
  })
  const frames = await readFrames(values.frames ?? DEFAULT_FRAMES)
  const rows: Array<Record<string, string | number>> = []
  for (const profile of PROFILES) {
    rows.push(await benchProfile(profile, frames, values.answers === true))
  }
  console.table(rows)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
