/**
 * What the edge learns from the reviews of its own frames: the calibration
 * of its confidence, and from audited frames alone (chosen without looking
 * at the answer) an unbiased estimate of how often the student is wrong.
 */
import type { MqttClient } from 'mqtt'
import type { Logger } from 'pino'
import { ReviewSchema, parsePayload, type Review, type Topics } from '@gemmaedge/shared'
import type { Calibration } from './calibration.ts'

export interface FeedbackOptions {
  client: MqttClient
  topics: Topics
  device: string
  calibration: Calibration
  log: Logger
}

export interface Feedback {
  readonly reviews: number
  readonly invalid: number
  /** Resolves when what was learnt so far is saved. */
  settled (): Promise<void>
}

/** Apply one review to the calibration; true when it taught anything. */
export function learnFrom (calibration: Calibration, review: Review): boolean {
  const { confidence } = review.edge
  const audited = [review.reason, ...review.reasons].some((r) => r.kind === 'audit')
  if (audited) calibration.recordAudit(review.verdict)
  if (confidence === null) return audited
  calibration.record(confidence, review.verdict)
  return true
}

/** Subscribe to this device's reviews and learn from each. */
export async function watchReviews (o: FeedbackOptions): Promise<Feedback> {
  const log = o.log.child({ component: 'feedback' })
  const topic = o.topics.reviewResult(o.device)
  let reviews = 0
  let invalid = 0
  let saving = Promise.resolve()

  o.client.on('message', (t, payload) => {
    if (t !== topic) return
    const parsed = parsePayload(ReviewSchema, payload)
    if (!parsed.ok) {
      invalid++
      log.warn({ topic, reason: parsed.reason, invalid }, 'review dropped, invalid payload')
      return
    }
    reviews++
    if (!learnFrom(o.calibration, parsed.value)) return
    log.debug({ verdict: parsed.value.verdict }, 'calibration updated')
    saving = saving.then(() => o.calibration.save())
      .catch((err: unknown) =>
        log.error({ err, file: o.calibration.file }, 'calibration not saved'))
  })
  await o.client.subscribeAsync(topic, { qos: 1 })

  return {
    get reviews () { return reviews },
    get invalid () { return invalid },
    settled: () => saving
  }
}
