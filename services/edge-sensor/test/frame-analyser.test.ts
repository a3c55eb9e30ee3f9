import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { createVisionModel, type VisionModel } from '@gemmaedge/shared/vision'
import { createPolicy, POLICY_DEFAULTS } from '../src/escalation-policy.ts'
import { FrameAnalyser } from '../src/frame-analyser.ts'
import { sceneSignature, sceneChange } from '../src/scene-signature.ts'
import { sharedFrames } from '../../../test/support.ts'

const frame = (name: string): Promise<Buffer> => readFile(join(sharedFrames, name))

describe('scene change', () => {
  it('is near 0 for the same scene re-encoded and large for another scene', async () => {
    const street = await frame('street-bus-pedestrians-01.jpg')
    const again = await sharp(street).jpeg({ quality: 70 }).toBuffer()
    const other = await frame('office-fire-01.jpg')
    const [a, b, c] = await Promise.all([street, again, other].map(sceneSignature))
    expect(sceneChange(a!, b!)).toBeLessThan(0.02)
    expect(sceneChange(a!, c!)).toBeGreaterThan(0.1)
    expect(sceneChange(a!, a!)).toBe(0)
  })
})

describe('frame analyser', () => {
  let model: VisionModel

  beforeAll(async () => {
    model = await createVisionModel({ backend: 'detector', role: 'student' })
  })
  afterAll(async () => { await model?.close() })

  function analyser (skipBelowChange: number): FrameAnalyser {
    return new FrameAnalyser({
      model,
      crossCheck: null,
      policy: createPolicy({
        ...POLICY_DEFAULTS, escalateThreshold: 0.6, safetyKeywords: [], auditRate: 0,
        sceneChangeThreshold: 0.1
      }),
      thumbnailWidth: 96,
      modelTimeoutMs: 30_000,
      skipBelowChange
    })
  }

  it('skips the model on a repeated frame and reuses the answer', async () => {
    const a = analyser(0.02)
    const street = await frame('street-bus-pedestrians-01.jpg')
    const first = await a.analyse(street, 0, 'skill')
    const second = await a.analyse(street, 1, 'skill')

    expect(first).toMatchObject({ reused: false, change: null })
    expect(second).toMatchObject({
      reused: true,
      change: 0,
      reasons: [],
      answer: { ...first.answer, latencyMs: 0 }
    })
    expect(a.stats).toEqual({ seen: 2, analysed: 1, skipped: 1 })
  })

  it('analyses a changed frame and escalates it as a scene change', async () => {
    const a = analyser(0.02)
    await a.analyse(await frame('street-bus-pedestrians-01.jpg'), 0, 'skill')
    const changed = await a.analyse(await frame('coffee-cup-saucer-01.png'), 1, 'skill')
    expect(changed.reused).toBe(false)
    expect(changed.reasons.map((r) => r.kind)).toContain('scene-change')
    expect(a.stats).toEqual({ seen: 2, analysed: 2, skipped: 0 })
  })

  it('analyses every frame with skipping off', async () => {
    const a = analyser(0)
    const street = await frame('street-bus-pedestrians-01.jpg')
    await a.analyse(street, 0, 'skill')
    await a.analyse(street, 1, 'skill')
    expect(a.stats).toEqual({ seen: 2, analysed: 2, skipped: 0 })
  })
})
