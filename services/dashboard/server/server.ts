/**
 * The dashboard's HTTP server: the production build from `dist/`, and
 * `/config.json` telling the browser where the broker is.
 */
import {
  createServer, type IncomingMessage, type ServerResponse
} from 'node:http'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import sirv from 'sirv'
import type { Logger } from 'pino'
import { HubError, ErrorCodes } from '@gemmaedge/shared'

/** The build is missing: `npm run build` has not run. */
export const DIST_MISSING = 'DIST_MISSING'

/** Broker WebSocket port assumed when no `mqttWsUrl` is given. */
export const DEFAULT_MQTT_WS_PORT = 9001

export interface DashboardOptions {
  /** HTTP port; 0 picks a free one. */
  port: number
  host: string
  /** The Vite build output, holding index.html. */
  distDir: string
  /** Broker URL for the browser; default ws://<request host>:<mqttWsPort>. */
  mqttWsUrl?: string
  /** The broker's WebSocket port, for the default URL; default 9001. */
  mqttWsPort?: number
  topicPrefix: string
  log: Logger
}

export interface Dashboard {
  /** The bound port, the real one when 0 was asked for. */
  port: number
  /** `http://host:port/`, with 127.0.0.1 for a wildcard host. */
  url: string
  close (): Promise<void>
}

/** Serve the dashboard; resolves once the port is bound. */
export async function startDashboard (
  options: DashboardOptions
): Promise<Dashboard> {
  const { distDir, log } = options
  if (!existsSync(join(distDir, 'index.html'))) {
    throw new HubError(DIST_MISSING, `dashboard build ${distDir} has no ` +
      'index.html; run npm run build -w services/dashboard first')
  }

  const assets = sirv(distDir, {
    etag: true,
    setHeaders: cacheHeaders,
    onNoMatch: (_req, res) => send(res, 404, 'text/plain', 'not found\n')
  })

  const server = createServer((req, res) => {
    log.debug({ method: req.method, url: req.url }, 'request')
    res.setHeader('X-Content-Type-Options', 'nosniff')
    if (req.url?.split('?')[0] === '/config.json') {
      const config = browserConfig(req, options)
      return send(res, 200, 'application/json', JSON.stringify(config))
    }
    assets(req, res)
  })

  const port = await listen(server, options.port, options.host)
  const url = `http://${displayHost(options.host)}:${port}/`
  return {
    port,
    url,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }
}

/** What `/config.json` holds: where the browser finds the broker. */
export function browserConfig (req: IncomingMessage,
  options: Pick<DashboardOptions, 'mqttWsUrl' | 'mqttWsPort' | 'topicPrefix'>
): { mqttUrl: string, topicPrefix: string } {
  const port = options.mqttWsPort ?? DEFAULT_MQTT_WS_PORT
  const mqttUrl = options.mqttWsUrl ?? `ws://${requestHostname(req)}:${port}`
  return { mqttUrl, topicPrefix: options.topicPrefix }
}

/** The hostname the page was opened with, so remote browsers work too. */
function requestHostname (req: IncomingMessage): string {
  try {
    return new URL(`http://${req.headers.host ?? ''}`).hostname || 'localhost'
  } catch {
    return 'localhost'
  }
}

// Vite puts a content hash in every file name under assets/, so those can
// be cached for good; index.html must be fetched fresh to find new ones.
function cacheHeaders (res: ServerResponse, pathname: string): void {
  res.setHeader('Cache-Control', pathname.startsWith('/assets/')
    ? 'public, max-age=31536000, immutable'
    : 'no-cache')
}

function send (res: ServerResponse, status: number, type: string,
  body: string): void {
  res.writeHead(status, {
    'Content-Type': `${type}; charset=utf-8`,
    'Cache-Control': 'no-store'
  })
  res.end(body)
}

function listen (server: ReturnType<typeof createServer>, port: number,
  host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new HubError(ErrorCodes.LISTEN_FAILED, `DASHBOARD_PORT ${port} on ${host} ` +
        `could not be bound (${err.code ?? err.message}); is the dashboard ` +
        'already running? Stop it or set DASHBOARD_PORT', { cause: err }))
    })
    server.listen(port, host, () => {
      resolve((server.address() as AddressInfo).port)
    })
  })
}

function displayHost (host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}
