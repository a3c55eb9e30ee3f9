import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import mqtt, { type MqttClient } from 'mqtt'
import { HubError, ErrorCodes } from '@gemmaedge/shared'
import { createVisionModel, type VisionModel } from '@gemmaedge/shared/vision'
import type { Broker } from '../../../broker/src/broker.ts'
import type { Frame, FrameSource } from '../src/frame-source.ts'
import { captureLog, startTestBroker, testEdgeSensor } from '../../../test/support.ts'

/** A camera that fails a few times, then gives one unreadable frame, then ends. */
function flakyCamera (failures: number): FrameSource {
  let calls = 0
  return {
    async next (): Promise<Frame | null> {
      calls++
      if (calls <= failures) throw new HubError(ErrorCodes.SOURCE_UNAVAILABLE, 'camera unplugged')
      if (calls === failures + 1) {
        return { bytes: Buffer.from('not an image'), source: 'cam', capturedAt: new Date() }
      }
      return null
    },
    async close () {}
  }
}

describe('edge sensor loop', () => {
  const captured = captureLog('edge-loop-test')
  let broker: Broker
  let client: MqttClient
  let model: VisionModel

  beforeAll(async () => {
    broker = await startTestBroker(captured.log)
    client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.mqttPort}`)
    model = await createVisionModel({ backend: 'detector', role: 'student' })
  })
  afterAll(async () => {
    await client?.endAsync()
    await broker?.close()
    await model?.close()
  })

  it('backs off a failing camera and survives a bad frame', async () => {
    const sensor = testEdgeSensor({
      source: flakyCamera(3),
      model,
      client,
      log: captured.log,
      sensor: { maxPendingEscalations: 1 }
    })
    await sensor.start()

    const failures = captured.lines.filter((l) => l.msg === 'frame capture failed')
    expect(failures.map((l) => l.retryMs)).toEqual([500, 1000, 2000])
    expect(captured.lines).toContainEqual(expect.objectContaining({
      msg: 'frame not analysed', err: expect.objectContaining({ code: 'IMAGE_INVALID' })
    }))
    expect(sensor.stats).toMatchObject({ seen: 1, analysed: 0, failed: 4 })
  })
})
