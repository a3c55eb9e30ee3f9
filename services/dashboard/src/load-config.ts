/**
 * Where the browser finds the broker: `/config.json`, written by the
 * dashboard server so one build works on every host.
 */

export interface DashboardConfig {
  /** Broker WebSocket URL, `ws://host:9001`. */
  mqttUrl: string
  /** `TOPIC_PREFIX` of the hub, '' for none. */
  topicPrefix: string
}

export async function loadConfig (
  url = '/config.json'
): Promise<DashboardConfig> {
  const res = await fetch(url, { cache: 'no-store' })
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`)

  const body = await res.json() as Partial<DashboardConfig>
  if (typeof body.mqttUrl !== 'string' || body.mqttUrl === '') {
    throw new Error(`${url} has no mqttUrl`)
  }
  return { mqttUrl: body.mqttUrl, topicPrefix: body.topicPrefix ?? '' }
}
