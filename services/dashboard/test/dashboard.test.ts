/**
 * The dashboard in real headless Chromium: the production build, served by
 * our server, fed by a real broker and a real mqtt.js publisher.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser, type Page } from 'playwright-core'
import mqtt, { type MqttClient } from 'mqtt'
import { build } from 'vite'
import { createTopics, UpskillRequestSchema } from '@gemmaedge/shared'
import { connectService, createLogger } from '@gemmaedge/shared/node'
import { startBroker, type Broker } from '../../../broker/src/broker.ts'
import { startDashboard, type Dashboard } from '../server/server.ts'
import { edgeResult, progress, review, skill } from './payloads.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const distDir = join(root, 'dist')
const PREFIX = 'test-hub'
const topics = createTopics(PREFIX)

const sink = new Writable({ write: (_chunk, _enc, done) => done() })
const log = createLogger({ name: 'dashboard-test', level: 'warn', destination: sink })

let broker: Broker
let dashboard: Dashboard
let browser: Browser
let page: Page
let publisher: MqttClient
const pageErrors: string[] = []

function publish (topic: string, payload: unknown,
  retain = false): Promise<unknown> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload)
  return publisher.publishAsync(topic, body, { qos: 1, retain })
}

const row = (frameId: string) =>
  page.locator(`frame-row[data-frame-id="${frameId}"]`)
const cell = (frameId: string, col: string) =>
  row(frameId).locator(`[data-col="${col}"]`)

/** A cell's text; throws fast while the row is not there, so polls retry. */
const text = (frameId: string, col: string) =>
  cell(frameId, col).innerText({ timeout: 500 })

/** True when dist is missing or older than a browser source file. */
function buildIsStale (): boolean {
  const built = join(distDir, 'index.html')
  if (!existsSync(built)) return true
  const sources = [join(root, 'index.html'), join(root, 'vite.config.ts'),
    ...readdirSync(join(root, 'src')).map((f) => join(root, 'src', f))]
  const builtAt = statSync(built).mtimeMs
  return sources.some((f) => statSync(f).mtimeMs > builtAt)
}

beforeAll(async () => {
  // `npm test` builds first; this covers running vitest on its own.
  if (buildIsStale()) {
    await build({ root, logLevel: 'warn' })
  }

  broker = await startBroker({ mqttPort: 0, wsPort: 0, host: '127.0.0.1', log })
  dashboard = await startDashboard({
    port: 0,
    host: '127.0.0.1',
    distDir,
    mqttWsUrl: `ws://127.0.0.1:${broker.wsPort}`,
    topicPrefix: PREFIX,
    log
  })
  publisher = mqtt.connect(`mqtt://127.0.0.1:${broker.mqttPort}`,
    { clientId: 'test-publisher', reconnectPeriod: 0 })
  await new Promise((resolve) => publisher.once('connect', resolve))

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update',
      '--disable-sync']
  })
  page = await browser.newPage({ viewport: { width: 1400, height: 800 } })
  page.on('pageerror', (err) => pageErrors.push(err.message))
  await page.goto(dashboard.url)
  await page.locator('[data-testid="connection"][data-state="connected"]')
    .waitFor()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await publisher?.endAsync()
  await dashboard?.close()
  await broker?.close()
})

