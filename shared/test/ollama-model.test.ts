import { afterEach, beforeEach, describe, it, expect } from 'vitest'
import { z } from 'zod'
import { OllamaModel, sameModel } from '../src/vision/ollama-model.ts'
import { toFormatSchema } from '../src/vision/answer-schema.ts'
import { ErrorCodes } from '../src/errors.ts'
import { startFakeOllama, unusedPort, type FakeOllama } from './fake-ollama.ts'

const IMAGE = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 250, 251, 252])
const SKILL = 'You watch a shop camera. Flag knives.'
const JSON_ANSWER = JSON.stringify({
  answer: 'A person holds a knife.',
  confidence: 0.85,
  safety: true,
  hazards: ['knife'],
  objects: ['person', 'knife']
})

let fake: FakeOllama

beforeEach(async () => { fake = await startFakeOllama(['gemma4:e2b', 'llava:latest']) })
afterEach(async () => { await fake.close() })

function model (options: Partial<ConstructorParameters<typeof OllamaModel>[0]> = {}) {
  return new OllamaModel({ model: 'gemma4:e2b', host: fake.url, ...options })
}

describe.each([false, true])('OllamaModel describe (stream %s)', (stream) => {
  it('sends the skill, the image as bare base64, the schema and stream', async () => {
    fake.answer = JSON_ANSWER
    const answer = await model({ stream }).describe({ image: IMAGE, systemPrompt: SKILL })

    expect(fake.chats).toHaveLength(1)
    const call = fake.chats[0]
    expect(call).toMatchObject({
      model: 'gemma4:e2b',
      stream,
      messages: [
        { role: 'system', content: SKILL },
        { role: 'user', images: [Buffer.from(IMAGE).toString('base64')] }
      ]
    })
    expect(call?.messages[1]?.images?.[0]).not.toMatch(/^data:/)
    expect(call?.format).toMatchObject({
      type: 'object',
      properties: {
        answer: { type: 'string' },
        confidence: { type: 'number' },
        safety: { type: 'boolean' },
        hazards: { type: 'array' },
        objects: { type: 'array' }
      }
    })
    expect(answer).toEqual({
      model: 'gemma4:e2b',
      answer: 'A person holds a knife.',
      confidence: 0.85,
      safety: true,
      hazards: ['knife'],
      objects: ['person', 'knife'],
      latencyMs: expect.any(Number)
    })
  })

  it.each([
    ['fenced JSON', '```json\n{"answer": "An empty room.", "confidence": 85}\n```',
      { answer: 'An empty room.', confidence: 0.85 }],
    ['text with CONFIDENCE', 'Smoke near the ceiling.\nCONFIDENCE: 85%',
      { answer: 'Smoke near the ceiling.', confidence: 0.85 }],
    ['JSON with "85%"', '{"answer": "A cat.", "confidence": "85%", "objects": ["Cat"]}',
      { answer: 'A cat.', confidence: 0.85, objects: ['cat'] }],
    ['plain text', 'Just a desk, I think.',
      { answer: 'Just a desk, I think.', confidence: null }]
  ])('parses %s', async (_name, raw, expected) => {
    fake.answer = raw
    const answer = await model({ stream }).describe({ image: IMAGE, systemPrompt: SKILL })
    expect(answer).toMatchObject(expected)
  })

  it('turns a hung server into MODEL_TIMEOUT within the deadline', async () => {
    fake.answer = JSON_ANSWER
    fake.hang = stream ? 'stream' : 'chat'
    const started = Date.now()
    const call = model({ stream, timeoutMs: 200 })
      .describe({ image: IMAGE, systemPrompt: SKILL })

    await expect(call).rejects.toMatchObject({
      code: ErrorCodes.MODEL_TIMEOUT,
      message: expect.stringMatching(new RegExp(`gemma4:e2b.*${fake.url}.*200 ms`))
    })
    expect(Date.now() - started).toBeLessThan(1500)
  })
})

