/**
 * The labels the eval scores against: one JSON object a line, naming a
 * frame file and what a person saw in it. Every bad line is reported with
 * its number, so a hand-edited file can be fixed in one pass.
 */
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { HubError } from '@gemmaedge/shared'

export const EvalErrorCodes = {
  /** A labels file is missing, or a line of it does not validate. */
  LABELS_INVALID: 'LABELS_INVALID',
  /** A labelled frame is not in the frames folder. */
  FRAMES_MISSING: 'FRAMES_MISSING'
} as const

export const FrameLabelSchema = z.object({
  /** The frame's file name inside the frames folder. */
  file: z.string().min(1).refine((f) => !/[\\/]/.test(f), 'must be a bare file name'),
  /** What a person saw, in a sentence. */
  scene: z.string().default(''),
  /** Objects in the frame, lower case; COCO names where there is one. */
  objects: z.array(z.string().min(1)),
  /** Whether the frame shows a hazard the edge must escalate. */
  safety: z.boolean(),
  hazards: z.array(z.string()).default([]),
  difficulty: z.string().optional(),
  redistributable: z.boolean().optional()
})

export type FrameLabel = z.infer<typeof FrameLabelSchema>

/** One problem per bad line: `labels.jsonl:3: objects: expected array`. */
function problemsOf (line: string, where: string): string[] {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch (err) {
    return [`${where}: not JSON (${(err as Error).message})`]
  }
  const result = FrameLabelSchema.safeParse(value)
  if (result.success) return []
  return result.error.issues.map((issue) =>
    `${where}: ${issue.path.join('.') || '(line)'}: ${issue.message}`)
}

/**
 * Parse the text of a labels file. Blank lines are skipped. Throws
 * LABELS_INVALID listing every bad line and every file labelled twice.
 */
export function parseLabels (text: string, name = 'labels.jsonl'): FrameLabel[] {
  const labels: FrameLabel[] = []
  const problems: string[] = []
  const seen = new Map<string, number>()

  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return
    const where = `${name}:${i + 1}`
    const found = problemsOf(line, where)
    if (found.length > 0) return problems.push(...found)

    const label = FrameLabelSchema.parse(JSON.parse(line))
    const first = seen.get(label.file)
    if (first !== undefined) {
      return problems.push(`${where}: ${label.file} is already labelled ` +
        `on line ${first}`)
    }
    seen.set(label.file, i + 1)
    labels.push(label)
  })

  if (problems.length > 0) {
    throw new HubError(EvalErrorCodes.LABELS_INVALID,
      `${problems.length} bad label line(s); fix them and run again:\n  ` +
      problems.join('\n  '))
  }
  if (labels.length === 0) {
    throw new HubError(EvalErrorCodes.LABELS_INVALID, `${name} has no labels; ` +
      'add one JSON object a line with file, objects and safety')
  }
  return labels
}

/** Read and parse a labels file; see parseLabels. */
export async function readLabels (file: string): Promise<FrameLabel[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new HubError(EvalErrorCodes.LABELS_INVALID,
      `labels file ${file} could not be read (${(err as Error).message}); ` +
      'pass --labels FILE', { cause: err })
  }
  return parseLabels(text, file)
}
