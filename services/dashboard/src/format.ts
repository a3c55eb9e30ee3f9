/** Text for the cells: how numbers and times read on the dashboard. */

/** 0.82 reads 82%; null (the model gave none) reads as a dash. */
export function formatConfidence (confidence?: number | null): string {
  if (confidence === null || confidence === undefined) return '—'
  return `${Math.round(confidence * 100)}%`
}

/** 840 reads 840 ms, 12400 reads 12.4 s. */
export function formatMs (ms: number | undefined): string {
  if (ms === undefined) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
}

/** Local wall-clock time of an ISO 8601 date, to the second. */
export function formatTime (iso: string | undefined): string {
  if (iso === undefined) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return date.toLocaleTimeString([], { hour12: false })
}

/** A skill's mean score, 0..1, to two places; null reads as a dash. */
export function formatScore (score: number | null | undefined): string {
  if (score === null || score === undefined) return '—'
  return score.toFixed(2)
}

/** "student wrong on 12% of 25 audited frames", or why there is no rate. */
export function formatStudentError (audited: number,
  rate: number | null): string {
  if (rate === null || audited === 0) return 'student not audited yet'
  const frames = audited === 1 ? 'frame' : 'frames'
  return `student wrong on ${Math.round(rate * 100)}% of ${audited} ` +
    `audited ${frames}`
}
