/**
 * Upskiller configuration, shared by the service and the command line:
 * environment variables, the run's knobs also settable by flags.
 */
import { z } from 'zod'
import {
  envBoolean, envList, mqttUrlField, topicPrefixField, ollamaHostField, nameField,
  type FlagSpec
} from '@gemmaedge/shared/node'

export const UpskillConfigSchema = z.object({
  MQTT_URL: mqttUrlField,
  TOPIC_PREFIX: topicPrefixField,
  INSTANCE: nameField('upskiller-1', 'this upskiller\'s name in status topics'),
  BROKER_TIMEOUT_MS: z.coerce.number().int().positive().default(5000)
    .describe('how long the command line waits for the broker, in ms (default 5000)'),
  OLLAMA_HOST: ollamaHostField,
  TEACHER_MODEL: z.string().min(1).default('gemma4:26b')
    .describe('the Ollama model that writes candidate skills (default gemma4:26b)'),
  STUDENT_MODEL: z.string().min(1).default('gemma4:e2b')
    .describe('the Ollama model the skills are scored on (default gemma4:e2b)'),
  TEACHER_TIMEOUT_MS: z.coerce.number().int().positive().default(300_000)
    .describe('deadline for the teacher to write candidates, in ms (default 300000)'),
  STUDENT_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000)
    .describe('deadline for one student answer, in ms (default 60000)'),
  TEACHER_RETRIES: z.coerce.number().int().min(1).max(10).default(3)
    .describe('teacher calls before giving up on usable candidates, 1 to 10 (default 3)'),
  CANDIDATES: z.coerce.number().int().min(1).max(20).default(4)
    .describe('candidate skills the teacher writes per run, 1 to 20 (default 4)'),
  CASES_FILES: envList.default(['services/upskiller/cases/starter.jsonl'])
    .describe('comma-separated JSONL files of eval cases ' +
      '(default services/upskiller/cases/starter.jsonl)'),
  MAX_CASES: z.coerce.number().int().min(2).max(1000).default(60)
    .describe('most eval cases per run, file and harvested together (default 60)'),
  REVIEWS_DB: z.string().min(1).default('var/reviews.db')
    .describe('the teacher-reviewer\'s review store, read for harvested cases ' +
      '(default var/reviews.db)'),
  MAX_HARVESTED: z.coerce.number().int().min(0).default(30)
    .describe('newest reviewed frames used as cases, 0 for none (default 30)'),
  HELD_OUT_SHARE: z.coerce.number().min(0.1).max(0.9).default(0.3)
    .describe('share of cases held out to confirm the winner, 0.1 to 0.9 (default 0.3)'),
  SEED: z.coerce.number().int().default(42)
    .describe('seed of the case sample and the training / held-out split (default 42)'),
  MIN_GAIN: z.coerce.number().min(0).max(1).default(0.05)
    .describe('least held-out gain over the current skill to publish, 0 to 1 ' +
      '(default 0.05)'),
  SKILLS_DIR: z.string().min(1).default('var/skills')
    .describe('folder where every skill version is kept as <version>.json ' +
      '(default var/skills)'),
  SKILL_FILE: z.string().default('skill.txt')
    .describe('the edge\'s skill file, the current skill when none is retained ' +
      '(default skill.txt)'),
  RETAINED_WAIT_MS: z.coerce.number().int().min(0).default(1000)
    .describe('how long to wait for the retained skill on skills/updated, in ms ' +
      '(default 1000)'),
  DRY_RUN: envBoolean.default(false)
    .describe('score and report, publish nothing: true or false (default false)')
})

export type UpskillConfig = z.infer<typeof UpskillConfigSchema>

export const UPSKILL_FLAGS: Record<string, FlagSpec> = {
  hub: { key: 'MQTT_URL' },
  candidates: { key: 'CANDIDATES' },
  cases: { key: 'CASES_FILES' },
  'max-cases': { key: 'MAX_CASES' },
  'min-gain': { key: 'MIN_GAIN' },
  seed: { key: 'SEED' },
  teacher: { key: 'TEACHER_MODEL' },
  student: { key: 'STUDENT_MODEL' },
  'dry-run': { key: 'DRY_RUN', type: 'boolean' }
}
