/**
 * Confidence as models really give it: 0.85, 85, "85%", "0.85", "high".
 * Everything is brought to 0..1; what cannot be read is null, never 1.
 */

const WORDS: Record<string, number> = {
  'very high': 0.95,
  high: 0.85,
  medium: 0.6,
  moderate: 0.6,
  low: 0.3,
  'very low': 0.1
}

/** Normalise a confidence to 0..1, or null when it cannot be read. */
export function normaliseConfidence (value: unknown): number | null {
  if (typeof value === 'number') return fromNumber(value, false)
  if (typeof value !== 'string') return null

  const text = value.trim().toLowerCase()
  if (text in WORDS) return WORDS[text] ?? null

  const match = /^(-?\d+(?:\.\d+)?)\s*(%?)$/.exec(text)
  if (match === null) return null
  return fromNumber(Number(match[1]), match[2] === '%')
}

function fromNumber (n: number, percent: boolean): number | null {
  if (!Number.isFinite(n) || n < 0) return null
  // Anything above 1 is read as a percentage: models write 85 for 85%.
  const unit = percent || n > 1 ? n / 100 : n
  return unit <= 1 ? unit : null
}
