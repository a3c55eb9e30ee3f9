/**
 * Progress on stderr, so stdout keeps only the report: a bar on a
 * terminal, else a plain line every few frames for logs and CI.
 */
import cliProgress from 'cli-progress'

export interface Progress {
  tick (done: number, file: string): void
  stop (): void
}

/** A line every this many frames when stderr is not a terminal. */
const LINE_EVERY = 5

export function createProgress (total: number, stream = process.stderr): Progress {
  if (stream.isTTY !== true) {
    return {
      tick (done, file) {
        if (done % LINE_EVERY === 0 || done === total) {
          stream.write(`eval: ${done}/${total} frames (${file})\n`)
        }
      },
      stop () {}
    }
  }
  const bar = new cliProgress.SingleBar({
    stream,
    format: 'eval [{bar}] {value}/{total} frames | {file}',
    hideCursor: true,
    clearOnComplete: true
  }, cliProgress.Presets.shades_classic)
  bar.start(total, 0, { file: '' })
  return {
    tick (done, file) {
      bar.update(done, { file })
    },
    stop () {
      bar.stop()
    }
  }
}
