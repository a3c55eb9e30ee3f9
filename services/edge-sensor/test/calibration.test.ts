import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { createTopics, type Review } from '@gemmaedge/shared'
import type { Broker } from '../../../broker/src/broker.ts'
import { Calibration, bandOf } from '../src/calibration.ts'
import { watchReviews, learnFrom } from '../src/review-feedback.ts'
import { captureLog, startTestBroker } from '../../../test/support.ts'

function review (
  confidence: number | null, verdict: Review['verdict'], kind = 'low-confidence'
): Review {
  const edge = {
    model: 'gemma4:e2b', answer: 'A desk.', confidence, safety: false, hazards: [],
    objects: [], latencyMs: 5, skillVersion: null
  }
  return {
    v: 1, frameId: `f-${Math.random()}`, device: 'cam-1',
    reason: { kind, detail: '' }, reasons: [{ kind, detail: '' }], edge,
    teacher: { ...edge, model: 'gemma4:26b' }, verdict,
    reviewedAt: new Date().toISOString(), totalLatencyMs: 10
  }
}

let dir: string
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'calibration-')) })
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

describe('calibration', () => {
  it('puts confidences in tenths, 1 in the top band', () => {
    expect([0, 0.05, 0.1, 0.59, 0.99, 1].map(bandOf)).toEqual([0, 0, 1, 5, 9, 9])
  })

  it('says nothing about a band until it has enough reviews', () => {
    const c = new Calibration(null, 3)
    c.record(0.9, 'agree')
    c.record(0.9, 'agree')
    expect(c.agreement(0.92)).toBeNull()
    c.record(0.9, 'partial')
    expect(c.agreement(0.92)).toBeCloseTo((2.5 + 1) / (3 + 2))
  })

  it('survives a restart', async () => {
    const file = join(dir, 'nested', 'cal.json')
    const c = new Calibration(file, 2)
    const reviews = [
      review(0.7, 'agree'), review(0.7, 'disagree'), review(0.2, 'agree', 'audit')
    ]
    for (const r of reviews) {
      learnFrom(c, r)
    }
    await c.save()

    const again = await new Calibration(file, 2).load()
    expect(again.view()).toEqual(c.view())
    expect(again.agreement(0.75)).toBeCloseTo(0.5)
    expect(again.errorEstimate()).toEqual({ audited: 1, rate: 0 })
  })

  it('starts empty from a missing or broken file', async () => {
    const file = join(dir, 'broken.json')
    await writeFile(file, '{not json')
    const c = await new Calibration(file, 1).load()
    expect(c.view().every((b) => b.reviews === 0)).toBe(true)
  })

  it('estimates the error rate from audited frames only', () => {
    const c = new Calibration(null, 1)
    learnFrom(c, review(0.9, 'disagree', 'audit'))
    learnFrom(c, review(0.9, 'partial', 'audit'))
    learnFrom(c, review(0.9, 'agree', 'audit'))
    learnFrom(c, review(0.9, 'agree', 'audit'))
    // Escalated for low confidence: biased towards hard frames, not counted.
    learnFrom(c, review(0.3, 'disagree'))
    expect(c.errorEstimate()).toEqual({ audited: 4, rate: 0.375 })
  })
})

describe('reviews over the bus', () => {
  const captured = captureLog('feedback-test')
  const topics = createTopics()
  let broker: Broker
  let edge: MqttClient
  let teacher: MqttClient

  beforeAll(async () => {
    broker = await startTestBroker(captured.log)
    const url = `mqtt://127.0.0.1:${broker.mqttPort}`
    edge = await mqtt.connectAsync(url, { clientId: 'edge' })
    teacher = await mqtt.connectAsync(url, { clientId: 'teacher' })
  })

  afterAll(async () => {
    await edge?.endAsync()
    await teacher?.endAsync()
    await broker?.close()
  })

  it('learns from this device\'s reviews, saves them, and drops bad ones', async () => {
    const file = join(dir, 'bus.json')
    const calibration = new Calibration(file, 2)
    const feedback = await watchReviews({
      client: edge, topics, device: 'cam-1', calibration, log: captured.log
    })
    await teacher.publishAsync(topics.reviewResult('cam-1'),
      JSON.stringify(review(0.85, 'disagree')), { qos: 1 })
    await teacher.publishAsync(topics.reviewResult('cam-1'),
      JSON.stringify(review(0.85, 'disagree')), { qos: 1 })
    await teacher.publishAsync(topics.reviewResult('cam-1'), '{"v":1}', { qos: 1 })
    await teacher.publishAsync(topics.reviewResult('cam-2'),
      JSON.stringify(review(0.85, 'agree')), { qos: 1 })

    await expect.poll(() => feedback.reviews + feedback.invalid).toBe(3)
    await feedback.settled()
    expect(feedback.invalid).toBe(1)
    expect((await new Calibration(file, 2).load()).agreement(0.85)).toBeCloseTo(0.25)
    expect(captured.lines).toContainEqual(expect.objectContaining({
      level: 40, msg: 'review dropped, invalid payload', topic: 'reviews/result/cam-1'
    }))
  })
})
