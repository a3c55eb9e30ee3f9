/**
 * A small grey thumbnail of a frame, to tell cheaply how much the scene
 * changed between two frames without running a model.
 */
import sharp from 'sharp'

/** Side of the square signature, in pixels. */
const SIDE = 16

export type SceneSignature = Uint8Array

/** Downscale to 16x16 grey; small enough that noise averages out. */
export async function sceneSignature (image: Uint8Array): Promise<SceneSignature> {
  const { data } = await sharp(image)
    .greyscale()
    .resize(SIDE, SIDE, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true })
  return new Uint8Array(data.buffer, data.byteOffset, SIDE * SIDE)
}

/** How different two signatures are, 0 (same) to 1 (black against white). */
export function sceneChange (a: SceneSignature, b: SceneSignature): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0))
  return sum / (a.length * 255)
}
