/**
 * The sweep as a picture: escalation rate and safety recall against the
 * threshold, so the threshold can be chosen by eye. A Vega-Lite spec drawn
 * to SVG by vega's headless renderer (no browser, no canvas), then to PNG by
 * sharp.
 */
import sharp from 'sharp'
import { loader, parse, View, type Loader } from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'
import type { SweepPoint } from './sweep.ts'

/** The whole SVG, padding and legend included; the PNG is twice this. */
const WIDTH = 720
const HEIGHT = 500
const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif'
const TITLE = 'Threshold sweep: what escalates and what it catches'

interface Series {
  name: string
  colour: string
  dash: number[]
  value: (p: SweepPoint) => number | null
}

const SERIES: Series[] = [
  {
    name: 'escalation rate',
    colour: '#1f6fd1',
    dash: [1, 0],
    value: (p) => p.escalationRate
  },
  {
    name: 'safety recall',
    colour: '#d1361f',
    dash: [1, 0],
    value: (p) => p.safetyRecall
  },
  {
    name: 'teacher disagreed, of frames kept',
    colour: '#6b6b6b',
    dash: [7, 4],
    value: (p) => p.missedRate
  }
]

interface Row { threshold: number, series: string, share: number | null }

/** One layer of a layered spec; vega-lite's main entry exports only the top. */
type Layer = Extract<TopLevelSpec, { layer: unknown }>['layer'][number]

/** One row per point and series; a null stays so the line breaks there. */
function rowsOf (points: SweepPoint[], shown: Series[]): Row[] {
  return shown.flatMap((s) =>
    points.map((p) => ({ threshold: p.threshold, series: s.name, share: s.value(p) })))
}

function linesLayer (rows: Row[], shown: Series[]): Layer {
  const domain = shown.map((s) => s.name)
  // Color and dash share field and title, so Vega-Lite draws one legend. One
  // column: without a canvas vega guesses text widths too wide, and a row of
  // three would run off the right edge.
  const legend = { title: null, orient: 'bottom', direction: 'vertical' } as const
  return {
    data: { values: rows },
    // Break the path at a null instead of joining its neighbours across it.
    mark: {
      type: 'line', strokeWidth: 2.5, invalid: 'break-paths-show-domains',
      point: { size: 50, filled: true }
    },
    encoding: {
      x: {
        field: 'threshold', type: 'quantitative', scale: { domain: [0, 1] },
        axis: {
          title: 'escalate threshold (answers less confident than this escalate)',
          values: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1], format: '.1f'
        }
      },
      y: {
        field: 'share', type: 'quantitative', scale: { domain: [0, 1] },
        axis: { title: 'share of frames', format: '.0%', tickCount: 10 }
      },
      color: {
        field: 'series', type: 'nominal', legend,
        scale: { domain, range: shown.map((s) => s.colour) }
      },
      strokeDash: {
        field: 'series', type: 'nominal', legend,
        scale: { domain, range: shown.map((s) => s.dash) }
      }
    }
  }
}

/** The dotted rule at the threshold the run used, labelled above the plot. */
function markerLayer (current: number): Layer {
  return {
    data: { values: [{ threshold: current, label: `current ${current}` }] },
    encoding: { x: { field: 'threshold', type: 'quantitative' } },
    layer: [
      { mark: { type: 'rule', color: '#222', strokeDash: [2, 3], strokeWidth: 1.5 } },
      {
        mark: {
          type: 'text', y: 0, dy: -8, baseline: 'bottom', fontSize: 12,
          fontWeight: 'bold', color: '#222'
        },
        encoding: { text: { field: 'label' } }
      }
    ]
  }
}

function specOf (points: SweepPoint[], current: number): TopLevelSpec {
  const shown = SERIES.filter((s) => points.some((p) => s.value(p) !== null))
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH,
    height: HEIGHT,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 16,
    background: '#ffffff',
    title: { text: TITLE, anchor: 'start', fontSize: 17, offset: 22 },
    config: {
      font: FONT,
      axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal' },
      legend: {
        labelFontSize: 13, labelLimit: 360, symbolType: 'stroke', symbolStrokeWidth: 3,
        symbolSize: 500
      },
      view: { stroke: null }
    },
    layer: [linesLayer(rowsOf(points, shown), shown), markerLayer(current)]
  }
}

/** Fails every load: the spec carries its data, so nothing should be fetched. */
function offlineLoader (): Loader {
  const refuse = async (uri: string): Promise<never> => {
    throw new Error(`sweep chart tried to load ${uri}; it must stay offline`)
  }
  return { ...loader(), load: refuse, sanitize: refuse, http: refuse, file: refuse }
}

/** The sweep chart as SVG; `current` marks the threshold the run used. */
export async function sweepSvg (points: SweepPoint[], current: number): Promise<string> {
  const vega = compile(specOf(points, current)).spec
  const view = new View(parse(vega), { renderer: 'none', loader: offlineLoader() })
  try {
    return await view.toSVG() + '\n'
  } finally {
    view.finalize()
  }
}

/** The SVG as PNG at twice its size, or null where sharp cannot render SVG. */
export async function svgToPng (svg: string): Promise<Buffer | null> {
  try {
    return await sharp(Buffer.from(svg), { density: 144 }).png().toBuffer()
  } catch {
    return null
  }
}
