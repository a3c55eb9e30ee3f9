/**
 * Entry of the dashboard server: config, logger, serve, stop on a signal.
 */
import { fileURLToPath } from 'node:url'
import { createLogger, loadConfig, runService } from '@gemmaedge/shared/node'
import { DashboardConfigSchema, dashboardFlags } from './config.ts'
import { startDashboard } from './server.ts'

const ABOUT = 'GemmaEdge Hub dashboard: serves the built dashboard.\n' +
  'Usage, from the repository root: npx tsx services/dashboard/server/main.ts [flags]'
const log = createLogger({ name: 'dashboard' })

runService(log, async () => {
  const config = loadConfig(DashboardConfigSchema, {
    about: ABOUT,
    argv: process.argv.slice(2),
    flags: dashboardFlags
  })
  const dashboard = await startDashboard({
    port: config.DASHBOARD_PORT,
    host: config.DASHBOARD_HOST,
    distDir: fileURLToPath(new URL('../dist', import.meta.url)),
    topicPrefix: config.TOPIC_PREFIX,
    mqttWsUrl: config.MQTT_WS_URL,
    mqttWsPort: config.MQTT_WS_PORT,
    log
  })
  log.info({ url: dashboard.url, mqttWsUrl: config.MQTT_WS_URL ?? 'default' },
    'dashboard listening')
  return () => dashboard.close()
})
