/**
 * Topic builders for the bus contract. Every service and the dashboard build
 * topic strings here and nowhere else.
 */

/** Device and instance names: letters, digits, `_` and `-`, 1 to 64 long. */
export const NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

export interface Topics {
  /** The prefix put before every topic, '' or ending in '/'. */
  readonly prefix: string
  frameEdge (device: string): string
  frameEscalate (device: string): string
  reviewResult (device: string): string
  status (service: string, instance: string): string
  readonly skillsUpdated: string
  readonly upskillRequest: string
  readonly upskillProgress: string
  /** Wildcard filters for subscribers. */
  readonly filters: {
    readonly frameEdge: string
    readonly frameEscalate: string
    readonly reviewResult: string
    readonly status: string
  }
  /** Which per-device topic this is and for which device, or null. */
  parse (topic: string): DeviceTopic | null
}

/** A per-device topic taken apart. */
export interface DeviceTopic {
  kind: 'frameEdge' | 'frameEscalate' | 'reviewResult'
  device: string
}

/**
 * Normalise a `TOPIC_PREFIX`: '' stays '', 'hub1' and 'hub1/' both become
 * 'hub1/'. A prefix must not hold MQTT wildcards (MQTT-4.7.1-1).
 */
export function normalisePrefix (prefix: string): string {
  if (prefix === '') return ''
  if (/[#+]/.test(prefix)) {
    throw new TypeError(`TOPIC_PREFIX ${prefix} holds a wildcard; ` +
      'use letters, digits, "-", "_" and "/" only')
  }
  return prefix.endsWith('/') ? prefix : prefix + '/'
}

function checkName (kind: string, name: string): string {
  if (!NAME_PATTERN.test(name)) {
    throw new TypeError(`${kind} name ${JSON.stringify(name)} is not ` +
      'allowed; use 1 to 64 letters, digits, "_" or "-"')
  }
  return name
}

/** Build the topics for one hub, with an optional prefix. */
export function createTopics (prefix = ''): Topics {
  const p = normalisePrefix(prefix)
  const frameEdge = `${p}frames/edge/`
  const frameEscalate = `${p}frames/escalate/`
  const reviewResult = `${p}reviews/result/`

  return {
    prefix: p,
    frameEdge: (device) => frameEdge + checkName('device', device),
    frameEscalate: (device) => frameEscalate + checkName('device', device),
    reviewResult: (device) => reviewResult + checkName('device', device),
    status: (service, instance) =>
      `${p}status/${checkName('service', service)}/` +
      checkName('instance', instance),
    skillsUpdated: `${p}skills/updated`,
    upskillRequest: `${p}upskill/request`,
    upskillProgress: `${p}upskill/progress`,
    filters: {
      frameEdge: frameEdge + '+',
      frameEscalate: frameEscalate + '+',
      reviewResult: reviewResult + '+',
      status: `${p}status/+/+`
    },
    parse (topic) {
      const bases = { frameEdge, frameEscalate, reviewResult } as const
      for (const [kind, base] of Object.entries(bases)) {
        if (!topic.startsWith(base)) continue
        const device = topic.slice(base.length)
        if (!NAME_PATTERN.test(device)) return null
        return { kind: kind as DeviceTopic['kind'], device }
      }
      return null
    }
  }
}
