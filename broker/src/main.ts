/**
 * Entry of the broker process: config, logger, start, stop on a signal.
 */
import { createLogger, loadConfig, runService } from '@gemmaedge/shared/node'
import { BrokerConfigSchema, brokerFlags } from './config.ts'
import { startBroker } from './broker.ts'

const ABOUT = 'GemmaEdge Hub broker: Aedes on MQTT over TCP and over WebSocket.\n' +
  'Usage, from the repository root: npx tsx broker/src/main.ts [flags]'
const log = createLogger({ name: 'broker' })

runService(log, async () => {
  const config = loadConfig(BrokerConfigSchema, {
    about: ABOUT,
    argv: process.argv.slice(2),
    flags: brokerFlags
  })
  const broker = await startBroker({
    mqttPort: config.MQTT_PORT,
    wsPort: config.MQTT_WS_PORT,
    host: config.MQTT_HOST,
    maxPayloadBytes: config.MAX_PAYLOAD_BYTES,
    log
  })
  return () => broker.close()
})
