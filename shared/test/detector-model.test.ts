import { readFile } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import { beforeAll, afterAll, describe, it, expect } from 'vitest'
import { DetectorModel, type DetectorProfile } from '../src/vision/detector-model.ts'
import { EMPTY_CONFIDENCE } from '../src/vision/detection-summary.ts'
import { DEFAULT_STUDENT_PROMPT } from '../src/vision/prompts.ts'
import { ErrorCodes } from '../src/errors.ts'

const FRAMES = '/work/shared/frames'
const WITH_PEOPLE = [
  'astronaut-portrait-01.jpg',
  'street-bus-pedestrians-01.jpg',
  'living-room-people-couch-01.jpg'
]
const WITHOUT_PEOPLE = ['coffee-cup-saucer-01.png', 'cat-indoor-01.png']

const models: Partial<Record<DetectorProfile, DetectorModel>> = {}

beforeAll(async () => {
  // Both profiles in one process share one engine, as the tests of a hub do.
  for (const profile of ['fast', 'thorough'] as const) {
    const model = new DetectorModel({ profile })
    await model.ready()
    models[profile] = model
  }
}, 60_000)

afterAll(async () => {
  await Promise.all(Object.values(models).map(async (m) => m.close()))
})

async function describeFrame (profile: DetectorProfile, file: string) {
  const image = await readFile(path.join(FRAMES, file))
  const model = models[profile] as DetectorModel
  return model.describe({ image, systemPrompt: DEFAULT_STUDENT_PROMPT })
}

describe.each(['fast', 'thorough'] as const)('DetectorModel %s', (profile) => {
  it.each(WITH_PEOPLE)('names a person in %s', async (file) => {
    const answer = await describeFrame(profile, file)
    expect(answer).toMatchObject({
      model: `human-detector/${profile}`,
      answer: expect.stringMatching(/\b(a person|\d+ people)\b/i),
      objects: expect.arrayContaining(['person']),
      latencyMs: expect.any(Number)
    })
    expect(answer.confidence).toBeGreaterThan(EMPTY_CONFIDENCE)
  })

  it.each(WITHOUT_PEOPLE)('names no person in %s', async (file) => {
    const answer = await describeFrame(profile, file)
    expect(answer.objects).not.toContain('person')
    expect(answer.answer).not.toMatch(/person|people/i)
  })

  it('names the cup in the coffee frame', async () => {
    const answer = await describeFrame(profile, 'coffee-cup-saucer-01.png')
    expect(answer).toMatchObject({
      answer: 'A cup.', objects: ['cup'], safety: false, hazards: []
    })
  })

  // Known limitation: centernet labels this cat `dog` (score 0.47) in both
  // profiles, so the cat is not named.
  it.skip('names the cat in the cat frame', async () => {
    const answer = await describeFrame(profile, 'cat-indoor-01.png')
    expect(answer.objects).toContain('cat')
  })

  it('gives a low confidence when it finds nothing', async () => {
    const image = await sharp({
      create: { width: 320, height: 240, channels: 3, background: '#808080' }
    }).png().toBuffer()
    const model = models[profile] as DetectorModel
    const answer = await model.describe({ image, systemPrompt: '' })
    expect(answer).toEqual({
      model: `human-detector/${profile}`,
      answer: 'No people or known objects detected.',
      confidence: EMPTY_CONFIDENCE,
      safety: false,
      hazards: [],
      objects: [],
      latencyMs: expect.any(Number)
    })
  })

  it('refuses bytes that are not an image with IMAGE_INVALID', async () => {
    const model = models[profile] as DetectorModel
    const call = model.describe({ image: Uint8Array.from([1, 2, 3]), systemPrompt: '' })
    await expect(call).rejects.toMatchObject({ code: ErrorCodes.IMAGE_INVALID })
  })
})

describe('DetectorModel hazards', () => {
  it('flags the knives on the kitchen wall in the thorough profile', async () => {
    const answer = await describeFrame('thorough', 'kitchen-man-pans-01.jpg')
    expect(answer).toMatchObject({
      safety: true,
      hazards: ['knife'],
      objects: expect.arrayContaining(['person', 'knife'])
    })
  })

  it('runs both profiles at once without mixing their settings', async () => {
    const file = 'living-room-people-couch-01.jpg'
    const [fast, thorough] = await Promise.all([
      describeFrame('fast', file), describeFrame('thorough', file)
    ])
    const alone = await describeFrame('fast', file)
    expect(fast).toEqual({ ...alone, latencyMs: fast.latencyMs })
    expect(thorough.objects.length).toBeGreaterThanOrEqual(fast.objects.length)
  })
})
