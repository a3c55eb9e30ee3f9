import { describe, it, expect } from 'vitest'
import { summarise, EMPTY_CONFIDENCE } from '../src/vision/detection-summary.ts'

const d = (label: string, score: number) => ({ label, score })

describe('summarise', () => {
  it('writes a short sentence, people first, and flags the knife', () => {
    const found = [d('cup', 0.6), d('knife', 0.5), d('person', 0.8), d('person', 0.7)]
    expect(summarise(found, 2)).toEqual({
      answer: '2 people, a cup and a knife.',
      confidence: 0.7,
      safety: true,
      hazards: ['knife'],
      objects: ['person', 'cup', 'knife']
    })
  })

  it('counts, pluralises and uses an before a vowel', () => {
    const found = [d('book', 0.5), d('book', 0.4), d('umbrella', 0.4), d('bus', 0.3),
      d('bus', 0.3), d('tv', 0.3)]
    expect(summarise(found, 0).answer).toBe('2 books, an umbrella, 2 buses and a TV.')
  })

  it('says so when nothing was found, with a low confidence', () => {
    expect(summarise([], 0)).toEqual({
      answer: 'No people or known objects detected.',
      confidence: EMPTY_CONFIDENCE,
      safety: false,
      hazards: [],
      objects: []
    })
  })

  it('sums up the rest past six kinds of thing', () => {
    const labels = ['chair', 'cup', 'book', 'vase', 'clock', 'bottle', 'bowl']
    const found = labels.map((label, i) => d(label, 0.9 - i / 10))
    expect(summarise(found, 1).answer)
      .toBe('A person, a chair, a cup, a book, a vase, a clock and other objects.')
  })
})
