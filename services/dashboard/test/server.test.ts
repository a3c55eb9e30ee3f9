import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '@gemmaedge/shared/node'
import { startDashboard, type Dashboard } from '../server/server.ts'

const sink = new Writable({ write: (_chunk, _enc, done) => done() })
const log = createLogger({ name: 'dashboard', level: 'warn', destination: sink })

interface Answer { status: number, headers: Record<string, unknown>, body: string }

/** GET with a chosen Host header, which fetch does not let us set. */
function get (port: number, path: string, host = `127.0.0.1:${port}`): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => { body += chunk })
        res.on('end', () => resolve({
          status: res.statusCode ?? 0, headers: res.headers, body
        }))
      })
    req.on('error', reject)
    req.end()
  })
}

describe('dashboard server', () => {
  let distDir: string
  let dashboard: Dashboard

  beforeAll(async () => {
    distDir = await mkdtemp(join(tmpdir(), 'dashboard-dist-'))
    await mkdir(join(distDir, 'assets'))
    await writeFile(join(distDir, 'index.html'), '<hub-app></hub-app>')
    await writeFile(join(distDir, 'assets', 'index-abc123.js'), 'export {}')
    dashboard = await startDashboard({
      port: 0, host: '127.0.0.1', distDir, topicPrefix: 'hub1/', log
    })
  })

  afterAll(async () => {
    await dashboard.close()
    await rm(distDir, { recursive: true })
  })

  it('points the browser at port 9001 on the host the page came from', async () => {
    const answer = await get(dashboard.port, '/config.json', 'hub.local:8000')
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body))
      .toEqual({ mqttUrl: 'ws://hub.local:9001', topicPrefix: 'hub1/' })
  })

  it('keeps the brackets of an IPv6 host', async () => {
    const answer = await get(dashboard.port, '/config.json', '[fd00::5]:8000')
    expect(JSON.parse(answer.body)).toMatchObject({ mqttUrl: 'ws://[fd00::5]:9001' })
  })

  it('serves the build, caching hashed assets for good', async () => {
    const page = await get(dashboard.port, '/')
    expect(page).toMatchObject({
      status: 200, body: '<hub-app></hub-app>',
      headers: { 'cache-control': 'no-cache' }
    })

    const asset = await get(dashboard.port, '/assets/index-abc123.js')
    expect(asset.headers['cache-control']).toContain('immutable')
    expect((await get(dashboard.port, '/nope.js')).status).toBe(404)
  })

  it('uses MQTT_WS_URL when given', async () => {
    const other = await startDashboard({
      port: 0, host: '127.0.0.1', distDir, topicPrefix: '', log,
      mqttWsUrl: 'wss://broker.example:443/mqtt'
    })
    const answer = await get(other.port, '/config.json')
    await other.close()
    expect(JSON.parse(answer.body)).toEqual({
      mqttUrl: 'wss://broker.example:443/mqtt', topicPrefix: ''
    })
  })

  it('refuses to start without a build, saying how to make one', async () => {
    await expect(startDashboard({
      port: 0, host: '127.0.0.1', distDir: join(distDir, 'missing'),
      topicPrefix: '', log
    })).rejects.toMatchObject({
      code: 'DIST_MISSING', message: expect.stringContaining('npm run build')
    })
  })
})
