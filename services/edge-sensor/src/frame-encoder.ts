/**
 * Turn a captured frame into what goes on the bus: the full frame as JPEG
 * for the teacher and a small JPEG thumbnail for dashboard rows.
 */
import sharp, { type Metadata } from 'sharp'
import { HubError, ErrorCodes } from '@gemmaedge/shared'

export interface EncodedFrame {
  /** The frame as JPEG: the original bytes when it already was one. */
  jpeg: Buffer
  width: number
  height: number
  /** Base64 JPEG, without a data: prefix. */
  thumbnail: string
}

export async function encodeFrame (
  bytes: Uint8Array, thumbnailWidth: number
): Promise<EncodedFrame> {
  let meta: Metadata
  try {
    meta = await sharp(bytes).metadata()
  } catch (err) {
    throw new HubError(ErrorCodes.IMAGE_INVALID,
      `frame is not an image sharp can read (${(err as Error).message})`, { cause: err })
  }
  if (meta.width === undefined || meta.height === undefined) {
    throw new HubError(ErrorCodes.IMAGE_INVALID, 'frame has no size')
  }

  const jpeg = meta.format === 'jpeg'
    ? Buffer.from(bytes)
    : await sharp(bytes).flatten({ background: '#ffffff' }).jpeg({ quality: 90 }).toBuffer()

  const thumb = await sharp(bytes)
    .flatten({ background: '#ffffff' })
    .resize({ width: thumbnailWidth, withoutEnlargement: true })
    .jpeg({ quality: 60 })
    .toBuffer()

  return { jpeg, width: meta.width, height: meta.height, thumbnail: thumb.toString('base64') }
}
