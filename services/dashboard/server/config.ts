/**
 * Dashboard server configuration: where it listens and what it tells the
 * browser about the broker.
 */
import { z } from 'zod'
import { normalisePrefix } from '@gemmaedge/shared'

export const DashboardConfigSchema = z.object({
  DASHBOARD_PORT: z.coerce.number().int().min(0).max(65535).default(8000)
    .describe('HTTP port of the dashboard, 0 to pick a free one; ' +
      'default 8000'),
  DASHBOARD_HOST: z.string().min(1).default('0.0.0.0')
    .describe('address the dashboard binds to, 127.0.0.1 for this machine ' +
      'only; default 0.0.0.0 (every interface)'),
  MQTT_WS_URL: z.url({ protocol: /^wss?$/, error: 'expected a ws:// or ' +
    'wss:// URL' }).optional()
    .describe('broker WebSocket URL the browser connects to, e.g. ' +
      'ws://hub.local:9001; default ws://<the host the page was opened ' +
      'from>:9001'),
  MQTT_WS_PORT: z.coerce.number().int().min(1).max(65535).default(9001)
    .describe('the broker\'s WebSocket port, for the default MQTT_WS_URL; ' +
      'default 9001'),
  TOPIC_PREFIX: z.string().default('')
    .refine((p) => !/[#+]/.test(p), 'must not hold the wildcards + or #')
    .transform(normalisePrefix)
    .describe('prefix put before every topic, the same as the other ' +
      'services use; default empty')
})

export type DashboardConfig = z.infer<typeof DashboardConfigSchema>

/** Command-line flags, each setting one key of the schema. */
export const dashboardFlags = {
  port: { key: 'DASHBOARD_PORT' },
  host: { key: 'DASHBOARD_HOST' },
  'mqtt-ws-url': { key: 'MQTT_WS_URL' },
  'topic-prefix': { key: 'TOPIC_PREFIX' }
}
