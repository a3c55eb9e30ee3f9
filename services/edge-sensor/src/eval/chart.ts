/**
 * The sweep as a picture: escalation rate and safety recall against the
 * threshold, so the threshold can be chosen by eye. A plain SVG string (no
 * chart library to keep offline), rendered to PNG by sharp.
 */
import sharp from 'sharp'
import type { SweepPoint } from './sweep.ts'

const WIDTH = 720
const HEIGHT = 440
const PLOT = { left: 72, right: 24, top: 76, bottom: 64 }
const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif'

interface Series {
  name: string
  colour: string
  dash: string
  value: (p: SweepPoint) => number | null
}

const SERIES: Series[] = [
  {
    name: 'escalation rate', colour: '#1f6fd1', dash: '', value: (p) => p.escalationRate
  },
  { name: 'safety recall', colour: '#d1361f', dash: '', value: (p) => p.safetyRecall },
  {
    name: 'teacher disagreed, of frames kept',
    colour: '#6b6b6b',
    dash: '6 4',
    value: (p) => p.missedRate
  }
]

function x (threshold: number): number {
  return PLOT.left + threshold * (WIDTH - PLOT.left - PLOT.right)
}

function y (share: number): number {
  return HEIGHT - PLOT.bottom - share * (HEIGHT - PLOT.top - PLOT.bottom)
}

function text (tx: number, ty: number, body: string, attrs = ''): string {
  return `<text x="${tx}" y="${ty}" ${attrs}>${body}</text>`
}

function axes (): string[] {
  const out: string[] = []
  for (let i = 0; i <= 10; i++) {
    const share = i / 10
    out.push(`<line x1="${x(0)}" x2="${x(1)}" y1="${y(share)}" y2="${y(share)}" ` +
      `stroke="${i === 0 ? '#333' : '#e3e3e3'}"/>`)
    if (i % 2 === 0) {
      out.push(text(x(0) - 8, y(share) + 4, `${i * 10}%`, 'text-anchor="end"'))
    }
    out.push(text(x(share), y(0) + 18, share.toFixed(1), 'text-anchor="middle"'))
  }
  out.push(`<line x1="${x(0)}" x2="${x(0)}" y1="${y(0)}" y2="${y(1)}" stroke="#333"/>`)
  out.push(text((x(0) + x(1)) / 2, HEIGHT - 18,
    'escalate threshold (answers less confident than this escalate)',
    'text-anchor="middle"'))
  out.push(text(18, (y(0) + y(1)) / 2, 'share of frames',
    `text-anchor="middle" transform="rotate(-90 18 ${(y(0) + y(1)) / 2})"`))
  return out
}

/** A line through the points that have a value; a null breaks it. */
function line (points: SweepPoint[], s: Series): string[] {
  let d = ''
  let pen = 'M'
  const dots: string[] = []
  for (const p of points) {
    const v = s.value(p)
    if (v === null) {
      pen = 'M'
      continue
    }
    d += `${pen}${x(p.threshold).toFixed(1)},${y(v).toFixed(1)} `
    pen = 'L'
    dots.push(`<circle cx="${x(p.threshold)}" cy="${y(v)}" r="3.5" fill="${s.colour}"/>`)
  }
  if (d === '') return []
  const dash = s.dash === '' ? '' : ` stroke-dasharray="${s.dash}"`
  const path = `<path d="${d.trim()}" fill="none" stroke="${s.colour}" ` +
    `stroke-width="2.5"${dash}/>`
  return [path, ...dots]
}

function legend (shown: Series[]): string[] {
  let lx = PLOT.left
  return shown.flatMap((s) => {
    const dash = s.dash === '' ? '' : ` stroke-dasharray="${s.dash}"`
    const item = [
      `<line x1="${lx}" x2="${lx + 28}" y1="52" y2="52" stroke="${s.colour}" ` +
        `stroke-width="3"${dash}/>`,
      text(lx + 34, 56, s.name)
    ]
    // About 7 px a character at 12 px: enough to keep the names apart.
    lx += 34 + s.name.length * 7 + 28
    return item
  })
}

function marker (threshold: number): string[] {
  const mx = x(threshold)
  return [
    `<line x1="${mx}" x2="${mx}" y1="${y(0)}" y2="${y(1)}" stroke="#222" ` +
      'stroke-dasharray="2 3"/>',
    text(mx, y(1) - 6, `current ${threshold}`, 'font-size="11" text-anchor="middle"')
  ]
}

/** The sweep chart as SVG; `current` marks the threshold the run used. */
export function sweepSvg (points: SweepPoint[], current: number): string {
  const shown = SERIES.filter((s) => points.some((p) => s.value(p) !== null))
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" ` +
      `viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="${FONT}" font-size="12" ` +
      'fill="#222">',
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    text(PLOT.left, 28, 'Threshold sweep: what escalates and what it catches',
      'font-size="16" font-weight="bold"'),
    ...legend(shown),
    ...axes(),
    ...marker(current),
    ...shown.flatMap((s) => line(points, s)),
    '</svg>',
    ''
  ].join('\n')
}

/** The SVG as PNG at twice its size, or null where sharp cannot render SVG. */
export async function svgToPng (svg: string): Promise<Buffer | null> {
  try {
    return await sharp(Buffer.from(svg), { density: 144 }).png().toBuffer()
  } catch {
    return null
  }
}