describe('dashboard in a browser', () => {
  it('serves where the broker is in /config.json', async () => {
    const res = await fetch(new URL('/config.json', dashboard.url))
    expect(await res.json()).toEqual({
      mqttUrl: `ws://127.0.0.1:${broker.wsPort}`,
      topicPrefix: 'test-hub'
    })
  })

  it('shows a service online from its status, offline once it leaves', async () => {
    const service = await connectService({
      url: `mqtt://127.0.0.1:${broker.mqttPort}`,
      service: 'edge-sensor',
      instance: 'cam-1',
      version: '0.1.0',
      topicPrefix: PREFIX,
      log
    })
    const chip = page.locator('status-bar [data-service="edge-sensor/cam-1"]')
    await expect.poll(() => chip.getAttribute('data-state')).toBe('online')

    await service.close()
    await expect.poll(() => chip.getAttribute('data-state')).toBe('offline')
  })

  it('shows an edge result as a row with its thumbnail', async () => {
    await publish(topics.frameEdge('cam-1'), edgeResult('frame-1'))

    await expect.poll(() => text('frame-1', 'edge-answer'))
      .toContain('A grey tabby cat sitting on a wooden floor indoors.')
    expect(await text('frame-1', 'edge-confidence')).toContain('42%')
    expect(await text('frame-1', 'reasons'))
      .toMatch(/low-confidence[\s\S]*audit/)
    expect(await text('frame-1', 'teacher-answer'))
      .toContain('awaiting review')

    // The JPEG made by sharp really decodes in the browser.
    const img = cell('frame-1', 'thumbnail').locator('img')
    await expect.poll(() => img.evaluate((el: HTMLImageElement) =>
      el.complete ? el.naturalWidth : 0)).toBe(160)
  })

  it('joins the review into the same row', async () => {
    await publish(topics.reviewResult('cam-1'), review('frame-1'))

    await expect.poll(() => text('frame-1', 'verdict'))
      .toContain('partial')
    expect(await text('frame-1', 'teacher-answer'))
      .toContain('A tabby cat lying on a rug next to a sofa.')
    expect(await text('frame-1', 'teacher-confidence')).toContain('91%')
    expect(await text('frame-1', 'latency')).toMatch(/812 ms[\s\S]*10\.5 s/)
    expect(await row('frame-1').count()).toBe(1)
  })

  it('joins a review that arrives before its edge result', async () => {
    await publish(topics.reviewResult('cam-1'),
      review('frame-2', { verdict: 'disagree' }))
    await expect.poll(() => text('frame-2', 'verdict'))
      .toContain('disagree')

    await publish(topics.frameEdge('cam-1'), edgeResult('frame-2', {
      answer: 'A dog on a couch.', safety: true, hazards: ['fire']
    }))
    await expect.poll(() => text('frame-2', 'edge-answer'))
      .toContain('A dog on a couch.')
    expect(await text('frame-2', 'verdict')).toContain('disagree')
    expect(await row('frame-2').count()).toBe(1)

    // Newest first: frame-2 was first seen after frame-1.
    expect(await page.locator('frame-row').evaluateAll((rows) =>
      rows.map((r) => (r as HTMLElement).dataset.frameId)))
      .toEqual(['frame-2', 'frame-1'])
  })

  it('counts and drops bad payloads and carries on', async () => {
    const dropped = page.locator('[data-testid="dropped"]')
    const before = Number(await dropped.getAttribute('data-count'))

    await publish(topics.frameEdge('cam-1'), '{"v":1,"frameId":"bad"}')
    await publish(topics.reviewResult('cam-1'), 'not json at all')
    await publish(topics.frameEdge('cam-2'), edgeResult('frame-wrong-device'))
    await expect.poll(() => dropped.getAttribute('data-count'))
      .toBe(String(before + 3))

    await publish(topics.frameEdge('cam-1'), edgeResult('frame-3', {
      escalated: false, reason: null, reasons: [], confidence: 0.93,
      answer: 'An empty hallway with a closed door.'
    }))
    await expect.poll(() => text('frame-3', 'edge-answer'))
      .toContain('An empty hallway')
    expect(await row('bad').count()).toBe(0)
    expect(await row('frame-wrong-device').count()).toBe(0)
    expect(pageErrors).toEqual([])

    await page.screenshot({ path: '/tmp/dashboard.png', fullPage: true })
  })

  it('marks a reused frame and what the budget did with escalations', async () => {
    const notEscalated = { escalated: false, reason: null, reasons: [] }
    await publish(topics.frameEdge('cam-1'), edgeResult('frame-reused', {
      ...notEscalated, reused: true, reusedFrom: 'frame-3', latencyMs: 0,
      answer: 'An empty hallway with a closed door.', confidence: 0.93
    }))
    await publish(topics.frameEdge('cam-1'), edgeResult('frame-queued', {
      escalation: 'queued'
    }))
    await publish(topics.frameEdge('cam-1'), edgeResult('frame-dropped', {
      escalated: false, escalation: 'dropped',
      studentError: { audited: 25, rate: 0.12 }
    }))

    const reused = cell('frame-reused', 'edge-answer')
      .locator('[data-mark="reused"]')
    await expect.poll(() => reused.innerText({ timeout: 500 }))
      .toBe('same scene, answer reused')
    expect(await reused.getAttribute('title')).toBe('answer of frame frame-3')

    await expect.poll(() => text('frame-dropped', 'reasons'))
      .toMatch(/low-confidence[\s\S]*dropped by budget/)
    expect(await text('frame-dropped', 'teacher-answer')).toBe('not reviewed')
    expect(await text('frame-queued', 'reasons')).toContain('queued by budget')
    expect(await text('frame-queued', 'teacher-answer'))
      .toBe('queued for review…')
    // Only frames the budget held back say so.
    expect(await text('frame-1', 'reasons')).not.toContain('by budget')

    await expect.poll(() => page.getByTestId('student-error').innerText())
      .toBe('student wrong on 12% of 25 audited frames')
  })
})

