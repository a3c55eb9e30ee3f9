/**
 * Where published reviews are kept: an SQLite file holding each review with
 * the frame it was about, so the upskiller can turn the teacher's answers
 * into eval cases. Bounded: only the newest `maxStored` reviews stay.
 *
 * The table is read by another process (the upskiller opens the file
 * read-only), so its layout is part of the hub: table `reviews`, columns
 * id, frame_id, device, reviewed_at, verdict, review (Review JSON),
 * image_mime, image (the frame's bytes).
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { ReviewSchema, type Image, type Review } from '@gemmaedge/shared'

/** A review as kept, with the frame's bytes. */
export interface StoredReview {
  review: Review
  mime: Image['mime']
  image: Buffer
}

/** What the reviewer needs of a store: somewhere to put a review. */
export interface ReviewSink {
  save (review: Review, image: Image): void
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    frame_id TEXT NOT NULL UNIQUE,
    device TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    verdict TEXT NOT NULL,
    review TEXT NOT NULL,
    image_mime TEXT NOT NULL,
    image BLOB NOT NULL
  )`

interface Row {
  review: string
  image_mime: string
  image: Buffer
}

export class ReviewStore implements ReviewSink {
  readonly file: string
  readonly maxStored: number
  private readonly db: Database.Database
  private readonly insert: Database.Statement
  private readonly prune: Database.Statement

  /** Open or create the file, and the folder it goes in. */
  constructor (file: string, maxStored: number) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
    this.file = file
    this.maxStored = maxStored
    this.db = new Database(file)
    // WAL lets the upskiller read while the reviewer writes.
    this.db.pragma('journal_mode = WAL')
    this.db.exec(SCHEMA)
    this.insert = this.db.prepare(`INSERT OR REPLACE INTO reviews
      (frame_id, device, reviewed_at, verdict, review, image_mime, image)
      VALUES (?, ?, ?, ?, ?, ?, ?)`)
    this.prune = this.db.prepare(`DELETE FROM reviews WHERE id <= (
      SELECT id FROM reviews ORDER BY id DESC LIMIT 1 OFFSET ?)`)
  }

  /** Keep a review and its frame; the oldest go past `maxStored`. */
  save (review: Review, image: Image): void {
    const bytes = Buffer.from(image.data, 'base64')
    this.db.transaction(() => {
      this.insert.run(review.frameId, review.device, review.reviewedAt,
        review.verdict, JSON.stringify(review), image.mime, bytes)
      this.prune.run(this.maxStored)
    })()
  }

  /** The newest reviews first, at most `limit`. */
  recent (limit = this.maxStored): StoredReview[] {
    const rows = this.db.prepare(`SELECT review, image_mime, image FROM reviews
      ORDER BY id DESC LIMIT ?`).all(limit) as Row[]
    return rows.map((row) => ({
      review: ReviewSchema.parse(JSON.parse(row.review)),
      mime: row.image_mime === 'image/png' ? 'image/png' : 'image/jpeg',
      image: row.image
    }))
  }

  count (): number {
    const row = this.db.prepare('SELECT count(*) AS n FROM reviews').get() as { n: number }
    return row.n
  }

  close (): void {
    this.db.close()
  }
}
