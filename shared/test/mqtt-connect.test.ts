import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import mqtt, { type MqttClient } from 'mqtt'
import { StatusSchema, type Status } from '../src/schemas.ts'
import { connectService } from '../src/mqtt-connect.ts'
import type { Broker } from '../../broker/src/broker.ts'
import { captureLog, startTestBroker } from '../../test/support.ts'

describe('connectService', () => {
  const { log } = captureLog('connect-test')
  let broker: Broker
  let watcher: MqttClient
  const seen: Array<{ topic: string, status: Status, retain: boolean }> = []

  beforeAll(async () => {
    broker = await startTestBroker(log)
    watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.mqttPort}`, { clientId: 'w' })
    watcher.on('message', (topic, payload, packet) => {
      const status = StatusSchema.parse(JSON.parse(String(payload)))
      seen.push({ topic, status, retain: packet.retain })
    })
    await watcher.subscribeAsync('hub1/status/+/+', { qos: 1 })
  })

  afterAll(async () => {
    await watcher?.endAsync()
    await broker?.close()
  })

  it('announces online, retained, and offline on a clean close', async () => {
    const c = await connectService({
      url: `mqtt://127.0.0.1:${broker.mqttPort}`, service: 'edge-sensor', instance: 'cam-1',
      version: '1.2.3', log, topicPrefix: 'hub1'
    })
    await expect.poll(() => seen.length).toBe(1)
    await c.close()
    await expect.poll(() => seen.length).toBe(2)
    expect(seen.map((s) => [s.topic, s.status.state, s.status.version])).toEqual([
      ['hub1/status/edge-sensor/cam-1', 'online', '1.2.3'],
      ['hub1/status/edge-sensor/cam-1', 'offline', '1.2.3']
    ])
  })

  it('leaves a will that the broker publishes as offline when the service dies', async () => {
    const c = await connectService({
      url: `mqtt://127.0.0.1:${broker.mqttPort}`, service: 'teacher-reviewer', instance: 't1',
      version: '1', log, topicPrefix: 'hub1', mqtt: { reconnectPeriod: 0 }
    })
    await expect.poll(() => seen.filter((s) => s.topic.endsWith('/t1')).length).toBe(1)
    // Gone without a DISCONNECT, as a crashed process is (MQTT-3.1.2-8).
    c.client.stream.destroy()
    await expect.poll(() => seen.filter((s) => s.topic.endsWith('/t1')).map((s) => s.status.state))
      .toEqual(['online', 'offline'])
    await c.client.endAsync(true)

    // The broker kept the last word: a newcomer sees offline, retained.
    const late = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.mqttPort}`,
      { clientId: 'late' })
    const retained = new Promise<[Status, boolean]>((resolve) => {
      late.on('message', (_t, p, packet) =>
        resolve([StatusSchema.parse(JSON.parse(String(p))), packet.retain]))
    })
    await late.subscribeAsync('hub1/status/teacher-reviewer/t1', { qos: 1 })
    const [status, retain] = await retained
    await late.endAsync()
    expect({ state: status.state, retain }).toEqual({ state: 'offline', retain: true })
  })
})
