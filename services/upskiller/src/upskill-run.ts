/**
 * One upskilling run: check the models, gather the cases and split them,
 * score the skill in use, have the teacher write candidates, score them on
 * the training cases, confirm the best on the held-out cases, and publish
 * it only when it beats the skill in use there by MIN_GAIN.
 */
import type { MqttClient } from 'mqtt'
import type { Logger } from 'pino'
import type {
  Skill, SkillScore, Topics, UpskillRequest
} from '@gemmaedge/shared'
import type { VisionModel } from '@gemmaedge/shared/vision'
import type { UpskillConfig } from './config.ts'
import {
  loadCaseFiles, shuffle, splitCases, type CaseSplit, type EvalCase
} from './case-loader.ts'
import { loadHarvestedCases } from './harvested-cases.ts'
import { writeCandidates, type Mistake } from './candidate-writer.ts'
import { scoreSkill, type SkillResult } from './skill-scorer.ts'
import { checkModels } from './model-check.ts'
import { newVersion, type SkillLibrary } from './skill-library.ts'
import type { Progress, ProgressReport } from './progress.ts'

export interface RunOptions {
  config: UpskillConfig
  request: UpskillRequest
  current: Skill
  client: MqttClient
  topics: Topics
  library: SkillLibrary
  progress: Progress
  log: Logger
}

/** A skill's scores in a run; `heldOut` only for the skill in use and the best. */
export interface ScoredSkill {
  label: string
  text: string
  train: SkillResult
  heldOut: SkillResult | null
}

export interface RunResult {
  split: { train: number, heldOut: number }
  current: ScoredSkill
  candidates: ScoredSkill[]
  /** The best candidate on the training cases. */
  best: ScoredSkill | null
  /** Held-out gain of the best over the skill in use. */
  gain: number | null
  published: Skill | null
  /** Why it was or was not published, for a person. */
  detail: string
}

/** Run, reporting as it goes; a failure is reported as phase `failed`, then thrown. */
export async function runUpskill (o: RunOptions): Promise<RunResult> {
  const report = reporter(o)
  try {
    return await run(o, report)
  } catch (err) {
    report({ phase: 'failed', done: 0, total: 0, detail: (err as Error).message })
    throw err
  }
}

async function run (o: RunOptions, report: Reporter): Promise<RunResult> {
  const { config: c, request } = o
  report({ phase: 'checking', done: 0, total: 1 })
  const student = await checkModels({
    host: c.OLLAMA_HOST, teacherModel: c.TEACHER_MODEL,
    studentModel: c.STUDENT_MODEL, studentTimeoutMs: c.STUDENT_TIMEOUT_MS
  })

  report({ phase: 'loading', done: 0, total: 1 })
  const split = splitCases(await gatherCases(o), c.HELD_OUT_SHARE, request.seed ?? c.SEED)
  o.log.info({ train: split.train.length, heldOut: split.heldOut.length }, 'cases split')

  const current = await scoreCurrent(o, student, split, report)
  report({ phase: 'writing', done: 0, total: 1 })
  const texts = await writeCandidates({
    host: c.OLLAMA_HOST, model: c.TEACHER_MODEL,
    count: request.candidates ?? c.CANDIDATES, currentSkill: o.current.text,
    mistakes: mistakesOf(split.train, current.train), retries: c.TEACHER_RETRIES,
    timeoutMs: c.TEACHER_TIMEOUT_MS, log: o.log
  })

  const candidates = await scoreCandidates(o, student, texts, split.train, report)
  const best = bestOf(candidates)
  if (best !== null) await confirm(o, student, best, split.heldOut, report)
  return decide(o, split, current, candidates, best, report)
}

/** File cases and harvested ones, sampled down to the most a run takes. */
async function gatherCases (o: RunOptions): Promise<EvalCase[]> {
  const c = o.config
  const files = await loadCaseFiles(c.CASES_FILES)
  const harvested = loadHarvestedCases(c.REVIEWS_DB, c.MAX_HARVESTED, o.log)
  const max = o.request.cases ?? c.MAX_CASES
  const all = [...files, ...harvested]
  o.log.info({ file: files.length, harvested: harvested.length, max }, 'cases loaded')
  return all.length <= max ? all : shuffle(all, (o.request.seed ?? c.SEED) + 1).slice(0, max)
}

async function scoreCurrent (
  o: RunOptions, student: VisionModel, split: CaseSplit, report: Reporter
): Promise<ScoredSkill> {
  const total = split.train.length + split.heldOut.length
  let done = 0
  const step = (): void => report({ phase: 'baseline', done: ++done, total })
  report({ phase: 'baseline', done, total })
  const score = (cases: EvalCase[]): Promise<SkillResult> => scoreSkill({
    student, skill: o.current.text, cases, timeoutMs: o.config.STUDENT_TIMEOUT_MS,
    log: o.log, onCase: step
  })
  const scored = { label: 'current', text: o.current.text, train: await score(split.train) }
  const result = { ...scored, heldOut: await score(split.heldOut) }
  report.add(result)
  return result
}

