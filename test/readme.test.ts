/** The README's claims that can drift from the code. */
import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { z } from 'zod'
import {
  EdgeResultSchema, EscalationSchema, ReviewSchema, SkillSchema, UpskillRequestSchema,
  UpskillProgressSchema, StatusSchema
} from '@gemmaedge/shared'
import { configDocs, readmeConfig } from '../scripts/config-docs.ts'
import { repoRoot } from './support.ts'

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')

describe('README', () => {
  it('documents every config key of every service as the schemas say', () => {
    // Run `npx tsx scripts/config-docs.ts --write` after changing a schema.
    expect(readmeConfig(readme)).toBe(configDocs())
  })

  it('gives the two set-up commands', () => {
    expect(readme).toContain('npm ci && npm start')
    expect(readme).toMatch(/^npm test\b/m)
  })

  const examples: Array<[string, z.ZodType]> = [
    ['frames/edge/{device}', EdgeResultSchema],
    ['frames/escalate/{device}', EscalationSchema],
    ['reviews/result/{device}', ReviewSchema],
    ['skills/updated', SkillSchema],
    ['upskill/request', UpskillRequestSchema],
    ['upskill/progress', UpskillProgressSchema],
    ['status/{service}/{instance}', StatusSchema]
  ]

  it.each(examples)('shows a valid example payload for %s', (topic, schema) => {
    const heading = readme.indexOf(`### \`${topic}\``)
    expect(heading).toBeGreaterThan(0)
    const start = readme.indexOf('```json\n', heading) + '```json\n'.length
    const json = readme.slice(start, readme.indexOf('```', start))
    const result = schema.safeParse(JSON.parse(json))
    expect(result.error?.issues ?? []).toEqual([])
  })
})
