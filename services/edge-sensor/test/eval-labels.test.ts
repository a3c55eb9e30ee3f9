import { describe, it, expect } from 'vitest'
import { readLabels, parseLabels } from '../src/eval/labels.ts'
import { repoRoot } from '../../../test/support.ts'

const good = '{"file": "a.jpg", "objects": ["cup"], "safety": false}'

function problemOf (text: string): { code: string, message: string } {
  try {
    parseLabels(text, 'labels.jsonl')
  } catch (err) {
    return err as { code: string, message: string }
  }
  throw new Error('expected the labels to be rejected')
}

describe('labels', () => {
  it('reads the sample labels with defaults for the optional fields', async () => {
    const labels = await readLabels(`${repoRoot}/samples/frames/labels.jsonl`)
    expect(labels.length).toBeGreaterThan(0)
    expect(parseLabels(good + '\n\n')).toEqual([
      { file: 'a.jpg', scene: '', objects: ['cup'], safety: false, hazards: [] }
    ])
  })

  it('names every bad line by number and field', () => {
    const text = [
      good,
      '{"file": "b.jpg", "objects": "cup", "safety": false}',
      'not json',
      '{"file": "c.jpg", "objects": []}'
    ].join('\n')
    const err = problemOf(text)
    expect(err.code).toBe('LABELS_INVALID')
    expect(err.message).toMatch(/labels\.jsonl:2: objects: /)
    expect(err.message).toMatch(/labels\.jsonl:3: not JSON/)
    expect(err.message).toMatch(/labels\.jsonl:4: safety: /)
    expect(err.message).not.toMatch(/labels\.jsonl:1:/)
  })

  it('rejects a frame labelled twice and a path instead of a file name', () => {
    const twice = problemOf([good, good].join('\n'))
    expect(twice.message)
      .toMatch(/labels\.jsonl:2: a\.jpg is already labelled on line 1/)
    const path = problemOf('{"file": "../a.jpg", "objects": [], "safety": false}')
    expect(path.message).toMatch(/labels\.jsonl:1: file: must be a bare file name/)
  })

  it('rejects an empty file and a missing one', async () => {
    expect(problemOf('\n\n').code).toBe('LABELS_INVALID')
    await expect(readLabels('/nonexistent/labels.jsonl'))
      .rejects.toMatchObject({ code: 'LABELS_INVALID' })
  })
})
