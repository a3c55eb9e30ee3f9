/**
 * The hub's MQTT broker: one Aedes instance behind two listeners, plain
 * MQTT over TCP for the services and MQTT over WebSocket for the browser.
 */
import type { AddressInfo } from 'node:net'
import { Aedes, type AedesOptions } from 'aedes'
import { createServer } from 'aedes-server-factory'
import type { Logger } from 'pino'
import { HubError, ErrorCodes } from '@gemmaedge/shared'

/** Default for `maxPayloadBytes`: 8 MiB, room for a full-size frame. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 8 * 1024 * 1024


export interface BrokerOptions {
  /** TCP port for MQTT; 0 picks a free one. */
  mqttPort: number
  /** TCP port for MQTT over WebSocket; 0 picks a free one. */
  wsPort: number
  /** Address both listeners bind to. */
  host: string
  log: Logger
  /** Largest PUBLISH payload accepted; default 8 MiB. */
  maxPayloadBytes?: number
}

export interface Broker {
  /** The bound TCP port, the real one when 0 was asked for. */
  mqttPort: number
  /** The bound WebSocket port. */
  wsPort: number
  aedes: Aedes
  /** Disconnect every client and close both listeners. */
  close (): Promise<void>
}

type Server = ReturnType<typeof createServer>

/** Start Aedes and both listeners; resolves once both are bound. */
export async function startBroker (options: BrokerOptions): Promise<Broker> {
  const log = options.log
  const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES
  const aedes = await Aedes.createBroker({
    authorizePublish: limitPayload(maxPayloadBytes)
  })
  watchClients(aedes, log)

  const tcp = createServer(aedes)
  const ws = createServer(aedes, {
    ws: true,
    customWSErrorHandler: (err) => log.warn({ err }, 'websocket error')
  })

  let mqttPort: number
  let wsPort: number
  try {
    mqttPort = await listen(tcp, options.mqttPort, options.host, 'MQTT_PORT')
    wsPort = await listen(ws, options.wsPort, options.host, 'MQTT_WS_PORT')
  } catch (err) {
    await closeAll(aedes, [tcp, ws])
    throw err
  }

  log.info({ mqttPort, wsPort, host: options.host, maxPayloadBytes },
    'broker listening')

  return {
    mqttPort,
    wsPort,
    aedes,
    close: () => closeAll(aedes, [tcp, ws])
  }
}

/**
 * Refuse oversized payloads. MQTT 3.1.1 has no way to tell the publisher
 * (MQTT-3.3.5-2), so Aedes drops the connection and emits `clientError`.
 * The `$SYS/` guard repeats Aedes' default, which this handler replaces.
 */
function limitPayload (maxBytes: number): AedesOptions['authorizePublish'] {
  return (_client, packet, callback) => {
    if (packet.topic.startsWith('$SYS/')) {
      callback(new Error('$SYS/ topic is reserved'))
      return
    }
    const bytes = packet.payload.length
    if (bytes > maxBytes) {
      callback(new Error(`payload of ${bytes} bytes on ${packet.topic} is ` +
        `over MAX_PAYLOAD_BYTES ${maxBytes}`))
      return
    }
    callback(null)
  }
}

function watchClients (aedes: Aedes, log: Logger): void {
  aedes.on('client', (client) => {
    log.info({ clientId: client.id }, 'client connected')
  })
  aedes.on('clientDisconnect', (client) => {
    log.info({ clientId: client.id }, 'client disconnected')
  })
  aedes.on('clientError', (client, err) => {
    log.warn({ clientId: client.id, err }, 'client error')
  })
  aedes.on('connectionError', (client, err) => {
    log.warn({ clientId: client.id, err }, 'connection error')
  })
}

function listen (server: Server, port: number, host: string,
  key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(new HubError(ErrorCodes.LISTEN_FAILED, `${key} ${port} on ${host} could ` +
        `not be bound (${err.code ?? err.message}); is another broker ` +
        `running? Stop it or set ${key}`, { cause: err }))
    }
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

async function closeAll (aedes: Aedes, servers: Server[]): Promise<void> {
  // Aedes first: it ends every client, so the servers have no open
  // sockets left to wait for.
  await new Promise<void>((resolve) => aedes.close(() => resolve()))
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => {
    if (!server.listening) {
      resolve()
      return
    }
    server.close(() => resolve())
    if ('closeAllConnections' in server) server.closeAllConnections()
  })))
}
