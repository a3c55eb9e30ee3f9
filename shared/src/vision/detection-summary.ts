/**
 * What the detector saw, as an answer: a short sentence, the class names,
 * the hazards among them and a confidence fit to decide on escalation.
 */

/** One thing found in a frame: a COCO class name and its score. */
export interface Detection {
  label: string
  score: number
}

export interface DetectionSummary {
  answer: string
  confidence: number
  safety: boolean
  hazards: string[]
  objects: string[]
}

/**
 * COCO classes that count as hazards: the blades. COCO has no fire, smoke,
 * flame or fallen-person class, so the detector cannot flag those; a baseball
 * bat or an oven is ordinary in the rooms the hub watches and is left out.
 */
export const HAZARD_CLASSES: ReadonlySet<string> = new Set(['knife', 'scissors'])

/**
 * Confidence when nothing was found. Kept low on purpose: an empty result is
 * where the detector is most often wrong (fire, smoke and dark frames show
 * up as nothing), so it should send the frame to the teacher.
 */
export const EMPTY_CONFIDENCE = 0.1

/** How many scores make the confidence: one strong find is not enough. */
const TOP_SCORES = 3
/** Kinds of thing named in the sentence before the rest are summed up. */
const MAX_NAMED = 6

const PLURALS: Record<string, string> = {
  person: 'people', knife: 'knives', mouse: 'mice', sheep: 'sheep', skis: 'skis'
}
const SHOWN: Record<string, string> = { tv: 'TV' }

/** Summarise detections; `people` is the head count from every model. */
export function summarise (detections: Detection[], people: number): DetectionSummary {
  const counts = countByLabel(detections, people)

  const objects = [...counts.keys()]
  const hazards = objects.filter((o) => HAZARD_CLASSES.has(o))
  return {
    answer: sentence(counts),
    confidence: confidenceOf(detections),
    safety: hazards.length > 0,
    hazards,
    objects
  }
}

/** Mean of the top scores: high only when several finds are clear. */
export function confidenceOf (detections: Detection[]): number {
  if (detections.length === 0) return EMPTY_CONFIDENCE
  const top = detections.map((d) => d.score).sort((a, b) => b - a).slice(0, TOP_SCORES)
  const mean = top.reduce((sum, s) => sum + s, 0) / top.length
  return Math.round(mean * 100) / 100
}

/** Counts per label: people first, then the others by their best score. */
function countByLabel (detections: Detection[], people: number): Map<string, number> {
  const counts = new Map<string, number>()
  if (people > 0) counts.set('person', people)

  const sorted = [...detections].sort((a, b) => b.score - a.score)
  for (const d of sorted) {
    if (d.label !== 'person') counts.set(d.label, (counts.get(d.label) ?? 0) + 1)
  }
  return counts
}

/** "2 people, a cup and a knife.", in the order of `counts`. */
export function sentence (counts: Map<string, number>): string {
  if (counts.size === 0) return 'No people or known objects detected.'

  const entries = [...counts.entries()]
  const parts = entries.slice(0, MAX_NAMED).map(([label, n]) => phrase(label, n))
  if (entries.length > MAX_NAMED) parts.push('other objects')

  const last = parts.pop() ?? ''
  const text = parts.length === 0 ? last : `${parts.join(', ')} and ${last}`
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}

function phrase (label: string, n: number): string {
  const shown = SHOWN[label] ?? label
  if (n > 1) return `${n} ${PLURALS[label] ?? plural(shown)}`
  if (label === 'person') return 'a person'
  return `${/^[aeiou]/i.test(shown) ? 'an' : 'a'} ${shown}`
}

function plural (word: string): string {
  if (/(s|sh|ch|x)$/.test(word)) return `${word}es`
  return `${word}s`
}
