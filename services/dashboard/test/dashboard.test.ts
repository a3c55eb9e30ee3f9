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
import sharp from 'sharp'
import { build } from 'vite'
import {
  createTopics, EdgeResultSchema, ReviewSchema, type EdgeResult, type Review
} from '@gemmaedge/shared'
import { connectService, createLogger } from '@gemmaedge/shared/node'
import { startBroker, type Broker } from '../../../broker/src/broker.ts'
import { startDashboard, type Dashboard } from '../server/server.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const distDir = join(root, 'dist')
const CAT = '/work/shared/frames/cat-indoor-01.png'
const PREFIX = 'test-hub'
const topics = createTopics(PREFIX)

const sink = new Writable({ write: (_chunk, _enc, done) => done() })
const log = createLogger({ name: 'dashboard-test', level: 'warn', destination: sink })

let broker: Broker
let dashboard: Dashboard
let browser: Browser
let page: Page
let publisher: MqttClient
let thumbnail: string
const pageErrors: string[] = []

function edgeResult (frameId: string, over: Partial<EdgeResult> = {}): EdgeResult {
  return EdgeResultSchema.parse({
    v: 1,
    frameId,
    device: 'cam-1',
    seq: 7,
    capturedAt: new Date().toISOString(),
    model: 'gemma4:e2b',
    skillVersion: 'base-1',
    answer: 'A grey tabby cat sitting on a wooden floor indoors.',
    confidence: 0.42,
    safety: false,
    hazards: [],
    latencyMs: 812,
    escalated: true,
    reason: { kind: 'low-confidence', detail: 'confidence 0.42 < 0.6' },
    reasons: [
      { kind: 'low-confidence', detail: 'confidence 0.42 < 0.6' },
      { kind: 'audit', detail: '1 in 10 sample' }
    ],
    thumbnail,
    ...over
  })
}

function review (frameId: string, over: Partial<Review> = {}): Review {
  return ReviewSchema.parse({
    v: 1,
    frameId,
    device: 'cam-1',
    reason: { kind: 'low-confidence', detail: 'confidence 0.42 < 0.6' },
    edge: {
      model: 'gemma4:e2b',
      answer: 'A grey tabby cat sitting on a wooden floor indoors.',
      confidence: 0.42,
      safety: false,
      hazards: [],
      latencyMs: 812,
      skillVersion: 'base-1'
    },
    teacher: {
      model: 'gemma4:26b',
      answer: 'A tabby cat lying on a rug next to a sofa.',
      confidence: 0.91,
      safety: false,
      hazards: [],
      latencyMs: 9400
    },
    verdict: 'partial',
    reviewedAt: new Date().toISOString(),
    totalLatencyMs: 10_512,
    ...over
  })
}

function publish (topic: string, payload: unknown): Promise<unknown> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload)
  return publisher.publishAsync(topic, body, { qos: 1 })
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
  const jpeg = await sharp(CAT).resize({ width: 160 }).jpeg({ quality: 70 }).toBuffer()
  thumbnail = jpeg.toString('base64')

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
})
