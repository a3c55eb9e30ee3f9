import { describe, it, expect } from 'vitest'
import { z } from 'zod'
import { loadConfig, ConfigError, HelpRequested, envBoolean, envList } from '../src/config.ts'

const Schema = z.object({
  MQTT_URL: z.string().url().default('mqtt://127.0.0.1:1883')
    .describe('broker URL, e.g. mqtt://hub.local:1883 (default mqtt://127.0.0.1:1883)'),
  FPS: z.coerce.number().positive().max(30).default(1)
    .describe('frames per second, above 0 and at most 30 (default 1)'),
  SKIP: envBoolean.default(true).describe('skip unchanged frames: true or false'),
  WORDS: envList.default(['fire']).describe('comma-separated words')
})

const flags = {
  hub: { key: 'MQTT_URL' },
  fps: { key: 'FPS' },
  'no-skip': { key: 'SKIP', type: 'boolean' as const }
}

function problemsOf (fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as ConfigError).code).toBe('CONFIG_INVALID')
    return (err as ConfigError).problems
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  it('applies defaults when nothing is set, and treats empty as unset', () => {
    expect(loadConfig(Schema, { env: { FPS: '' } })).toEqual({
      MQTT_URL: 'mqtt://127.0.0.1:1883', FPS: 1, SKIP: true, WORDS: ['fire']
    })
  })

  it('reads the environment, with flags winning over it', () => {
    const config = loadConfig(Schema, {
      env: { MQTT_URL: 'mqtt://a:1883', FPS: '2', SKIP: 'no', WORDS: 'fire, smoke,' },
      argv: ['--hub', 'mqtt://b:1883'],
      flags
    })
    expect(config).toEqual({
      MQTT_URL: 'mqtt://b:1883', FPS: 2, SKIP: false, WORDS: ['fire', 'smoke']
    })
  })

  it('names every bad field with its value and the fix', () => {
    const problems = problemsOf(() => loadConfig(Schema, {
      env: { FPS: 'fast', SKIP: 'maybe', MQTT_URL: 'not a url' }
    }))
    expect(problems).toEqual([
      expect.objectContaining({
        key: 'MQTT_URL', value: 'not a url', fix: expect.stringContaining('broker URL')
      }),
      expect.objectContaining({
        key: 'FPS', value: 'fast', fix: expect.stringContaining('frames per second')
      }),
      expect.objectContaining({ key: 'SKIP', value: 'maybe' })
    ])
  })

  it('says which value and which fix in the message', () => {
    expect(() => loadConfig(Schema, { env: { FPS: '99' } }))
      .toThrow(/FPS="99": .*FPS: frames per second, above 0 and at most 30/)
  })

  it('refuses an unknown flag and lists the known ones', () => {
    const problems = problemsOf(() =>
      loadConfig(Schema, { argv: ['--hbu', 'x'], flags }))
    expect(problems).toEqual([expect.objectContaining({
      key: '(flags)', fix: 'Known flags: --hub, --fps, --no-skip.'
    })])
  })

  it('answers --help with every setting, its flag and its meaning', () => {
    let help: unknown
    try {
      loadConfig(Schema, { argv: ['--fps', 'x', '-h'], flags, about: 'The test tool.' })
    } catch (err) {
      help = err
    }
    expect(help).toBeInstanceOf(HelpRequested)
    expect((help as HelpRequested).code).toBe('HELP_REQUESTED')
    const text = (help as HelpRequested).message
    expect(text).toMatch(new RegExp('^The test tool\\.\\n\\nFlags: ' +
      '--hub VALUE {2}--fps VALUE {2}--no-skip {2}--help'))
    expect(text).toContain('FPS (--fps)\n' +
      '      frames per second, above 0 and at most 30 (default 1)')
    expect(text).toContain('WORDS\n      comma-separated words')
  })

  it('says a number or a choice is wanted in plain words', () => {
    expect(problemsOf(() => loadConfig(Schema, { env: { FPS: 'abc', SKIP: 'maybe' } })))
      .toEqual([
        expect.objectContaining({ key: 'FPS', problem: 'expected a number' }),
        expect.objectContaining({ key: 'SKIP', problem: 'expected true or false' })
      ])
  })
})
