/**
 * A student and a teacher behind the fake Ollama server. The student tells
 * back the scene of a text case, but names hazards (and raises the safety
 * flag) only when its skill asks about hazards, so a skill that does really
 * scores higher. The teacher answers with what the test queues.
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  startFakeOllama, type ChatCall, type FakeOllama
} from '../../../shared/test/fake-ollama.ts'
import { UpskillConfigSchema, type UpskillConfig } from '../src/config.ts'

export const TEACHER = 'gemma4:26b'
export const STUDENT = 'gemma4:e2b'

const HAZARD_WORDS = /\b(fire|flames?|smoke|knife|burning)\b/gi

export interface FakeModels {
  ollama: FakeOllama
  /** Teacher answers, one per call; the last one repeats. */
  teacher: Array<string | (() => Promise<string>)>
  /** Scenes the student names hazards in under an `OVERFIT` skill. */
  overfitScenes: Set<string>
  studentCalls: () => ChatCall[]
  teacherCalls: () => ChatCall[]
}

export async function startFakeModels (): Promise<FakeModels> {
  const ollama = await startFakeOllama([TEACHER, STUDENT])
  const models: FakeModels = {
    ollama,
    teacher: [],
    overfitScenes: new Set(),
    studentCalls: () => ollama.chats.filter((c) => c.model === STUDENT),
    teacherCalls: () => ollama.chats.filter((c) => c.model === TEACHER)
  }
  ollama.reply = async (call) => {
    if (call.model === STUDENT) return studentAnswer(call, models.overfitScenes)
    const next = (models.teacher.length > 1 ? models.teacher.shift() : models.teacher[0]) ?? ''
    return typeof next === 'string' ? next : await next()
  }
  return models
}

function studentAnswer (call: ChatCall, overfit: Set<string>): string {
  const system = call.messages.find((m) => m.role === 'system')?.content ?? ''
  const user = call.messages.find((m) => m.role === 'user')
  const scene = /Frame: (.*)/.exec(user?.content ?? '')?.[1] ?? 'a camera frame'
  const asked = /hazard/i.test(system) || (/OVERFIT/.test(system) && overfit.has(scene))
  const hazards = [...scene.matchAll(HAZARD_WORDS)].map((m) => m[0].toLowerCase())

  if (!asked || hazards.length === 0) {
    return JSON.stringify({
      answer: scene.replace(HAZARD_WORDS, 'something'), confidence: 0.8,
      safety: false, hazards: [], objects: []
    })
  }
  return JSON.stringify({
    answer: `${scene} This is a safety hazard.`, confidence: 0.9,
    safety: true, hazards, objects: []
  })
}

const text = (id: string, user: string, keywords: string[], safety: boolean) =>
  ({ id, user, ideal_keywords: keywords, safety })

/** Text cases: four with a hazard, four without. */
export const CASES = [
  text('lighter', 'A person is holding a lighter with a visible flame.',
    ['person', 'flame', 'safety'], true),
  text('pan', 'A pan on a stove is on fire.',
    ['pan', 'stove', 'fire'], true),
  text('smoke', 'Smoke fills a hallway.',
    ['smoke', 'hallway'], true),
  text('knife', 'A cook holds a knife over a board.',
    ['cook', 'knife'], true),
  text('cat', 'A cat sleeps on a sofa.',
    ['cat', 'sofa'], false),
  text('desk', 'Two people work at a desk.',
    ['people', 'desk'], false),
  text('dog', 'A dog runs on a lawn.',
    ['dog', 'lawn'], false),
  text('lamp', 'A lamp glows beside books.',
    ['lamp', 'book'], false)
]

export interface TestSetup {
  dir: string
  casesFile: string
  config: UpskillConfig
}

/** A folder with the cases and a config pointing at the fakes. */
export async function testSetup (ollamaUrl: string, mqttUrl: string,
  env: Record<string, unknown> = {}): Promise<TestSetup> {
  const dir = await mkdtemp(join(tmpdir(), 'upskill-'))
  const casesFile = join(dir, 'cases.jsonl')
  await writeFile(casesFile, CASES.map((c) => JSON.stringify(c)).join('\n') + '\n')
  const config = UpskillConfigSchema.parse({
    MQTT_URL: mqttUrl,
    OLLAMA_HOST: ollamaUrl,
    CASES_FILES: [casesFile],
    SKILLS_DIR: join(dir, 'skills'),
    REVIEWS_DB: join(dir, 'reviews.db'),
    SKILL_FILE: join(dir, 'skill.txt'),
    CANDIDATES: 2,
    RETAINED_WAIT_MS: 0,
    ...env
  })
  return { dir, casesFile, config }
}
