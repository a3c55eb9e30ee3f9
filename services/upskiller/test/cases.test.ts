import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ErrorCodes, type Review } from '@gemmaedge/shared'
import { loadCaseFiles, splitCases, type EvalCase } from '../src/case-loader.ts'
import { loadHarvestedCases } from '../src/harvested-cases.ts'
import { ReviewStore } from '../../teacher-reviewer/src/review-store.ts'
import { captureLog, repoRoot } from '../../../test/support.ts'

const STARTER = join(repoRoot, 'services', 'upskiller', 'cases', 'starter.jsonl')
const LABELS = join(repoRoot, 'samples', 'frames', 'labels.jsonl')

describe('eval cases from files', () => {
  let dir: string
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'cases-')) })
  afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

  it('loads the starter set: text cases and frames from samples/frames', async () => {
    const cases = await loadCaseFiles([STARTER])
    const text = cases.filter((c) => c.user !== undefined)
    const images = cases.filter((c) => c.image !== undefined)
    expect(text.length).toBeGreaterThanOrEqual(10)
    expect(images).toHaveLength(7)
    expect(text[0]).toEqual({
      id: 'text-lighter-flame', user: 'A person is holding a lighter with a visible flame.',
      keywords: ['person', 'flame', 'safety'], safety: true, origin: 'file'
    })
    const cat = images.find((c) => c.id === 'frame-cat')
    expect(cat?.image).toEqual(await readFile(join(repoRoot, 'samples/frames/cat-indoor-01.png')))
  })

  it('reads a frames folder\'s labels.jsonl as image cases', async () => {
    const cases = await loadCaseFiles([LABELS])
    expect(cases).toHaveLength(7)
    expect(cases.find((c) => c.id === 'labels:2')).toMatchObject({
      keywords: ['cat'], safety: false, origin: 'file',
      reference: expect.stringContaining('tabby cat')
    })
  })

  it.each([
    ['not JSON', '{"user": ', /cases-bad.jsonl:2 not JSON/],
    ['no kind', '{"ideal_keywords": ["x"]}', /exactly one of "user"/],
    ['no keywords', '{"user": "A cat."}', /names no keywords/],
    ['a missing frame', '{"image": "nope.jpg", "ideal_keywords": ["x"]}',
      /image .*nope.jpg cannot be read/]
  ])('refuses a file with %s, naming the line', async (_what, line, message) => {
    const file = join(dir, 'cases-bad.jsonl')
    await writeFile(file, `{"user": "A cat.", "ideal_keywords": ["cat"]}\n${line}\n`)
    await expect(loadCaseFiles([file])).rejects.toMatchObject({
      code: ErrorCodes.CASES_INVALID, message: expect.stringMatching(message)
    })
  })

  it('splits reproducibly: same seed same split, parts disjoint and whole', async () => {
    const cases = await loadCaseFiles([STARTER])
    const a = splitCases(cases, 0.3, 7)
    const b = splitCases([...cases].reverse(), 0.3, 7)
    const ids = (list: EvalCase[]) => list.map((c) => c.id)
    expect(ids(b.train)).toEqual(ids(a.train))
    expect(ids(b.heldOut)).toEqual(ids(a.heldOut))
    expect(a.heldOut).toHaveLength(Math.round(cases.length * 0.3))
    expect(new Set([...ids(a.train), ...ids(a.heldOut)]).size).toBe(cases.length)
    expect(ids(splitCases(cases, 0.3, 8).heldOut)).not.toEqual(ids(a.heldOut))
  })
})

describe('harvested cases', () => {
  const { log, lines } = captureLog('harvest-test')
  let dir: string
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'harvest-')) })
  afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

  function review (frameId: string, objects: string[], hazards: string[]): Review {
    const edge = {
      model: 'gemma4:e2b', answer: 'A stove.', confidence: 0.4, safety: false,
      hazards: [], objects: ['stove'], latencyMs: 5, skillVersion: 'builtin'
    }
    return {
      v: 1, frameId, device: 'cam-1', reason: { kind: 'safety', detail: 'fire' }, reasons: [], edge,
      teacher: {
        model: 'gemma4:26b', answer: 'A pan burns on a stove.', confidence: 0.9,
        safety: hazards.length > 0, hazards, objects, latencyMs: 9
      },
      verdict: 'disagree', reviewedAt: new Date().toISOString(), totalLatencyMs: 20
    }
  }

  it('turns reviewed frames into image cases with the teacher as reference', () => {
    const file = join(dir, 'reviews.db')
    const store = new ReviewStore(file, 10)
    const image = { mime: 'image/jpeg' as const, width: 2, height: 2, data: 'AQID' }
    store.save(review('f-1', ['pan', 'Stove'], ['fire']), image)
    store.save(review('f-2', [], []), image)
    store.save(review('f-3', ['cat'], []), image)
    store.close()

    expect(loadHarvestedCases(file, 10, log)).toEqual([
      { id: 'review:f-3', image: Buffer.from([1, 2, 3]), keywords: ['cat'], safety: false,
        reference: 'A pan burns on a stove.', origin: 'harvested' },
      { id: 'review:f-1', image: Buffer.from([1, 2, 3]), keywords: ['pan', 'stove', 'fire'],
        safety: true, reference: 'A pan burns on a stove.', origin: 'harvested' }
    ])
    expect(loadHarvestedCases(file, 1, log).map((c) => c.id)).toEqual(['review:f-3'])
  })

  it('gives none, and says so, when there is no review store yet', () => {
    expect(loadHarvestedCases(join(dir, 'none.db'), 10, log)).toEqual([])
    expect(lines).toContainEqual(expect.objectContaining({
      msg: 'no review store yet, no harvested cases'
    }))
  })
})
