/** Entry of the upskiller service: wiring only. */
import { createLogger, loadConfig, connectService, runService } from '@gemmaedge/shared/node'
import { UpskillConfigSchema, UPSKILL_FLAGS } from './config.ts'
import { startUpskillService } from './upskill-service.ts'

const VERSION = '0.1.0'
const ABOUT = 'GemmaEdge Hub upskiller: an upskilling run on each upskill/request.\n' +
  'Usage, from the repository root: npx tsx services/upskiller/src/main.ts [flags]'
const log = createLogger({ name: 'upskiller' })

runService(log, async () => {
  const config = loadConfig(UpskillConfigSchema, {
    about: ABOUT,
    argv: process.argv.slice(2), flags: UPSKILL_FLAGS
  })
  const connection = await connectService({
    url: config.MQTT_URL,
    service: 'upskiller',
    instance: config.INSTANCE,
    version: VERSION,
    topicPrefix: config.TOPIC_PREFIX,
    log
  })
  const service = await startUpskillService({
    client: connection.client, topics: connection.topics, config, log
  })

  return async () => {
    // A run still going is abandoned: publishing is its last step, so no
    // skill goes out half made. Waiting could outlast the stop deadline.
    if (service.running) log.warn('stopping with an upskilling run unfinished')
    await connection.close()
  }
})
