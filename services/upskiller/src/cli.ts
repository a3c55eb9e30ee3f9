/**
 * `npm run upskill -- [command] [options]`: run upskilling once with a
 * progress bar, list the stored skill versions, or publish one again.
 */
import mqtt, { type MqttClient } from 'mqtt'
import { HubError, ErrorCodes, createTopics, type Topics } from '@gemmaedge/shared'
import { createLogger, describeConfig, loadConfig, type Logger } from '@gemmaedge/shared/node'
import { UpskillConfigSchema, UPSKILL_FLAGS, type UpskillConfig } from './config.ts'
import { currentSkill, trackSkills } from './current-skill.ts'
import { barProgress, busProgress, fanOut } from './progress.ts'
import { formatRun, formatSkills } from './score-table.ts'
import { SkillLibrary, builtinSkill } from './skill-library.ts'
import { runUpskill } from './upskill-run.ts'
import { checkModels } from './model-check.ts'

const USAGE = `Usage: npm run upskill -- [command] [options]

Commands:
  run                 write, score and maybe publish a better skill (default)
  list                list the stored skill versions
  rollback <version>  publish a stored version again (also: builtin)
  help                this text

Options (each also an environment variable):
  --hub URL  --candidates N  --cases FILE[,FILE]  --max-cases N
  --min-gain X  --seed N  --teacher MODEL  --student MODEL  --dry-run

Settings:
`

interface Command {
  name: string
  args: string[]
  rest: string[]
}

/** The command and its positional arguments come first; options after. */
function readCommand (argv: string[]): Command {
  const words: string[] = []
  while (words.length < 2 && argv[words.length]?.startsWith('-') === false) {
    words.push(argv[words.length] as string)
  }
  const [name = 'run', ...args] = words
  return { name, args, rest: argv.slice(words.length) }
}

async function main (argv: string[]): Promise<number> {
  const command = readCommand(argv)
  if (command.name === 'help' || command.rest.includes('--help')) {
    process.stdout.write(USAGE + describeConfig(UpskillConfigSchema, UPSKILL_FLAGS) + '\n')
    return 0
  }
  const config = loadConfig(UpskillConfigSchema, { argv: command.rest, flags: UPSKILL_FLAGS })
  const log = createLogger({ name: 'upskill', level: process.env.LOG_LEVEL ?? 'warn' })
  const library = new SkillLibrary(config.SKILLS_DIR)

  if (command.name === 'list') {
    process.stdout.write(formatSkills([builtinSkill(), ...await library.list()]) + '\n')
    return 0
  }
  if (command.name === 'rollback') return rollback(config, library, command.args[0], log)
  if (command.name === 'run') return run(config, library, log)
  process.stderr.write(`unknown command ${JSON.stringify(command.name)}\n\n${USAGE}`)
  return 2
}

// Limitation: a run from here does not know of one the service is doing;
// both may publish, the later one's skill is the one retained.
async function run (config: UpskillConfig, library: SkillLibrary, log: Logger): Promise<number> {
  // The models first: without them there is nothing to run, broker or not.
  await checkModels({
    host: config.OLLAMA_HOST,
    teacherModel: config.TEACHER_MODEL,
    studentModel: config.STUDENT_MODEL,
    studentTimeoutMs: config.STUDENT_TIMEOUT_MS
  })
  const { client, topics } = await connect(config)
  const bar = barProgress()
  try {
    const tracker = await trackSkills(client, topics, log)
    const fromBus = await tracker.waitForRetained(config.RETAINED_WAIT_MS)
    const current = await currentSkill(fromBus, config.SKILL_FILE)
    await library.remember(current)
    const result = await runUpskill({
      config, request: { v: 1 }, current, client, topics, library, log,
      progress: fanOut(bar.progress, busProgress(client, topics, log))
    })
    bar.stop()
    process.stdout.write(`\ncurrent skill: ${current.version}\n${formatRun(result)}\n`)
    return 0
  } finally {
    bar.stop()
    await client.endAsync()
  }
}

async function rollback (
  config: UpskillConfig, library: SkillLibrary, version: string | undefined, log: Logger
): Promise<number> {
  if (version === undefined) {
    process.stderr.write('rollback needs a version: npm run upskill -- rollback <version>\n')
    return 2
  }
  const skill = await library.get(version)
  const { client, topics } = await connect(config)
  try {
    await library.publish(client, topics, skill)
    log.info({ version }, 'skill published again')
    process.stdout.write(`published ${skill.version} on ${topics.skillsUpdated} (retained)\n`)
    return 0
  } finally {
    await client.endAsync()
  }
}

/** A plain client without retries: the command line says so and stops. */
async function connect (config: UpskillConfig): Promise<{ client: MqttClient, topics: Topics }> {
  try {
    const client = await mqtt.connectAsync(config.MQTT_URL, {
      clientId: `upskill-cli-${process.pid}`,
      connectTimeout: config.BROKER_TIMEOUT_MS,
      reconnectPeriod: 0
    }, false)
    return { client, topics: createTopics(config.TOPIC_PREFIX) }
  } catch (err) {
    const message = (err as Error).message
    const what = /timeout/i.test(message)
      ? `did not accept a connection in ${config.BROKER_TIMEOUT_MS} ms`
      : `could not be reached (${message})`
    throw new HubError(ErrorCodes.BROKER_UNREACHABLE,
      `MQTT_URL ${config.MQTT_URL} ${what}; is the hub's broker running (npm start)?`,
      { cause: err })
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  // A HubError's message says what to fix; anything else is a bug.
  if (err instanceof HubError) process.stderr.write(`${err.code}: ${err.message}\n`)
  else process.stderr.write(`${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