describe('skill and upskilling in a browser', () => {
  const panel = () => page.locator('upskill-panel')
  const button = () => page.getByTestId('upskill-now')
  let subscriber: MqttClient

  /** Click "Upskill now" and return the request the bus carried. */
  async function clickUpskill (): Promise<unknown> {
    const message = new Promise<Buffer>((resolve) =>
      subscriber.once('message', (_topic, payload) => resolve(payload)))
    await button().click()
    return JSON.parse((await message).toString())
  }

  beforeAll(async () => {
    subscriber = mqtt.connect(`mqtt://127.0.0.1:${broker.mqttPort}`,
      { clientId: 'test-upskiller', reconnectPeriod: 0 })
    await new Promise((resolve) => subscriber.once('connect', resolve))
    await subscriber.subscribeAsync(topics.upskillRequest, { qos: 1 })
  })

  afterAll(async () => {
    await subscriber?.endAsync()
  })

  it('shows the retained skill published before the page opened', async () => {
    await publish(topics.skillsUpdated, skill(), true)
    const fresh = await browser.newPage({ viewport: { width: 1400, height: 800 } })
    try {
      await fresh.goto(dashboard.url)
      const skillPanel = fresh.locator('skill-panel')
      await expect.poll(() => skillPanel.getByTestId('skill-version')
        .innerText({ timeout: 500 })).toBe('up-20261203-1')
      expect(await skillPanel.getByTestId('skill-source').innerText())
        .toBe('upskiller')
      expect(await skillPanel.locator('[data-fact="score"]').innerText())
        .toMatch(/score\s+0\.82/)
      expect(await skillPanel.locator('[data-fact="parent"]').innerText())
        .toMatch(/parent\s+builtin/)

      // The text is folded away until asked for.
      const pre = skillPanel.locator('pre')
      expect(await pre.isVisible()).toBe(false)
      await skillPanel.locator('summary').click()
      await pre.waitFor({ state: 'visible' })
      expect(await pre.innerText()).toBe(skill().text)
    } finally {
      await fresh.close()
    }
  })

  it('shows a plain-text skill as a manual one', async () => {
    await publish(topics.skillsUpdated, 'Describe the room in one line.', true)
    const skillPanel = page.locator('skill-panel')

    await expect.poll(() => skillPanel.getByTestId('skill-source')
      .innerText({ timeout: 500 })).toBe('manual')
    expect(await skillPanel.getByTestId('skill-version').innerText())
      .toBe('version assigned by the edge')
    expect(await skillPanel.locator('pre').textContent())
      .toBe('Describe the room in one line.')
  })

  it('counts an invalid skill as dropped and keeps the one shown', async () => {
    const dropped = page.getByTestId('dropped')
    const before = Number(await dropped.getAttribute('data-count'))

    await publish(topics.skillsUpdated, '{"v":1,"version":"x","text":""}')
    await expect.poll(() => dropped.getAttribute('data-count'))
      .toBe(String(before + 1))
    expect(await dropped.getAttribute('title'))
      .toContain(`last dropped on ${topics.skillsUpdated}`)
    expect(await page.locator('skill-panel').getByTestId('skill-source')
      .innerText()).toBe('manual')
  })

  it('sends a valid UpskillRequest when Upskill now is clicked', async () => {
    await panel().locator('input').fill('3')
    const request = await clickUpskill()

    expect(UpskillRequestSchema.safeParse(request).success).toBe(true)
    expect(request).toEqual({
      v: 1, requestId: expect.stringMatching(/^dash-/), candidates: 3
    })
    await expect.poll(() => button().isDisabled()).toBe(true)
    expect(await panel().getByTestId('upskill-status').innerText())
      .toBe('Request sent; waiting for the upskiller…')

    // Another client's run does not hide ours. The bad payload after it
    // comes in order on the same subscription: once it is counted, the
    // other run's progress has been seen too.
    const dropped = page.getByTestId('dropped')
    const before = Number(await dropped.getAttribute('data-count'))
    await publish(topics.upskillProgress, progress('cli-1', { phase: 'loading' }))
    await publish(topics.upskillProgress, '{"v":1,"phase":"scoring"}')
    await expect.poll(() => dropped.getAttribute('data-count'))
      .toBe(String(before + 1))
    expect(await panel().getByTestId('upskill-status').innerText())
      .toBe('Request sent; waiting for the upskiller…')

    // Stop our run so the next test starts from an idle panel.
    await publish(topics.upskillProgress, progress(requestIdOf(request), {
      phase: 'failed', done: 0, total: 0,
      detail: 'OLLAMA_HOST http://127.0.0.1:11434 did not answer in 5000 ms; ' +
        'is ollama serve running?'
    }))
    const alert = panel().getByRole('alert')
    await expect.poll(() => alert.innerText({ timeout: 500 }))
      .toBe('Run failed: OLLAMA_HOST http://127.0.0.1:11434 did not answer ' +
        'in 5000 ms; is ollama serve running?')
    expect(await panel().getByTestId('upskill-phase').innerText()).toBe('failed')
    expect(await button().isDisabled()).toBe(false)
  })

  it('shows a refused request clearly and lets it be sent again', async () => {
    await panel().locator('input').fill('')
    const request = await clickUpskill()
    expect(request).toEqual({ v: 1, requestId: expect.any(String) })

    await publish(topics.upskillProgress, progress(requestIdOf(request), {
      phase: 'refused', done: 0, total: 0,
      detail: 'refused: an upskilling run is going'
    }))
    await expect.poll(() => panel().getByRole('alert')
      .innerText({ timeout: 500 }))
      .toBe('Request refused: refused: an upskilling run is going')
    expect(await button().isDisabled()).toBe(false)
  })

  it('shows the progress of our run, then its scores and what it published',
    async () => {
      const requestId = requestIdOf(await clickUpskill())
      await publish(topics.upskillProgress, progress(requestId, {
        phase: 'scoring', done: 3, total: 8,
        best: { version: 'candidate-2', score: 0.71 }
      }))

      const bar = panel().getByTestId('upskill-bar')
      await expect.poll(() => bar.evaluate((el: HTMLProgressElement) =>
        [el.value, el.max], undefined, { timeout: 500 }).catch(() => null))
        .toEqual([3, 8])
      expect(await panel().getByTestId('upskill-phase').innerText())
        .toBe('scoring')
      expect(await panel().getByTestId('upskill-count').innerText())
        .toBe('3 / 8')
      expect(await panel().getByTestId('upskill-best').innerText())
        .toMatch(/best candidate-2\s+0\.71/)
      expect(await button().isDisabled()).toBe(true)
      expect(await panel().locator('score-table').count()).toBe(0)

      await publish(topics.upskillProgress, progress(requestId, {
        phase: 'done', done: 1, total: 1,
        best: { version: 'up-20261203-2', score: 0.86 },
        detail: 'published up-20261203-2: candidate-2 gains 0.09 on ' +
          'held-out cases',
        published: 'up-20261203-2',
        scores: [
          { label: 'current', train: 0.62, heldOut: 0.77 },
          { label: 'candidate-1', train: 0.58, heldOut: null },
          { label: 'candidate-2', train: 0.71, heldOut: 0.86 }
        ]
      }))
      const rows = panel().locator('score-table tbody tr')
      await expect.poll(() => rows.evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')]
          .map((td) => td.textContent?.trim()))))
        .toEqual([
          ['current skill', '0.62', '0.77'],
          ['candidate-1', '0.58', '—'],
          ['candidate-2', '0.71', '0.86']
        ])
      expect(await panel().locator('tr[data-best]').getAttribute('data-label'))
        .toBe('candidate-2')
      expect(await panel().getByTestId('upskill-published').innerText())
        .toBe('Published up-20261203-2 on skills/updated.')
      expect(await button().isDisabled()).toBe(false)

      // What the upskiller publishes when it is done.
      await publish(topics.skillsUpdated, skill({
        version: 'up-20261203-2', score: 0.86, parent: 'up-20261203-1',
        createdAt: new Date().toISOString()
      }), true)
      await expect.poll(() => page.locator('skill-panel')
        .getByTestId('skill-version').innerText({ timeout: 500 }))
        .toBe('up-20261203-2')
      expect(pageErrors).toEqual([])

      await page.screenshot({ path: '/tmp/dashboard-upskill.png', fullPage: true })
    })
})

function requestIdOf (request: unknown): string {
  return UpskillRequestSchema.parse(request).requestId ?? ''
}
