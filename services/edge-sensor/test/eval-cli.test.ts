import { describe, it, expect, vi, afterEach } from 'vitest'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm, writeFile, access } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from '../../../test/support.ts'
import { main } from '../src/eval/cli.ts'
import { totalsOf, type FrameRow } from '../src/eval/metrics.ts'
import type { EvalReport } from '../src/eval/report.ts'

const CLI = 'services/edge-sensor/src/eval/cli.ts'
const SAMPLE_LABELS = 'samples/frames/labels.jsonl'

interface Ran { code: number | null, stdout: string, stderr: string }

async function runCli (args: string[]): Promise<Ran> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: repoRoot, env: { ...process.env, LOG_FORMAT: 'json' }
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => { stdout += String(chunk) })
  child.stderr.on('data', (chunk) => { stderr += String(chunk) })
  const [code] = await once(child, 'close') as [number | null]
  return { code, stdout, stderr }
}

/** Capture what main writes to stderr. */
function captureStderr (): () => string {
  let text = ''
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    text += String(chunk)
    return true
  })
  return () => text
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('npm run eval', () => {
  it('scores the sample frames and writes totals that match its rows', async () => {
    const out = await mkdtemp(join(tmpdir(), 'eval-'))
    try {
      const ran = await runCli(['--frames', 'samples/frames', '--labels', SAMPLE_LABELS,
        '--backend', 'detector', '--out', out])
      expect(ran.code, ran.stderr).toBe(0)
      expect(ran.stdout).toMatch(/escalation rate/)

      const json = await readFile(join(out, 'eval.json'), 'utf8')
      const report = JSON.parse(json) as EvalReport
      const labels = await readFile(join(repoRoot, SAMPLE_LABELS), 'utf8')
      expect(report.rows).toHaveLength(labels.trim().split('\n').length)
      expect(report.totals).toEqual(totalsOf(report.rows))
      expectCountsFromRows(report)

      const atRun = report.sweep.find((p) => p.threshold === 0.6)
      expect(atRun?.escalated).toBe(report.totals.escalated)
      expect(report.sweep.map((p) => p.threshold)).toEqual(
        [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])

      expect(await readFile(join(out, 'eval.md'), 'utf8')).toMatch(/## Threshold sweep/)
      expect(await readFile(join(out, 'sweep.svg'), 'utf8')).toMatch(/^<svg /)
      const png = await readFile(join(out, 'sweep.png'))
      expect(png.subarray(1, 4).toString()).toBe('PNG')
    } finally {
      await rm(out, { recursive: true, force: true })
    }
  }, 120_000)

  it('exits 2 naming the bad line of a labels file, before any model', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'eval-'))
    try {
      const labels = join(dir, 'labels.jsonl')
      await writeFile(labels, '{"file": "a.jpg", "objects": [], "safety": "no"}\n')
      const stderr = captureStderr()
      expect(await main(['--frames', dir, '--labels', labels, '--out', dir])).toBe(2)
      expect(stderr()).toMatch(/labels\.jsonl:1: safety: /)
      await expect(access(join(dir, 'eval.json'))).rejects.toThrow()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('exits 2 listing a bad flag value and the fix', async () => {
    const stderr = captureStderr()
    expect(await main(['--threshold', '2', '--backend', 'gpu'])).toBe(2)
    expect(stderr()).toMatch(/ESCALATE_THRESHOLD="2"/)
    expect(stderr()).toMatch(/MODEL_BACKEND="gpu"/)
  })

  it('exits 2 when a labelled frame is not in the folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'eval-'))
    try {
      const labels = join(dir, 'labels.jsonl')
      await writeFile(labels, '{"file": "gone.jpg", "objects": [], "safety": false}\n')
      const stderr = captureStderr()
      expect(await main(['--frames', dir, '--labels', labels, '--out', dir])).toBe(2)
      expect(stderr()).toMatch(/gone\.jpg/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

/** The headline numbers, counted again from the rows without totalsOf. */
function expectCountsFromRows (report: EvalReport): void {
  const ok = report.rows.filter((r: FrameRow) => r.error === null)
  const escalated = ok.filter((r) => r.escalated).length
  const safety = ok.filter((r) => r.labelSafety)
  const found = ok.reduce((n, r) => n + r.objectsFound, 0)
  const labelled = ok.reduce((n, r) => n + r.objectsLabelled, 0)
  expect(report.totals).toMatchObject({
    analysed: ok.length,
    escalated,
    escalationRate: escalated / ok.length,
    safetyFrames: safety.length,
    safetyRecall: safety.length === 0
      ? null
      : safety.filter((r) => r.escalated).length / safety.length,
    objectRecall: found / labelled
  })
}