describe('OllamaModel describe errors', () => {
  it('lets a per-request timeoutMs win over the default', async () => {
    fake.hang = 'chat'
    const call = model({ timeoutMs: 60_000 })
      .describe({ image: IMAGE, systemPrompt: SKILL, timeoutMs: 100 })
    await expect(call).rejects.toMatchObject({ code: ErrorCodes.MODEL_TIMEOUT })
  })

  it('reports a model the server does not have as MODEL_MISSING', async () => {
    const call = model({ model: 'gemma4:26b' })
      .describe({ image: IMAGE, systemPrompt: SKILL })
    await expect(call).rejects.toMatchObject({
      code: ErrorCodes.MODEL_MISSING,
      message: expect.stringContaining('ollama pull gemma4:26b')
    })
  })

  it('aborts a running call when closed', async () => {
    fake.hang = 'chat'
    const ollama = model()
    const call = ollama.describe({ image: IMAGE, systemPrompt: SKILL })
    await expect.poll(() => fake.chats.length).toBe(1)
    await ollama.close()
    await expect(call).rejects.toMatchObject({ code: ErrorCodes.MODEL_UNREACHABLE })
  })

  it('reports an empty answer as MODEL_BAD_ANSWER', async () => {
    fake.answer = '  '
    const call = model().describe({ image: IMAGE, systemPrompt: SKILL })
    await expect(call).rejects.toMatchObject({ code: ErrorCodes.MODEL_BAD_ANSWER })
  })
})

describe('OllamaModel ready', () => {
  it('passes when the server lists the model', async () => {
    await expect(model().ready()).resolves.toBeUndefined()
  })

  it('matches a name without a tag to :latest', async () => {
    await expect(model({ model: 'llava' }).ready()).resolves.toBeUndefined()
  })

  it('fails with MODEL_MISSING and the pull command without the model', async () => {
    fake.models = ['llava:latest']
    await expect(model().ready()).rejects.toMatchObject({
      code: ErrorCodes.MODEL_MISSING,
      message: expect.stringContaining('run: ollama pull gemma4:e2b')
    })
  })

  it('fails with MODEL_UNREACHABLE naming the host when nothing listens', async () => {
    const host = `http://127.0.0.1:${await unusedPort()}`
    const check = new OllamaModel({ model: 'gemma4:e2b', host, checkTimeoutMs: 500 })
    const expected = `^OLLAMA_HOST ${host} could not be reached \\(.*ECONNREFUSED.*\\); ` +
      'is `ollama serve` running\\?$'
    await expect(check.ready()).rejects.toMatchObject({
      code: ErrorCodes.MODEL_UNREACHABLE,
      message: expect.stringMatching(new RegExp(expected))
    })
  })

  it('fails with MODEL_UNREACHABLE in its deadline when the server hangs', async () => {
    fake.hang = 'tags'
    const started = Date.now()
    await expect(model({ checkTimeoutMs: 200 }).ready()).rejects.toMatchObject({
      code: ErrorCodes.MODEL_UNREACHABLE,
      message: expect.stringContaining(`OLLAMA_HOST ${fake.url} did not answer in 200 ms`)
    })
    expect(Date.now() - started).toBeLessThan(1500)
  })
})

describe('model names and schema', () => {
  it.each([
    ['gemma4:e2b', 'gemma4:e2b', true],
    ['gemma4', 'gemma4:latest', true],
    ['library/gemma4:e2b', 'gemma4:e2b', true],
    ['gemma4:e2b', 'gemma4:26b', false],
    ['gemma4', 'gemma4:e2b', false]
  ])('sameModel(%s, %s) is %s', (a, b, expected) => {
    expect(sameModel(a, b)).toBe(expected)
  })

  it('refuses an answer schema without properties', () => {
    expect(() => toFormatSchema(z.string())).toThrow(expect.objectContaining({
      code: ErrorCodes.CONFIG_INVALID
    }))
  })
})
