/**
 * `npm start`: the whole hub on one machine. Starts the broker, the
 * teacher-reviewer, the dashboard, the upskiller and one edge sensor playing
 * the sample frames, each as its own process, prints where the dashboard is, and stops
 * all of them on Ctrl-C or when one fails.
 *
 * Every setting of every service still comes from the environment, so
 * `MODEL_BACKEND=ollama npm start` or `FPS=2 npm start` work as expected.
 */
import concurrently from 'concurrently'

const mqttPort = process.env.MQTT_PORT ?? '1883'
const port = process.env.DASHBOARD_PORT ?? '8000'

const env = {
  // The children write to a pipe, not a terminal: keep their lines readable.
  LOG_FORMAT: process.env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json'),
  // The services find the broker this script starts, on whatever port.
  MQTT_URL: process.env.MQTT_URL ?? `mqtt://127.0.0.1:${mqttPort}`,
  // The samples are unrelated photographs, each a scene change: at one
  // frame every 2 s the escalations stay within the default budget.
  FPS: process.env.FPS ?? '0.5'
}

const services = [
  { name: 'broker', command: 'tsx broker/src/main.ts', prefixColor: 'cyan' },
  { name: 'teacher', command: 'tsx services/teacher-reviewer/src/main.ts', prefixColor: 'magenta' },
  { name: 'dashboard', command: 'tsx services/dashboard/server/main.ts', prefixColor: 'green' },
  { name: 'upskiller', command: 'tsx services/upskiller/src/main.ts', prefixColor: 'blue' },
  { name: 'edge', command: 'tsx services/edge-sensor/src/main.ts', prefixColor: 'yellow' }
]

process.stdout.write([
  '',
  `  GemmaEdge Hub: dashboard at http://localhost:${port}`,
  `  MQTT on mqtt://localhost:${mqttPort}; try: mosquitto_sub -p ${mqttPort} -t 'frames/edge/+'`,
  '  Ctrl-C stops everything.',
  ''
].join('\n') + '\n')

const { result } = concurrently(
  services.map((s) => ({ ...s, env })),
  { killOthersOn: ['failure'], prefix: 'name', padPrefix: true, restartTries: 0 }
)

// npm runs this script under `sh -c`, and a SIGTERM sent to npm ends that
// shell without passing the signal on. Notice the parent is gone and stop.
const parent = process.ppid
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM')
}, 1000).unref()

result.then(
  () => process.exit(0),
  // Ctrl-C ends the children with a signal, which counts as a failure.
  () => process.exit(process.exitCode ?? 0)
)
