import { afterEach, describe, it, expect } from 'vitest'
import { createLogger } from '../src/logger.ts'
import { createVisionModel } from '../src/vision/create-vision-model.ts'
import { ErrorCodes } from '../src/errors.ts'
import type { VisionModel } from '../src/vision/types.ts'
import { startFakeOllama, unusedPort, type FakeOllama } from './fake-ollama.ts'

/** A pino logger whose lines are parsed into `lines`. */
function captureLog () {
  const lines: Array<Record<string, unknown>> = []
  const destination = { write: (line: string) => { lines.push(JSON.parse(line)) } }
  return { lines, log: createLogger({ name: 'test', level: 'debug', destination }) }
}

const open: Array<VisionModel | FakeOllama> = []
afterEach(async () => {
  await Promise.all(open.splice(0).map(async (x) => x.close()))
})

async function deadHost (): Promise<string> {
  return `http://127.0.0.1:${await unusedPort()}`
}

describe('createVisionModel', () => {
  it('auto falls back to the detector with one warn line if Ollama is down', async () => {
    const { lines, log } = captureLog()
    const host = await deadHost()
    const model = await createVisionModel({ role: 'student', ollamaHost: host, log })
    open.push(model)

    expect(model).toMatchObject({ kind: 'detector', name: 'human-detector/fast' })
    const warnings = lines.filter((l) => l.level === 40)
    expect(warnings).toEqual([expect.objectContaining({
      component: 'vision-model',
      role: 'student',
      code: ErrorCodes.MODEL_UNREACHABLE,
      model: 'human-detector/fast',
      reason: expect.stringContaining(`OLLAMA_HOST ${host} could not be reached`),
      msg: 'ollama not usable, using the embedded detector'
    })])
    expect(String(warnings[0]?.reason)).toContain('`ollama serve`')
  }, 60_000)

  it('auto falls back when the teacher model is missing, naming the pull', async () => {
    const fake = await startFakeOllama(['gemma4:e2b'])
    open.push(fake)
    const { lines, log } = captureLog()
    const model = await createVisionModel({ role: 'teacher', ollamaHost: fake.url, log })
    open.push(model)

    expect(model.name).toBe('human-detector/thorough')
    expect(lines.filter((l) => l.level === 40)).toEqual([expect.objectContaining({
      code: ErrorCodes.MODEL_MISSING,
      reason: expect.stringContaining('run: ollama pull gemma4:26b')
    })])
  }, 60_000)

  it('auto uses Ollama when it answers and has the model', async () => {
    const fake = await startFakeOllama(['gemma4:e2b'])
    open.push(fake)
    const { lines, log } = captureLog()
    const model = await createVisionModel({ role: 'student', ollamaHost: fake.url, log })
    open.push(model)

    expect(model).toMatchObject({ kind: 'ollama', name: 'gemma4:e2b' })
    expect(lines.filter((l) => l.level === 40)).toEqual([])
  })

  it('ollama throws the start check error instead of falling back', async () => {
    const ollamaHost = await deadHost()
    await expect(createVisionModel({ backend: 'ollama', role: 'student', ollamaHost }))
      .rejects.toMatchObject({ code: ErrorCodes.MODEL_UNREACHABLE })
  })

  it('ollama names the model to pull when it is missing', async () => {
    const fake = await startFakeOllama([])
    open.push(fake)
    const call = createVisionModel({
      backend: 'ollama', role: 'student', ollamaHost: fake.url, model: 'gemma4:e2b'
    })
    await expect(call).rejects.toMatchObject({
      code: ErrorCodes.MODEL_MISSING,
      message: expect.stringContaining('ollama pull gemma4:e2b')
    })
  })

  it('detector picks the profile by role', async () => {
    const student = await createVisionModel({ backend: 'detector', role: 'student' })
    const teacher = await createVisionModel({ backend: 'detector', role: 'teacher' })
    open.push(student, teacher)
    expect([student.name, teacher.name])
      .toEqual(['human-detector/fast', 'human-detector/thorough'])
  }, 60_000)
})
