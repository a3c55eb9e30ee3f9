/**
 * How often the teacher agreed with the student, per band of the student's
 * confidence. Learnt from the reviews that come back and kept in a file, so
 * a restart does not forget it. A band says nothing until it has enough
 * reviews; until then the raw threshold applies.
 */
import { readFile, writeFile, rename, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Verdict } from '@gemmaedge/shared'

/** Confidence bands: [0, 0.1), [0.1, 0.2) ... [0.9, 1]. */
export const BANDS = 10

/** What a verdict counts as agreement. */
const AGREEMENT: Record<Verdict, number> = { agree: 1, partial: 0.5, disagree: 0 }

interface Band { reviews: number, agreed: number }

export interface BandView {
  band: string
  reviews: number
  /** Chance of agreement, smoothed, or null below the minimum reviews. */
  agreement: number | null
}

/** How often the teacher found the student wrong on audited frames. */
export interface ErrorEstimate {
  audited: number
  /** Share judged wrong (partial counts half), or null before any audit. */
  rate: number | null
}

export class Calibration {
  private bands: Band[] = Array.from({ length: BANDS }, () => ({ reviews: 0, agreed: 0 }))
  private audits: Band = { reviews: 0, agreed: 0 }

  constructor (readonly file: string | null, readonly minReviews: number) {}

  /** Load the saved bands; a missing or unreadable file starts empty. */
  async load (): Promise<this> {
    if (this.file === null) return this
    try {
      const saved = JSON.parse(await readFile(this.file, 'utf8')) as
        { bands?: Band[], audits?: Band }
      if (Array.isArray(saved.bands) && saved.bands.length === BANDS) {
        this.bands = saved.bands.map(cleanBand)
      }
      if (saved.audits !== undefined) this.audits = cleanBand(saved.audits)
    } catch {}
    return this
  }

  /** Learn from one review of an answer given at this confidence. */
  record (confidence: number, verdict: Verdict): void {
    const band = this.bands[bandOf(confidence)] as Band
    band.reviews++
    band.agreed += AGREEMENT[verdict]
  }

  /** Learn from the review of an audited frame. */
  recordAudit (verdict: Verdict): void {
    this.audits.reviews++
    this.audits.agreed += AGREEMENT[verdict]
  }

  errorEstimate (): ErrorEstimate {
    const { reviews, agreed } = this.audits
    return { audited: reviews, rate: reviews === 0 ? null : 1 - agreed / reviews }
  }

  /** Chance the teacher agrees at this confidence, or null when unknown. */
  agreement (confidence: number): number | null {
    const band = this.bands[bandOf(confidence)] as Band
    if (band.reviews < this.minReviews) return null
    // Laplace smoothing keeps a band of all-agree from reading as certain.
    return (band.agreed + 1) / (band.reviews + 2)
  }

  view (): BandView[] {
    return this.bands.map((b, i) => ({
      band: `${(i / BANDS).toFixed(1)}-${((i + 1) / BANDS).toFixed(1)}`,
      reviews: b.reviews,
      agreement: b.reviews < this.minReviews ? null : (b.agreed + 1) / (b.reviews + 2)
    }))
  }

  async save (): Promise<void> {
    if (this.file === null) return
    await mkdir(dirname(this.file), { recursive: true })
    const tmp = `${this.file}.${process.pid}.tmp`
    await writeFile(tmp, JSON.stringify({ v: 1, bands: this.bands, audits: this.audits }) + '\n')
    await rename(tmp, this.file)
  }
}

function cleanBand (b: Partial<Band>): Band {
  return { reviews: Number(b.reviews) || 0, agreed: Number(b.agreed) || 0 }
}

export function bandOf (confidence: number): number {
  return Math.min(BANDS - 1, Math.max(0, Math.floor(confidence * BANDS)))
}
