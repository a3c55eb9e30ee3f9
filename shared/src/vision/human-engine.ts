/**
 * The embedded detector's engine: one @vladmandic/human instance per process
 * on the tfjs WASM backend, with its weights read from the installed
 * package. Nothing is fetched from the network.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Config, Human, Result } from '@vladmandic/human'
import sharp from 'sharp'
import { HubError, ErrorCodes } from '../errors.ts'

const require = createRequire(import.meta.url)

/** Frames are scaled down to this side first: the models see 256 to 512 px. */
const MAX_FRAME_SIDE = 1280

/** Where the installed packages keep what the engine loads from disk. */
export function enginePaths (): { modelsDir: string, wasmDir: string } {
  // `require.resolve` finds the files without loading them; the package
  // root is two levels above Human's Node entry point.
  const humanRoot = path.dirname(path.dirname(require.resolve('@vladmandic/human')))
  const wasmEntry = require.resolve('@tensorflow/tfjs-backend-wasm')
  return {
    modelsDir: path.join(humanRoot, 'models'),
    wasmDir: path.dirname(wasmEntry) + path.sep
  }
}

/** Settings every profile shares; each profile turns its models on. */
function baseConfig (): Partial<Config> {
  const { modelsDir, wasmDir } = enginePaths()
  const off = { enabled: false }
  return {
    backend: 'wasm',
    // The WASM backend reads its .wasm with fs in Node when given a path.
    wasmPath: wasmDir,
    wasmPlatformFetch: false,
    modelBasePath: pathToFileURL(modelsDir).href + '/',
    debug: false,
    warmup: 'none',
    cacheModels: false,
    // Frames are separate pictures, not video: never reuse a past result.
    cacheSensitivity: 0,
    skipAllowed: false,
    filter: { enabled: false },
    face: off,
    body: off,
    hand: off,
    object: off,
    gesture: off,
    segmentation: off
  }
}

/**
 * One Human shared by every detector in the process. Calls run one at a
 * time: Human merges each call's config into its own, so two calls with
 * different profiles must not overlap (and WASM runs on one thread anyway).
 */
export class HumanEngine {
  private queue: Promise<unknown> = Promise.resolve()

  constructor (private readonly human: Human) {}

  /** Load the models a profile turns on; models already loaded stay. */
  async load (config: Partial<Config>): Promise<void> {
    return this.serial(async () => this.human.load(config))
  }

  /** Run a profile on RGB pixels. */
  async detect (frame: RgbFrame, config: Partial<Config>): Promise<Result> {
    return this.serial(async () => {
      const tf = this.human.tf
      const input = tf.tensor3d(frame.data, [frame.height, frame.width, 3], 'int32')
      try {
        return await this.human.detect(input, config)
      } finally {
        tf.dispose(input)
      }
    })
  }

  private async serial<T> (task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task)
    this.queue = run.catch(() => undefined)
    return run
  }
}

let shared: Promise<HumanEngine> | undefined

/** The process's engine, made on first use: the backend starts only once. */
export async function getHumanEngine (): Promise<HumanEngine> {
  shared ??= startEngine().catch((err: unknown) => {
    shared = undefined
    throw err
  })
  return shared
}

async function startEngine (): Promise<HumanEngine> {
  const { Human: HumanClass } = require(
    path.join(path.dirname(require.resolve('@vladmandic/human')), 'human.node-wasm.js')
  ) as { Human: new (config?: Partial<Config>) => Human }

  const human = new HumanClass(baseConfig())
  registerModelReader(human, enginePaths().modelsDir)
  await human.load()
  return new HumanEngine(human)
}

const readerDirs = new Set<string>()

/**
 * Let tfjs load `file://` model URLs under `modelsDir`. tfjs-core has no
 * file system handler of its own (that comes with tfjs-node), and Node's
 * fetch refuses file:// URLs, so without this every model load fails.
 */
function registerModelReader (human: Human, modelsDir: string): void {
  if (readerDirs.has(modelsDir)) return
  readerDirs.add(modelsDir)

  const tf = human.tf
  const prefix = pathToFileURL(modelsDir).href + '/'
  tf.io.registerLoadRouter((url: unknown) => {
    if (typeof url !== 'string' || !url.startsWith(prefix)) return null
    return { load: async () => readModel(tf, fileURLToPath(url)) }
  })
}

interface WeightGroup { paths: string[], weights: unknown[] }

/** A tfjs graph model (model.json plus its .bin shards) read from disk. */
async function readModel (tf: Human['tf'], file: string): Promise<unknown> {
  const json = JSON.parse(await readFile(file, 'utf8')) as unknown
  const dir = path.dirname(file)
  return tf.io.getModelArtifactsForJSON(json, async (manifest: WeightGroup[]) => {
    const shards = await Promise.all(manifest.flatMap((group) =>
      group.paths.map(async (p) => readFile(path.join(dir, p)))))
    const all = Buffer.concat(shards)
    const data = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)
    return [manifest.flatMap((group) => group.weights), data]
  })
}

/** Pixels as the engine takes them: RGB, 3 bytes a pixel, row by row. */
export interface RgbFrame {
  data: Uint8Array
  width: number
  height: number
}

/** Decode a JPEG or PNG to RGB, upright and at most MAX_FRAME_SIDE a side. */
export async function decodeFrame (image: Uint8Array): Promise<RgbFrame> {
  try {
    const { data, info } = await sharp(image)
      .rotate()
      .resize(MAX_FRAME_SIDE, MAX_FRAME_SIDE, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== 3) throw new Error(`${info.channels} channels after decoding`)
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    return { data: pixels, width: info.width, height: info.height }
  } catch (err) {
    throw new HubError(ErrorCodes.IMAGE_INVALID,
      `frame of ${image.byteLength} bytes could not be decoded ` +
      `(${(err as Error).message}); send a JPEG or PNG`, { cause: err })
  }
}
