import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { ErrorCodes } from '@gemmaedge/shared'
import { OllamaModel } from '@gemmaedge/shared/vision'
import type { EvalCase } from '../src/case-loader.ts'
import { scoreAnswer, scoreSkill } from '../src/skill-scorer.ts'
import { captureLog } from '../../../test/support.ts'
import { unusedPort } from '../../../shared/test/fake-ollama.ts'
import { CASES, startFakeModels, STUDENT, type FakeModels } from './fake-models.ts'

const answer = (text: string, safety = false, hazards: string[] = []) =>
  ({ answer: text, objects: [], hazards, safety })

describe('scoring one answer', () => {
  it('counts keywords as whole words, plurals folded', () => {
    const c = { keywords: ['person', 'flame', 'knife'], safety: null }
    expect(scoreAnswer(c, answer('Two people; flames rise near knives.')))
      .toEqual({ score: 1, keywordShare: 1, safetyRight: null })
    expect(scoreAnswer(c, answer('A personal flamethrower and a penknife.')))
      .toEqual({ score: 0, keywordShare: 0, safetyRight: null })
  })

  it('matches a keyword of several words only side by side', () => {
    const c = { keywords: ['mock room', 'street light'], safety: null }
    expect(scoreAnswer(c, answer('A mock room under a street light.')).keywordShare).toBe(1)
    expect(scoreAnswer(c, answer('A room that looks mock, a light street.')).keywordShare).toBe(0)
  })

  it('reads the objects and hazards the model listed too', () => {
    const c = { keywords: ['cup', 'fire'], safety: true }
    expect(scoreAnswer(c, {
      answer: 'A table.', objects: ['cup'], hazards: ['fire'], safety: true
    }))
      .toEqual({ score: 1, keywordShare: 1, safetyRight: true })
  })

  it('averages the keyword share with a point for the safety flag', () => {
    const c = { keywords: ['pan', 'fire'], safety: true }
    expect(scoreAnswer(c, answer('A pan.')))
      .toEqual({ score: 0.25, keywordShare: 0.5, safetyRight: false })
    expect(scoreAnswer(c, answer('A pan.', true)))
      .toEqual({ score: 0.75, keywordShare: 0.5, safetyRight: true })
  })
})

describe('scoring a skill with the student', () => {
  const { log, lines } = captureLog('scoring-test')
  let models: FakeModels
  let student: OllamaModel
  const cases: EvalCase[] = CASES.map((c) => ({
    id: c.id, user: c.user, keywords: c.ideal_keywords, safety: c.safety, origin: 'file'
  }))

  beforeAll(async () => {
    models = await startFakeModels()
    student = new OllamaModel({ model: STUDENT, host: models.ollama.url })
  })
  afterAll(async () => { await models?.ollama.close() })

  it('scores a skill that asks about hazards above one that does not', async () => {
    const plain = await scoreSkill({
      student, skill: 'Describe the frame.', cases, timeoutMs: 5000, log
    })
    const hazards = await scoreSkill({
      student, skill: 'Describe the frame and name every hazard.', cases, timeoutMs: 5000, log
    })
    expect(hazards.mean).toBe(1)
    expect(plain.mean).toBeLessThan(0.75)
    expect(plain.cases.find((c) => c.id === 'lighter')).toEqual({
      id: 'lighter', score: 0.167, keywordShare: 0.333, safetyRight: false,
      answer: 'A person is holding a lighter with a visible something.', failed: false
    })
    expect(plain.failed).toBe(0)
  })

  it('sends a text case as words, with no image', async () => {
    models.ollama.chats.length = 0
    await scoreSkill({ student, skill: 'S.', cases: cases.slice(0, 1), timeoutMs: 5000, log })
    const user = models.studentCalls()[0]?.messages[1]
    expect(user).toEqual({
      role: 'user', content: expect.stringContaining('Frame: A person is holding a lighter')
    })
    expect(user).not.toHaveProperty('images')
  })

  it('scores a case the student fails on 0 and goes on', async () => {
    models.ollama.reply = () => ''
    const result = await scoreSkill({
      student, skill: 'S.', cases: cases.slice(0, 2), timeoutMs: 5000, log
    })
    expect(result).toMatchObject({ mean: 0, failed: 2 })
    expect(lines.filter((l) => l.msg === 'case not answered, scored 0')).toHaveLength(2)
  })

  it('stops at once when the student cannot be reached', async () => {
    const gone = new OllamaModel({ model: STUDENT, host: `http://127.0.0.1:${await unusedPort()}` })
    await expect(scoreSkill({ student: gone, skill: 'S.', cases, timeoutMs: 5000, log }))
      .rejects.toMatchObject({ code: ErrorCodes.MODEL_UNREACHABLE })
  })
})
