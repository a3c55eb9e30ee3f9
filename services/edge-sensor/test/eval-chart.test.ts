import { describe, it, expect, vi, afterEach } from 'vitest'
import sharp from 'sharp'
import { sweepSvg, svgToPng } from '../src/eval/chart.ts'
import { SWEEP_THRESHOLDS, type SweepPoint } from '../src/eval/sweep.ts'

const TEACHER = 'teacher disagreed, of frames kept'

/** A sweep where the teacher has nothing to say at 0.4 and 0.5. */
function points (teacher = true): SweepPoint[] {
  return SWEEP_THRESHOLDS.map((threshold, i) => ({
    threshold,
    escalated: i,
    escalationRate: i / 8,
    safetyRecall: Math.min(1, 0.4 + i / 10),
    missedRate: !teacher || i === 3 || i === 4 ? null : 0.3 - i / 40
  }))
}

/** The `d` of the line path vega labels with the series name. */
function linePath (svg: string, series: string): string | undefined {
  const paths = svg.match(/<path [^>]*aria-roledescription="line mark"[^>]*>/g) ?? []
  const path = paths.find((p) => p.includes(`series: ${series}"`))
  return path?.match(/ d="([^"]*)"/)?.[1]
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('sweep chart', () => {
  it('draws the three series, the title and the current threshold', async () => {
    const svg = await sweepSvg(points(), 0.6)

    expect(svg).toMatch(/^<svg [^>]*width="720" height="500"/)
    expect(svg).toContain('Threshold sweep: what escalates and what it catches')
    expect(svg).toContain('current 0.6')
    for (const name of ['escalation rate', 'safety recall', TEACHER]) {
      expect(svg).toContain(`>${name}</text>`)
      expect(linePath(svg, name)).toBeDefined()
    }
    expect(svg).toContain('>100%</text>')
  })

  it('breaks the teacher line where it has no value instead of joining it', async () => {
    const svg = await sweepSvg(points(), 0.6)

    expect(linePath(svg, TEACHER)?.match(/M/g)).toHaveLength(2)
    expect(linePath(svg, 'escalation rate')?.match(/M/g)).toHaveLength(1)
  })

  it('leaves out a series that has no value at any threshold', async () => {
    const svg = await sweepSvg(points(false), 0.6)

    expect(svg).toContain('>safety recall</text>')
    expect(svg).not.toContain(TEACHER)
  })

  it('renders offline, asking for nothing over the network', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch')

    await sweepSvg(points(), 0.3)

    expect(fetch).not.toHaveBeenCalled()
  })

  it('renders a PNG at twice the size of the SVG', async () => {
    const png = await svgToPng(await sweepSvg(points(), 0.6))
    expect(png).not.toBeNull()

    const meta = await sharp(png ?? Buffer.alloc(0)).metadata()
    expect({ format: meta.format, width: meta.width, height: meta.height })
      .toEqual({ format: 'png', width: 1440, height: 1000 })
  })
})
