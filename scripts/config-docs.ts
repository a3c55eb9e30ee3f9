/**
 * The configuration of every service as Markdown tables, made from the same
 * zod schemas the services parse at start. `npx tsx scripts/config-docs.ts`
 * prints them; with `--write` it puts them into the README between the
 * config markers, where a test checks they are still in step.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import type { z } from 'zod'
import { BrokerConfigSchema } from '../broker/src/config.ts'
import { EdgeConfigSchema } from '../services/edge-sensor/src/config.ts'
import { TeacherConfigSchema } from '../services/teacher-reviewer/src/config.ts'
import { DashboardConfigSchema } from '../services/dashboard/server/config.ts'
import { UpskillConfigSchema } from '../services/upskiller/src/config.ts'
import { EvalConfigSchema } from '../services/edge-sensor/src/eval/eval-config.ts'

export const SERVICE_CONFIGS: Record<string, z.ZodObject> = {
  broker: BrokerConfigSchema,
  'edge-sensor': EdgeConfigSchema,
  'teacher-reviewer': TeacherConfigSchema,
  dashboard: DashboardConfigSchema,
  upskiller: UpskillConfigSchema,
  'eval (npm run eval)': EvalConfigSchema
}

export function configTable (schema: z.ZodObject): string {
  const rows = Object.entries(schema.shape).map(([key, field]) => {
    const about = ((field as z.ZodType).description ?? '').replace(/\|/g, '\\|')
    return `| \`${key}\` | ${about} |`
  })
  return ['| variable | meaning |', '|---|---|', ...rows].join('\n')
}

export const START = '<!-- config:start -->'
export const END = '<!-- config:end -->'

/** Every service's table, as it stands between the README's markers. */
export function configDocs (): string {
  return Object.entries(SERVICE_CONFIGS)
    .map(([name, schema]) => `### ${name}\n\n${configTable(schema)}\n`)
    .join('\n')
}

/** The part of a README between the markers, or null without them. */
export function readmeConfig (readme: string): string | null {
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  if (start < 0 || end < start) return null
  return readme.slice(start + START.length, end).trim() + '\n'
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--write')) {
    const readme = readFileSync('README.md', 'utf8')
    const start = readme.indexOf(START)
    const end = readme.indexOf(END)
    if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END}`)
    const next = readme.slice(0, start + START.length) + '\n\n' + configDocs() + '\n' +
      readme.slice(end)
    writeFileSync('README.md', next)
  } else {
    process.stdout.write(configDocs())
  }
}
