import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdtemp, writeFile, copyFile, rm, chmod, mkdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { FolderSource } from '../src/frame-source.ts'
import { WebcamSource, findOnPath } from '../src/webcam-source.ts'
import { encodeFrame } from '../src/frame-encoder.ts'
import { sharedFrames } from '../../../test/support.ts'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edge-source-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function codeOf (promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise
  } catch (err) {
    return (err as { code?: string }).code
  }
  return undefined
}

describe('folder source', () => {
  it('plays the images of a folder in name order and loops', async () => {
    const frames = join(dir, 'frames')
    await mkdir(frames)
    await copyFile(join(sharedFrames, 'cat-indoor-01.png'), join(frames, 'b.png'))
    await copyFile(join(sharedFrames, 'stove-pan-fire-01.jpg'), join(frames, 'a.JPG'))
    await writeFile(join(frames, 'notes.txt'), 'not a frame')

    const source = await FolderSource.open(frames)
    const names = []
    for (let i = 0; i < 5; i++) names.push((await source.next())?.source)
    expect(names).toEqual(['a.JPG', 'b.png', 'a.JPG', 'b.png', 'a.JPG'])

    const once = await FolderSource.open(frames, false)
    await once.next()
    await once.next()
    expect(await once.next()).toBeNull()
  })

  it('says what is wrong with a missing or empty folder', async () => {
    expect(await codeOf(FolderSource.open(join(dir, 'nope')))).toBe('SOURCE_UNAVAILABLE')
    const empty = join(dir, 'empty')
    await mkdir(empty)
    await expect(FolderSource.open(empty)).rejects.toThrow(/holds no \.jpg, \.jpeg or \.png/)
  })
})

describe('frame encoder', () => {
  it('keeps a JPEG as it is and makes a small JPEG thumbnail', async () => {
    const original = await readFile(join(sharedFrames, 'street-bus-pedestrians-01.jpg'))
    const encoded = await encodeFrame(original, 160)
    expect(encoded.jpeg.equals(original)).toBe(true)
    expect({ width: encoded.width, height: encoded.height }).toEqual({ width: 810, height: 1080 })
    const thumb = await sharp(Buffer.from(encoded.thumbnail, 'base64')).metadata()
    expect(thumb).toMatchObject({ format: 'jpeg', width: 160, height: 214 })
  })

  it('turns a PNG into a JPEG for the teacher', async () => {
    const png = await readFile(join(sharedFrames, 'cat-indoor-01.png'))
    const encoded = await encodeFrame(png, 120)
    expect(await sharp(encoded.jpeg).metadata()).toMatchObject({
      format: 'jpeg', width: 451, height: 300
    })
  })

  it('refuses bytes that are not an image', async () => {
    expect(await codeOf(encodeFrame(Buffer.from('GIF89a nonsense'), 160))).toBe('IMAGE_INVALID')
  })
})

describe('webcam source', () => {
  it('names the missing capture program and how to install it', async () => {
    const open = WebcamSource.open({ width: 640, height: 480, timeoutMs: 1000 }, dir)
    await expect(open).rejects
      .toThrow(/needs the capture program fswebcam.*apt-get install fswebcam/)
    expect(await codeOf(open)).toBe('SOURCE_UNAVAILABLE')
  })

  it('gives up on a capture that hangs, within the deadline', async () => {
    // A stand-in for fswebcam that never returns, as a stuck camera does.
    const bin = join(dir, 'bin')
    await mkdir(bin)
    await writeFile(join(bin, 'fswebcam'), '#!/bin/sh\nsleep 30\n')
    await chmod(join(bin, 'fswebcam'), 0o755)
    const path = `${bin}:${process.env.PATH ?? ''}`
    expect(findOnPath('fswebcam', path)).toBe(join(bin, 'fswebcam'))

    const before = Date.now()
    const open = WebcamSource.open({ width: 640, height: 480, timeoutMs: 300 }, path)
    await expect(open).rejects.toThrow(/longer than CAPTURE_TIMEOUT_MS 300 ms/)
    expect(Date.now() - before).toBeLessThan(5000)
  })

  it('reports a capture that writes no image', async () => {
    const bin = join(dir, 'bin2')
    await mkdir(bin)
    await writeFile(join(bin, 'fswebcam'), '#!/bin/sh\necho "No such device" >&2\nexit 0\n')
    await chmod(join(bin, 'fswebcam'), 0o755)
    const path = `${bin}:${process.env.PATH ?? ''}`
    const open = WebcamSource.open({ width: 640, height: 480, timeoutMs: 2000 }, path)
    await expect(open).rejects.toThrow(/wrote no image; is a camera connected/)
  })

  it('hands out frames from a camera that answers', async () => {
    // A stand-in for fswebcam that writes a real photograph where it is told.
    const bin = join(dir, 'bin3')
    await mkdir(bin)
    const photo = join(sharedFrames, 'kitchen-man-pans-01.jpg')
    await writeFile(join(bin, 'fswebcam'),
      `#!/bin/sh\nfor last; do :; done\ncp ${photo} "$last"\n`)
    await chmod(join(bin, 'fswebcam'), 0o755)
    const path = `${bin}:${process.env.PATH ?? ''}`
    const source = await WebcamSource.open({ width: 640, height: 480, timeoutMs: 2000 }, path)
    const original = await readFile(photo)
    for (let i = 0; i < 2; i++) {
      const frame = await source.next()
      expect(Buffer.from(frame?.bytes ?? []).equals(original)).toBe(true)
    }
    await source.close()
  })
})
