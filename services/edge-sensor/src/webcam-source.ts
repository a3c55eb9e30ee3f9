/**
 * Frames from a webcam through node-webcam, which knows the capture program
 * of each platform (fswebcam on Linux, imagesnap on macOS, CommandCam on
 * Windows). node-webcam runs that program without a deadline, so the
 * command it builds is run here under one: a stuck camera cannot hang the
 * sensor.
 */
import { exec } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, delimiter } from 'node:path'
import { existsSync } from 'node:fs'
import { HubError, ErrorCodes } from '@gemmaedge/shared'
import type { Frame, FrameSource } from './frame-source.ts'

interface NodeWebcam {
  bin: string
  generateSh (location: string): string
}

const require = createRequire(import.meta.url)
const NodeWebcamFactory = require('node-webcam') as {
  create (options: Record<string, unknown>): NodeWebcam
}

export interface WebcamOptions {
  device?: string
  width: number
  height: number
  timeoutMs: number
}

/** Where a program is on the PATH, or null. */
export function findOnPath (program: string, path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, program)
    if (existsSync(candidate)) return candidate
  }
  return null
}

export class WebcamSource implements FrameSource {
  private constructor (
    private readonly cam: NodeWebcam,
    private readonly dir: string,
    private readonly options: WebcamOptions,
    private readonly path: string
  ) {}

  /** Check the capture program and the camera; throws saying what to fix. */
  static async open (
    options: WebcamOptions, path = process.env.PATH ?? ''
  ): Promise<WebcamSource> {
    const cam = NodeWebcamFactory.create({
      width: options.width,
      height: options.height,
      device: options.device ?? false,
      output: 'jpeg',
      callbackReturn: 'location',
      verbose: false
    })
    if (findOnPath(cam.bin, path) === null) {
      throw new HubError(ErrorCodes.SOURCE_UNAVAILABLE,
        `SOURCE=webcam needs the capture program ${cam.bin}, which is not on ` +
        `the PATH; install it (on Debian or Ubuntu: apt-get install ${cam.bin}) ` +
        'or use SOURCE=folder')
    }
    const dir = await mkdtemp(join(tmpdir(), 'gemmaedge-webcam-'))
    const source = new WebcamSource(cam, dir, options, path)
    // One capture now, so a missing or busy camera stops the start with a
    // clear error instead of failing on every frame.
    try {
      source.first = await source.next()
    } catch (err) {
      await source.close()
      throw err
    }
    return source
  }

  private first: Frame | null = null

  async next (): Promise<Frame | null> {
    if (this.first !== null) {
      const frame = this.first
      this.first = null
      return frame
    }
    const location = join(this.dir, 'frame.jpg')
    const capturedAt = new Date()
    await run(this.cam.generateSh(location), this.options.timeoutMs, this.path)

    let bytes: Buffer
    try {
      bytes = await readFile(location)
    } catch {
      throw new HubError(ErrorCodes.SOURCE_UNAVAILABLE,
        `${this.cam.bin} wrote no image; is a camera connected` +
        `${this.options.device === undefined ? '' : ` at ${this.options.device}`}?`)
    }
    await rm(location, { force: true })
    return { bytes, source: this.options.device ?? 'webcam', capturedAt }
  }

  async close (): Promise<void> {
    await rm(this.dir, { recursive: true, force: true })
  }
}

function run (command: string, timeoutMs: number, path: string): Promise<void> {
  const options = {
    timeout: timeoutMs,
    killSignal: 'SIGKILL' as const,
    env: { ...process.env, PATH: path }
  }
  return new Promise((resolve, reject) => {
    exec(command, options, (err, _out, stderr) => {
      if (err === null) return resolve()
      const why = err.killed
        ? `took longer than CAPTURE_TIMEOUT_MS ${timeoutMs} ms`
        : `failed: ${String(stderr).trim().split('\n').pop() ?? err.message}`
      reject(new HubError(ErrorCodes.SOURCE_UNAVAILABLE,
        `webcam capture ${why}; check the camera is connected and free`))
    })
  })
}
