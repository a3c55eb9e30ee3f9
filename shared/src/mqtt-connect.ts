/**
 * Connect a service to the broker with its presence on
 * `status/{service}/{instance}`: online (retained) on every connect, and a
 * will that the broker publishes as offline if the service dies.
 */
import mqtt, { type MqttClient, type IClientOptions } from 'mqtt'
import type { Logger } from 'pino'
import { createTopics, type Topics } from './topics.ts'
import type { Status } from './schemas.ts'

export interface ServiceConnectOptions {
  url: string
  service: string
  instance: string
  version: string
  log: Logger
  topicPrefix?: string
  /** Extra mqtt.js options (clientId, clean, handleMessage ...). */
  mqtt?: IClientOptions
}

export interface ServiceConnection {
  client: MqttClient
  topics: Topics
  /** Publish offline, then close the connection. */
  close (): Promise<void>
}

function statusPayload (o: ServiceConnectOptions, state: Status['state']): string {
  const status: Status = {
    v: 1,
    service: o.service,
    instance: o.instance,
    state,
    version: o.version,
    at: new Date().toISOString()
  }
  return JSON.stringify(status)
}

/**
 * Connect and announce. Resolves once the first connection is up; mqtt.js
 * reconnects on its own after that and online is published again each time.
 */
export async function connectService (o: ServiceConnectOptions): Promise<ServiceConnection> {
  const topics = createTopics(o.topicPrefix)
  const statusTopic = topics.status(o.service, o.instance)
  const log = o.log.child({ component: 'mqtt' })

  const client = mqtt.connect(o.url, {
    clientId: `${o.service}-${o.instance}`,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    will: {
      topic: statusTopic,
      payload: Buffer.from(statusPayload(o, 'offline')),
      qos: 1,
      retain: true
    },
    ...o.mqtt
  })

  // mqtt.js retries every second: say a failure once, not once a second.
  let lastError = ''
  client.on('connect', () => {
    lastError = ''
    log.info({ url: o.url, clientId: client.options.clientId }, 'connected')
    client.publish(statusTopic, statusPayload(o, 'online'), { qos: 1, retain: true })
  })
  client.on('reconnect', () => log.debug({ url: o.url }, 'reconnecting'))
  client.on('offline', () => log.debug({ url: o.url }, 'offline'))
  client.on('error', (err) => {
    const reason = err.message
    if (reason === lastError) return log.debug({ url: o.url, reason }, 'mqtt error')
    lastError = reason
    log.warn({ url: o.url, reason }, 'broker unreachable, retrying every second')
  })

  await new Promise<void>((resolve) => client.once('connect', () => resolve()))

  return {
    client,
    topics,
    async close () {
      if (client.connected) {
        await client.publishAsync(statusTopic, statusPayload(o, 'offline'),
          { qos: 1, retain: true }).catch(() => {})
      }
      await client.endAsync()
    }
  }
}