async function scoreCandidates (
  o: RunOptions, student: VisionModel, texts: string[], train: EvalCase[], report: Reporter
): Promise<ScoredSkill[]> {
  const total = texts.length * train.length
  let done = 0
  report({ phase: 'scoring', done, total })
  const out: ScoredSkill[] = []
  for (const [i, text] of texts.entries()) {
    const result = await scoreSkill({
      student, skill: text, cases: train, timeoutMs: o.config.STUDENT_TIMEOUT_MS,
      log: o.log, onCase: () => report({ phase: 'scoring', done: ++done, total })
    })
    const scored = { label: `candidate-${i + 1}`, text, train: result, heldOut: null }
    out.push(scored)
    report.add(scored)
  }
  return out
}

async function confirm (
  o: RunOptions, student: VisionModel, best: ScoredSkill, heldOut: EvalCase[],
  report: Reporter
): Promise<void> {
  let done = 0
  report({ phase: 'confirming', done, total: heldOut.length })
  best.heldOut = await scoreSkill({
    student, skill: best.text, cases: heldOut, timeoutMs: o.config.STUDENT_TIMEOUT_MS,
    log: o.log,
    onCase: () => report({ phase: 'confirming', done: ++done, total: heldOut.length })
  })
  report.add(best)
}

/** Publish the best when it beats the skill in use on held-out cases by MIN_GAIN. */
async function decide (
  o: RunOptions, split: CaseSplit, current: ScoredSkill, candidates: ScoredSkill[],
  best: ScoredSkill | null, report: Reporter
): Promise<RunResult> {
  const minGain = o.request.minGain ?? o.config.MIN_GAIN
  const base = current.heldOut?.mean ?? 0
  const gain = best?.heldOut == null ? null : round(best.heldOut.mean - base)
  const result: RunResult = {
    split: { train: split.train.length, heldOut: split.heldOut.length },
    current, candidates, best, gain, published: null, detail: ''
  }

  if (best === null || gain === null || gain < minGain) {
    result.detail = `not published: ${best?.label ?? 'no candidate'} gains ` +
      `${gain ?? 0} on held-out cases over ${o.current.version}, below MIN_GAIN ${minGain}`
  } else if (o.request.dryRun === true || o.config.DRY_RUN) {
    result.detail = `dry run: ${best.label} gains ${gain} on held-out cases; not published`
  } else {
    result.published = await publish(o, best, report)
    result.detail = `published ${result.published.version}: ${best.label} gains ${gain} ` +
      `on held-out cases over ${o.current.version}`
  }
  o.log.info({ gain, minGain, published: result.published?.version ?? null }, result.detail)
  report({ phase: 'done', done: 1, total: 1, detail: result.detail,
    published: result.published?.version ?? null })
  return result
}

async function publish (o: RunOptions, best: ScoredSkill, report: Reporter): Promise<Skill> {
  report({ phase: 'publishing', done: 0, total: 1 })
  const skill: Skill = {
    v: 1,
    version: newVersion(best.text),
    text: best.text,
    source: 'upskiller',
    createdAt: new Date().toISOString(),
    score: best.heldOut?.mean ?? best.train.mean,
    parent: o.current.version
  }
  await o.library.publish(o.client, o.topics, skill)
  report.published(skill)
  return skill
}

function bestOf (candidates: ScoredSkill[]): ScoredSkill | null {
  let best: ScoredSkill | null = null
  for (const c of candidates) if (best === null || c.train.mean > best.train.mean) best = c
  return best
}

/** The training cases the skill in use did worst on, for the teacher. */
function mistakesOf (train: EvalCase[], result: SkillResult): Mistake[] {
  return result.cases.flatMap((score, i): Mistake[] => {
    const c = train[i]
    if (c === undefined || score.score >= 1) return []
    const scene = c.user ?? c.reference ?? `frame ${c.id} (named: ${c.keywords.join(', ')})`
    const { keywords, safety } = c
    return [{ scene, keywords, safety, said: score.answer, score: score.score }]
  }).sort((a, b) => a.score - b.score)
}

/** Progress with the request id, the scores so far and the best so far on it. */
interface Reporter {
  (report: Omit<ProgressReport, 'best' | 'scores'>): void
  add (scored: ScoredSkill): void
  published (skill: Skill): void
}

function reporter (o: RunOptions): Reporter {
  const scores = new Map<string, SkillScore>()
  let best: ProgressReport['best'] = null
  const send = (r: Omit<ProgressReport, 'best' | 'scores'>): void => o.progress({
    ...(o.request.requestId === undefined ? {} : { requestId: o.request.requestId }),
    ...r, best, scores: [...scores.values()]
  })
  return Object.assign(send, {
    add (s: ScoredSkill) {
      const heldOut = s.heldOut?.mean ?? null
      scores.set(s.label, { label: s.label, train: s.train.mean, heldOut })
      const version = s.label === 'current' ? o.current.version : s.label
      if (best === null || s.train.mean > best.score) best = { version, score: s.train.mean }
    },
    published (skill: Skill) {
      best = { version: skill.version, score: skill.score ?? 0 }
    }
  })
}

function round (n: number): number {
  return Math.round(n * 1000) / 1000
}
