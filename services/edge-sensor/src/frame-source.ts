/**
 * Where frames come from: a folder of photographs played in a loop, or a
 * webcam. Both hand out one frame at a time when asked, so nothing queues.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join, extname, basename } from 'node:path'
import { HubError, ErrorCodes } from '@gemmaedge/shared'

export interface Frame {
  bytes: Uint8Array
  /** File name or camera the frame came from. */
  source: string
  capturedAt: Date
}

export interface FrameSource {
  /** The next frame, or null when the source has no more. */
  next (): Promise<Frame | null>
  close (): Promise<void>
}

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png'])

/** Frames from the JPEG and PNG files of a folder, in name order. */
export class FolderSource implements FrameSource {
  private files: string[] = []
  private index = 0

  private constructor (private readonly dir: string, private readonly loop: boolean) {}

  static async open (dir: string, loop = true): Promise<FolderSource> {
    const source = new FolderSource(dir, loop)
    let names: string[]
    try {
      names = await readdir(dir)
    } catch (err) {
      throw new HubError(ErrorCodes.SOURCE_UNAVAILABLE,
        `FRAMES_DIR ${dir} cannot be read (${(err as Error).message}); ` +
        'point it at a folder of JPEG or PNG files', { cause: err })
    }
    source.files = names
      .filter((n) => IMAGE_EXTENSIONS.has(extname(n).toLowerCase()))
      .sort()
      .map((n) => join(dir, n))
    if (source.files.length === 0) {
      throw new HubError(ErrorCodes.SOURCE_UNAVAILABLE,
        `FRAMES_DIR ${dir} holds no .jpg, .jpeg or .png files; add some or ` +
        'set SOURCE=webcam')
    }
    return source
  }

  async next (): Promise<Frame | null> {
    if (this.index >= this.files.length) {
      if (!this.loop) return null
      this.index = 0
    }
    const file = this.files[this.index++] as string
    const bytes = await readFile(file)
    return { bytes, source: basename(file), capturedAt: new Date() }
  }

  async close (): Promise<void> {}
}
