import { PassThrough } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import mqtt, { type MqttClient } from 'mqtt'
import { createLogger } from '@gemmaedge/shared/node'
import { startBroker, type Broker } from '../src/broker.ts'

interface LogLine { level: number, msg: string, [key: string]: unknown }

/** A logger whose JSON lines land in `lines`, parsed. */
function captureLogger (): { log: ReturnType<typeof createLogger>, lines: LogLine[] } {
  const lines: LogLine[] = []
  const stream = new PassThrough()
  let rest = ''
  stream.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n')
    rest = parts.pop() ?? ''
    for (const part of parts) if (part !== '') lines.push(JSON.parse(part))
  })
  return { log: createLogger({ name: 'broker', destination: stream }), lines }
}

// mqtt.js types its client as its own typed emitter, which node:events
// `once` does not accept.
function once (client: MqttClient, event: 'connect' | 'close' | 'message'):
Promise<unknown[]> {
  return new Promise((resolve) => {
    client.once(event, (...args: unknown[]) => resolve(args))
  })
}

async function connect (url: string, clientId: string): Promise<MqttClient> {
  const client = mqtt.connect(url, { clientId, reconnectPeriod: 0 })
  await once(client, 'connect')
  return client
}

describe('broker', () => {
  let broker: Broker
  let lines: LogLine[]
  const clients: MqttClient[] = []

  beforeEach(async () => {
    const captured = captureLogger()
    lines = captured.lines
    broker = await startBroker({
      mqttPort: 0, wsPort: 0, host: '127.0.0.1', log: captured.log,
      maxPayloadBytes: 1024
    })
  })

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)))
    await broker.close()
  })

  it('binds real ports when asked for port 0', () => {
    expect(broker.mqttPort).toBeGreaterThan(0)
    expect(broker.wsPort).toBeGreaterThan(0)
    expect(broker.wsPort).not.toBe(broker.mqttPort)
    expect(lines).toContainEqual(expect.objectContaining({
      msg: 'broker listening', mqttPort: broker.mqttPort, wsPort: broker.wsPort
    }))
  })

  it('carries a message from a TCP client to a WebSocket client', async () => {
    const tcp = await connect(`mqtt://127.0.0.1:${broker.mqttPort}`, 'tcp-1')
    const ws = await connect(`ws://127.0.0.1:${broker.wsPort}`, 'ws-1')
    clients.push(tcp, ws)

    await ws.subscribeAsync('frames/edge/+', { qos: 1 })
    const received = once(ws, 'message')
    await tcp.publishAsync('frames/edge/cam-1', '{"v":1}', { qos: 1 })

    const [topic, payload] = await received as [string, Buffer]
    expect({ topic, payload: payload.toString() })
      .toEqual({ topic: 'frames/edge/cam-1', payload: '{"v":1}' })
  })

  it('logs client connects and disconnects with the client id', async () => {
    const tcp = await connect(`mqtt://127.0.0.1:${broker.mqttPort}`, 'tcp-2')
    const ws = await connect(`ws://127.0.0.1:${broker.wsPort}`, 'ws-2')

    await expect.poll(() => lines.filter((l) => l.msg === 'client connected'))
      .toEqual([
        expect.objectContaining({ level: 30, clientId: 'tcp-2' }),
        expect.objectContaining({ level: 30, clientId: 'ws-2' })
      ])

    await tcp.endAsync()
    await ws.endAsync()
    await expect.poll(() => lines
      .filter((l) => l.msg === 'client disconnected')
      .map((l) => l.clientId).sort()).toEqual(['tcp-2', 'ws-2'])
  })

  it('drops a client that publishes over the payload limit', async () => {
    const tcp = await connect(`mqtt://127.0.0.1:${broker.mqttPort}`, 'big-1')
    clients.push(tcp)

    const closed = once(tcp, 'close')
    tcp.publish('frames/edge/cam-1', Buffer.alloc(2048))
    await closed

    await expect.poll(() => lines.find((l) => l.msg === 'client error'))
      .toMatchObject({ level: 40, clientId: 'big-1' })
  })

  it('closes with clients still connected', async () => {
    const tcp = await connect(`mqtt://127.0.0.1:${broker.mqttPort}`, 'tcp-3')
    const ws = await connect(`ws://127.0.0.1:${broker.wsPort}`, 'ws-3')
    clients.push(tcp, ws)
    const both = Promise.all([once(tcp, 'close'), once(ws, 'close')])

    await broker.close()
    await both
    expect(broker.aedes.closed).toBe(true)
  })
})
