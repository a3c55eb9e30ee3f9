import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { ErrorCodes } from '@gemmaedge/shared'
import { parseCandidates } from '../src/candidate-parser.ts'
import { writeCandidates, type WriteOptions } from '../src/candidate-writer.ts'
import { captureLog } from '../../../test/support.ts'
import { startFakeModels, TEACHER, type FakeModels } from './fake-models.ts'

describe('reading candidate skills out of a teacher answer', () => {
  const two = ['Name every person.', 'Flag every hazard.']

  it.each([
    ['structured output', JSON.stringify({ skills: two })],
    ['a ```json fence', 'Here you go:\n```json\n' +
      '{"skills": ["Name every person.", "Flag every hazard."]}\n```'],
    ['a bare fence', '```\n' +
      '{"skills": ["Name every person.", "Flag every hazard."]}\n```\nGood luck!'],
    ['prose around the object', 'Sure! ' +
      '{"skills": ["Name every person.", "Flag every hazard."]} Hope this helps.'],
    ['a bare array', '["Name every person.", "Flag every hazard."]'],
    ['a bare array in prose', 'Candidates: ["Name every person.", "Flag every hazard."] (two)'],
    ['another key', '{"candidates": ["Name every person.", "Flag every hazard."]}'],
    ['objects holding the text',
      '{"skills": [{"text": "Name every person."}, {"prompt": "Flag every hazard."}]}']
  ])('reads %s', (_form, raw) => {
    expect(parseCandidates(raw)).toEqual(two)
  })

  it('drops duplicates, empty strings and what is not text', () => {
    const raw = JSON.stringify({
      skills: ['  Name every person. ', '', '   ', 'name  every person.', 42, null,
        'Flag every hazard.']
    })
    expect(parseCandidates(raw)).toEqual(two)
  })

  it('drops a skill over the size limit', () => {
    expect(parseCandidates(JSON.stringify(['x'.repeat(17 * 1024), 'Short.']))).toEqual(['Short.'])
  })

  it.each([
    ['prose only', 'I would tell the student to look harder.'],
    ['an empty list', '{"skills": []}'],
    ['only blanks', '{"skills": ["", "  "]}'],
    ['broken JSON', '{"skills": ["Name every']
  ])('finds nothing in %s', (_form, raw) => {
    expect(parseCandidates(raw)).toEqual([])
  })
})

describe('the teacher writing candidates', () => {
  const { log, lines } = captureLog('candidates-test')
  let models: FakeModels
  let options: WriteOptions

  beforeAll(async () => {
    models = await startFakeModels()
    options = {
      host: models.ollama.url, model: TEACHER, count: 2, currentSkill: 'Describe the frame.',
      mistakes: [{
        scene: 'A pan on a stove is on fire.', keywords: ['pan', 'fire'], safety: true,
        said: 'A pan on a stove.', score: 0.25
      }],
      retries: 3, timeoutMs: 5000, log
    }
  })
  afterAll(async () => { await models?.ollama.close() })

  it('asks for a list as structured output, ' +
    'showing the skill in use and its mistakes', async () => {
    models.teacher.splice(0, Infinity,
      JSON.stringify({ skills: ['Flag hazards.', 'Name things.'] }))
    expect(await writeCandidates(options)).toEqual(['Flag hazards.', 'Name things.'])

    const call = models.teacherCalls().at(-1)
    expect(call?.format).toMatchObject({
      type: 'object', properties: { skills: { type: 'array', items: { type: 'string' } } }
    })
    const user = call?.messages.find((m) => m.role === 'user')?.content ?? ''
    expect(user).toContain('Describe the frame.')
    expect(user).toContain('A pan on a stove is on fire.')
    expect(user).toContain('The student said: A pan on a stove.')
    expect(user).toContain('Write 2 different candidate skills')
  })

  it('asks again when an answer holds too few, keeping what it had', async () => {
    models.teacher.splice(0, Infinity, 'No idea, sorry.',
      '```json\n["Flag hazards.", "Describe the frame."]\n```',
      '["Flag hazards.", "Count people."]')
    models.ollama.chats.length = 0
    expect(await writeCandidates(options)).toEqual(['Flag hazards.', 'Count people.'])
    expect(models.teacherCalls()).toHaveLength(3)
    expect(lines.filter((l) => l.msg === 'teacher gave too few usable candidates'))
      .toHaveLength(2)
  })

  it('gives up after the retries with MODEL_BAD_ANSWER', async () => {
    models.teacher.splice(0, Infinity, 'I cannot help with that.')
    models.ollama.chats.length = 0
    await expect(writeCandidates(options)).rejects.toMatchObject({
      code: ErrorCodes.MODEL_BAD_ANSWER,
      message: expect.stringContaining('no usable candidate skill in 3 attempts')
    })
    expect(models.teacherCalls()).toHaveLength(3)
  })

  it('says a missing teacher model is missing, without retrying', async () => {
    models.ollama.chats.length = 0
    await expect(writeCandidates({ ...options, model: 'gemma4:99b' })).rejects.toMatchObject({
      code: ErrorCodes.MODEL_MISSING, message: expect.stringContaining('ollama pull gemma4:99b')
    })
    expect(models.ollama.chats).toHaveLength(1)
  })
})
