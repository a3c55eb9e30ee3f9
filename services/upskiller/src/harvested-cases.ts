/**
 * Harvested cases: frames the teacher reviewed, with the teacher's answer as
 * the reference. Read from the teacher-reviewer's review store (an SQLite
 * file, opened read-only); its layout is described in that service's
 * review-store.ts.
 */
import { existsSync } from 'node:fs'
import Database from 'better-sqlite3'
import type { Logger } from 'pino'
import { ReviewSchema } from '@gemmaedge/shared'
import type { EvalCase } from './case-loader.ts'

interface Row {
  frame_id: string
  review: string
  image: Buffer
}

/**
 * The newest `limit` reviewed frames as cases. A missing or unreadable store
 * gives none: harvesting adds to the file cases, it is never required.
 */
export function loadHarvestedCases (file: string, limit: number, log: Logger): EvalCase[] {
  if (limit === 0) return []
  if (!existsSync(file)) {
    log.info({ file }, 'no review store yet, no harvested cases')
    return []
  }
  let rows: Row[]
  try {
    rows = readRows(file, limit)
  } catch (err) {
    log.warn({ file, err }, 'review store not readable, no harvested cases')
    return []
  }
  return rows.flatMap((row) => {
    const harvested = toCase(row)
    if (harvested === null) log.debug({ frameId: row.frame_id }, 'review skipped as a case')
    return harvested === null ? [] : [harvested]
  })
}

function readRows (file: string, limit: number): Row[] {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return db.prepare(`SELECT frame_id, review, image FROM reviews
      ORDER BY id DESC LIMIT ?`).all(limit) as Row[]
  } finally {
    db.close()
  }
}

/** A case from a review; null when the teacher named nothing to score on. */
function toCase (row: Row): EvalCase | null {
  let json: unknown
  try {
    json = JSON.parse(row.review)
  } catch {
    return null
  }
  const parsed = ReviewSchema.safeParse(json)
  if (!parsed.success) return null

  const { teacher } = parsed.data
  const keywords = [...new Set([...teacher.objects, ...teacher.hazards]
    .map((k) => k.trim().toLowerCase()).filter((k) => k !== ''))]
  if (keywords.length === 0) return null
  return {
    id: `review:${row.frame_id}`,
    image: row.image,
    keywords,
    safety: teacher.safety,
    reference: teacher.answer,
    origin: 'harvested'
  }
}
