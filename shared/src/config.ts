/**
 * Configuration from the environment and command-line flags, validated by
 * one zod schema per service. Keys are the environment variable names; a
 * flag maps onto one key. Parsed once at start.
 */
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { HubError, ErrorCodes } from './errors.ts'

/** A flag that sets one config key, e.g. `--hub` sets `MQTT_URL`. */
export interface FlagSpec {
  key: string
  type?: 'string' | 'boolean'
  short?: string
}

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>
  argv?: string[]
  flags?: Record<string, FlagSpec>
  /** What the program is, for the top of `--help`. */
  about?: string
}

/** Thrown by `loadConfig` for `--help` or `-h`; the message is the help. */
export class HelpRequested extends HubError {
  constructor (text: string) {
    super(ErrorCodes.HELP_REQUESTED, text)
    this.name = 'HelpRequested'
  }
}

/** One field that did not validate. */
export interface ConfigProblem {
  key: string
  value: string | undefined
  problem: string
  fix: string
}

/** Thrown by `loadConfig`; `problems` lists every bad field. */
export class ConfigError extends HubError {
  readonly problems: ConfigProblem[]

  constructor (problems: ConfigProblem[]) {
    const lines = problems.map((p) =>
      `  ${p.key}=${JSON.stringify(p.value ?? '')}: ${p.problem}. ${p.fix}`)
    super(ErrorCodes.CONFIG_INVALID,
      `invalid configuration (${problems.length} field` +
      `${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

/** An environment variable read as a boolean: true/false, 1/0, yes/no. */
export const envBoolean = z.preprocess(
  (v) => typeof v === 'boolean' ? String(v) : v,
  z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'],
    { error: 'expected true or false' })
).transform((v) => ['true', '1', 'yes', 'on'].includes(v))

/** An environment variable read as a comma-separated list. */
export const envList = z.union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(','))
    .map((s) => s.trim()).filter((s) => s.length > 0))

/**
 * Read and validate the configuration. Flags win over the environment; an
 * empty environment variable counts as unset, so the default applies.
 * Throws `ConfigError` naming every bad field, its value and the fix, and
 * `HelpRequested` with the help text for `--help`.
 */
export function loadConfig<S extends z.ZodObject> (
  schema: S,
  options: LoadConfigOptions = {}
): z.infer<S> {
  const argv = options.argv ?? []
  if (argv.includes('--help') || argv.includes('-h')) {
    throw new HelpRequested(helpText(schema, options))
  }
  const env = options.env ?? process.env
  const raw: Record<string, unknown> = {}
  const given: Record<string, string> = {}

  for (const key of Object.keys(schema.shape)) {
    const value = env[key]
    if (value !== undefined && value !== '') {
      raw[key] = value
      given[key] = value
    }
  }

  for (const [key, value] of Object.entries(readFlags(options))) {
    raw[key] = value
    given[key] = String(value)
  }

  const result = schema.safeParse(raw)
  if (result.success) return result.data

  throw new ConfigError(result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '(config)')
    return { key, value: given[key], problem: problemOf(issue), fix: fixFor(schema, key) }
  }))
}

function readFlags (options: LoadConfigOptions): Record<string, string | boolean> {
  const flags = options.flags ?? {}
  const spec: Record<string, { type: 'string' | 'boolean', short?: string }> = {}
  for (const [name, f] of Object.entries(flags)) {
    spec[name] = f.short === undefined
      ? { type: f.type ?? 'string' }
      : { type: f.type ?? 'string', short: f.short }
  }

  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({ args: options.argv ?? [], options: spec, strict: true })
      .values as Record<string, string | boolean | undefined>
  } catch (err) {
    const known = Object.keys(flags).map((n) => `--${n}`).join(', ')
    throw new ConfigError([{
      key: '(flags)',
      value: (options.argv ?? []).join(' '),
      problem: (err as Error).message,
      fix: `Known flags: ${known || 'none'}.`
    }])
  }

  const out: Record<string, string | boolean> = {}
  for (const [name, value] of Object.entries(values)) {
    const f = flags[name]
    if (f !== undefined && value !== undefined) out[f.key] = value
  }
  return out
}

function problemOf (issue: z.core.$ZodIssue): string {
  // zod says "received NaN" for a number that did not parse.
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'expected a number'
  return issue.message
}

function helpText (schema: z.ZodObject, options: LoadConfigOptions): string {
  const flags = Object.entries(options.flags ?? {})
    .map(([name, f]) => `--${name}${f.type === 'boolean' ? '' : ' VALUE'}`).join('  ')
  return [
    options.about ?? '',
    flags === '' ? '' : `Flags: ${flags}  --help`,
    'Settings (environment variables; a flag sets the same key):',
    describeConfig(schema, options.flags)
  ].filter((line) => line !== '').join('\n\n') + '\n'
}

function fixFor (schema: z.ZodObject, key: string): string {
  const field = schema.shape[key] as z.ZodType | undefined
  const about = field?.description
  return about === undefined ? `Check ${key}.` : `${key}: ${about}.`
}

/** Text for `--help`: every field with its meaning and default. */
export function describeConfig (schema: z.ZodObject, flags: Record<string, FlagSpec> = {}): string {
  const byKey = new Map(Object.entries(flags).map(([n, f]) => [f.key, n]))
  return Object.entries(schema.shape).map(([key, field]) => {
    const flag = byKey.get(key)
    const name = flag === undefined ? key : `${key} (--${flag})`
    return `  ${name}\n      ${(field as z.ZodType).description ?? ''}`
  }).join('\n')
}
