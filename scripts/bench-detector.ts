/**
 * Time the embedded detector on a folder of frames, one row per profile:
 * `npx tsx scripts/bench-detector.ts [--frames DIR] [--answers]`.
 * Load time is the first profile's engine start plus its models, so the
 * second profile's load is only its extra models.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import {
  DetectorModel, DEFAULT_STUDENT_PROMPT, type DetectorProfile
} from '@gemmaedge/shared/vision'

const DEFAULT_FRAMES = '/work/shared/frames'
const PROFILES: DetectorProfile[] = ['fast', 'thorough']

interface Frame { file: string, image: Uint8Array }

async function readFrames (dir: string): Promise<Frame[]> {
  const files = (await readdir(dir)).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort()
  if (files.length === 0) throw new Error(`no .jpg or .png frames in ${dir}`)
  return Promise.all(files.map(async (file) => ({
    file, image: await readFile(path.join(dir, file))
  })))
}

function percentile (sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, i)] ?? 0
}

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

  const sorted = [...times].sort((a, b) => a - b)
  const meanMs = Math.round(times.reduce((s, t) => s + t, 0) / times.length)
  return {
    profile,
    frames: frames.length,
    'load ms': loadMs,
    'p50 ms': percentile(sorted, 50),
    'p95 ms': percentile(sorted, 95),
    'mean ms': meanMs
  }
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
