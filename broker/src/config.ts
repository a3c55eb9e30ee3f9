/**
 * Broker configuration: where it listens and how big a message may be.
 */
import { z } from 'zod'

const Port = z.coerce.number().int().min(0).max(65535)

export const BrokerConfigSchema = z.object({
  MQTT_PORT: Port.default(1883)
    .describe('TCP port for MQTT clients, 0 to pick a free one; default 1883'),
  MQTT_WS_PORT: Port.default(9001)
    .describe('TCP port for MQTT over WebSocket (the dashboard), 0 to ' +
      'pick a free one; default 9001'),
  MQTT_HOST: z.string().min(1).default('0.0.0.0')
    .describe('address both listeners bind to, 127.0.0.1 for this machine ' +
      'only; default 0.0.0.0 (every interface)'),
  MAX_PAYLOAD_BYTES: z.coerce.number().int().positive()
    .default(8 * 1024 * 1024)
    .describe('largest PUBLISH payload accepted, in bytes; a client that ' +
      'sends more is disconnected; default 8388608 (8 MiB)')
})

export type BrokerConfig = z.infer<typeof BrokerConfigSchema>

/** Command-line flags, each setting one key of the schema. */
export const brokerFlags = {
  port: { key: 'MQTT_PORT' },
  'ws-port': { key: 'MQTT_WS_PORT' },
  host: { key: 'MQTT_HOST' },
  'max-payload-bytes': { key: 'MAX_PAYLOAD_BYTES' }
}
