/** What the benchmark scripts share: reading frames and summing up times. */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The labelled photographs beside the project, else the sample frames. */
export const DEFAULT_FRAMES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'frames')

export interface Frame { file: string, image: Uint8Array }

export async function readFrames (dir: string): Promise<Frame[]> {
  const files = (await readdir(dir)).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort()
  if (files.length === 0) throw new Error(`no .jpg or .png frames in ${dir}`)
  return Promise.all(files.map(async (file) => ({
    file, image: await readFile(path.join(dir, file))
  })))
}

export function percentile (sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, i)] ?? 0
}

/** p50, p95 and mean of a list of times, rounded to ms. */
export function summarise (times: number[]): Record<string, number> {
  const sorted = [...times].sort((a, b) => a - b)
  return {
    'p50 ms': Math.round(percentile(sorted, 50)),
    'p95 ms': Math.round(percentile(sorted, 95)),
    'mean ms': Math.round(times.reduce((s, t) => s + t, 0) / Math.max(1, times.length))
  }
}
