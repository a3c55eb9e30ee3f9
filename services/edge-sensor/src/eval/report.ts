/**
 * The eval's outputs: a table for the terminal, and `eval.json`, `eval.md`
 * and the sweep chart in the out folder. Everything shown is read from the
 * report; nothing is computed here but formatting.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FrameRow, Totals } from './metrics.ts'
import type { SweepPoint } from './sweep.ts'
import { sweepSvg, svgToPng } from './chart.ts'

export interface EvalSettings {
  framesDir: string
  labelsFile: string
  backend: string
  student: string
  crossCheck: string | null
  teacher: string | null
  escalateThreshold: number
  auditRate: number
  auditEveryNFrames: number
  auditSeed: number
  safetyKeywords: string[]
}

export interface EvalReport {
  v: 1
  createdAt: string
  settings: EvalSettings
  totals: Totals
  sweep: SweepPoint[]
  rows: FrameRow[]
}

export function pct (x: number | null): string {
  return x === null ? '-' : `${(x * 100).toFixed(1)}%`
}

function ofWhole (part: number, whole: number, rate: number | null): string {
  return `${part} of ${whole} (${pct(rate)})`
}

function ms (x: number | null): string {
  return x === null ? '-' : `${Math.round(x)} ms`
}

/** The totals as label and value pairs, in reading order. */
export function totalsLines (t: Totals): Array<[string, string]> {
  const reasons = Object.entries(t.reasons).sort((a, b) => b[1] - a[1])
  const lines: Array<[string, string]> = [
    ['frames analysed', `${t.analysed} of ${t.frames} (${t.failed} failed)`],
    ['escalation rate', ofWhole(t.escalated, t.analysed, t.escalationRate)],
    ['safety recall', ofWhole(t.safetyEscalated, t.safetyFrames, t.safetyRecall)],
    ['safety recall, safety rule only', pct(t.safetyFlagRecall)],
    ['safety precision', `${pct(t.safetyPrecision)} (${t.safetyFlagged} flagged)`],
    ['object recall', ofWhole(t.objectsFound, t.objectsLabelled, t.objectRecall)],
    ['latency p50 / p95', `${ms(t.latencyP50Ms)} / ${ms(t.latencyP95Ms)}`],
    ['reasons', reasons.map(([k, n]) => `${k} ${n}`).join(', ') || 'none']
  ]
  if (t.teacher === null) return lines
  const v = t.teacher.verdicts
  lines.push(
    ['teacher verdicts',
      `agree ${v.agree}, partial ${v.partial}, disagree ${v.disagree}`],
    ['teacher agreement', pct(t.teacher.agreement)],
    ['teacher disagreed, of frames kept',
      `${t.teacher.missed} (${pct(t.teacher.missedRate)})`]
  )
  return lines
}

/** Columns aligned with spaces, for the terminal. */
export function textTable (headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]): string =>
    cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()
  const rule = widths.map((w) => '-'.repeat(w))
  return [line(headers), line(rule), ...rows.map(line)].join('\n')
}

export function markdownTable (headers: string[], rows: string[][]): string {
  const cell = (c: string): string => c.replace(/\|/g, '\\|').replace(/\n/g, ' ')
  const line = (cells: string[]): string => `| ${cells.map(cell).join(' | ')} |`
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n')
}

function shorten (text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…'
}

const FRAME_HEADERS =
  ['file', 'conf', 'escalated', 'reasons', 'label', 'recall', 'teacher']

function frameCells (r: FrameRow, fileWidth: number): string[] {
  return [
    shorten(r.file, fileWidth),
    r.error !== null ? 'failed' : (r.confidence?.toFixed(2) ?? 'none'),
    r.escalated ? 'yes' : 'no',
    r.reasons.join(',') || '-',
    r.labelSafety ? 'safety' : '-',
    pct(r.objectRecall),
    r.teacher?.verdict ?? '-'
  ]
}

const SWEEP_HEADERS = ['threshold', 'escalated', 'escalation rate', 'safety recall',
  'teacher disagreed, of kept']

function sweepCells (p: SweepPoint): string[] {
  return [p.threshold.toFixed(1), String(p.escalated), pct(p.escalationRate),
    pct(p.safetyRecall), pct(p.missedRate)]
}

/** What the terminal shows: frames, totals and the sweep. */
export function screenReport (report: EvalReport): string {
  return [
    textTable(FRAME_HEADERS, report.rows.map((r) => frameCells(r, 36))),
    '',
    textTable(['total', 'value'], totalsLines(report.totals)),
    '',
    textTable(SWEEP_HEADERS, report.sweep.map(sweepCells))
  ].join('\n')
}

export function markdownReport (report: EvalReport): string {
  const s = report.settings
  const frames = report.rows.map((r) =>
    [...frameCells(r, 60), shorten(r.error ?? r.answer ?? '', 160)])
  return [
    '# Edge eval',
    '',
    `${report.createdAt}: ${report.rows.length} frames from \`${s.framesDir}\`, ` +
      `student \`${s.student}\`` +
      (s.teacher === null ? '' : `, teacher \`${s.teacher}\``) +
      (s.crossCheck === null ? '' : `, cross-check \`${s.crossCheck}\``) + '.',
    `Threshold ${s.escalateThreshold}, audit rate ${s.auditRate}, ` +
      `audit every ${s.auditEveryNFrames} frames, audit seed ${s.auditSeed}.`,
    '',
    '## Totals', '', markdownTable(['total', 'value'], totalsLines(report.totals)),
    '',
    '## Threshold sweep', '', markdownTable(SWEEP_HEADERS, report.sweep.map(sweepCells)),
    '', '![threshold sweep](sweep.svg)',
    '',
    '## Frames', '', markdownTable([...FRAME_HEADERS, 'answer'], frames),
    ''
  ].join('\n')
}

export interface WrittenFiles {
  json: string
  markdown: string
  svg: string
  png: string | null
}

/** Write every output into `dir`; the PNG is skipped if sharp cannot render. */
export async function writeReport (
  dir: string, report: EvalReport
): Promise<WrittenFiles> {
  await mkdir(dir, { recursive: true })
  const files = {
    json: join(dir, 'eval.json'),
    markdown: join(dir, 'eval.md'),
    svg: join(dir, 'sweep.svg')
  }
  const svg = await sweepSvg(report.sweep, report.settings.escalateThreshold)
  await Promise.all([
    writeFile(files.json, JSON.stringify(report, null, 2) + '\n'),
    writeFile(files.markdown, markdownReport(report)),
    writeFile(files.svg, svg)
  ])
  const png = await svgToPng(svg)
  if (png === null) return { ...files, png: null }
  await writeFile(join(dir, 'sweep.png'), png)
  return { ...files, png: join(dir, 'sweep.png') }
}
