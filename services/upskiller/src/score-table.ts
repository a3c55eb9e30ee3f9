/** Plain-text tables for the command line: a run's scores, the stored skills. */
import type { Skill } from '@gemmaedge/shared'
import type { RunResult, ScoredSkill } from './upskill-run.ts'

/** Columns padded to their widest cell, two spaces apart. */
export function table (rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? []
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd())
    .join('\n')
}

function mean (s: ScoredSkill['heldOut']): string {
  return s === null ? '-' : s.mean.toFixed(3)
}

/** One row a skill: train and held-out means, failed cases and the first words. */
export function formatRun (result: RunResult): string {
  const rows = [['skill', 'train', 'held-out', 'failed', 'text']]
  for (const s of [result.current, ...result.candidates]) {
    const mark = s === result.best ? '*' : ' '
    const failed = s.train.failed + (s.heldOut?.failed ?? 0)
    const text = s.text.replace(/\s+/g, ' ').slice(0, 48)
    rows.push([`${mark}${s.label}`, mean(s.train), mean(s.heldOut), String(failed), text])
  }
  const split = `${result.split.train} training cases, ${result.split.heldOut} held out`
  return `${table(rows)}\n\n${split}; * best on training\n${result.detail}`
}

/** The stored skills, oldest first. */
export function formatSkills (skills: Skill[]): string {
  const rows = [['version', 'created', 'source', 'score', 'parent']]
  for (const s of skills) {
    rows.push([s.version, s.createdAt, s.source,
      s.score === undefined ? '-' : s.score.toFixed(3), s.parent ?? '-'])
  }
  return table(rows)
}
