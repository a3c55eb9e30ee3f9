import { describe, it, expect } from 'vitest'
import { parseAnswer } from '../src/vision/answer-parser.ts'

describe('parseAnswer', () => {
  it('reads a JSON object', () => {
    const raw = JSON.stringify({
      answer: 'A man cuts bread with a knife.',
      confidence: 0.85,
      safety: true,
      hazards: ['Knife', 'knife '],
      objects: ['Person', 'knife', 'bread']
    })
    expect(parseAnswer(raw)).toEqual({
      answer: 'A man cuts bread with a knife.',
      confidence: 0.85,
      safety: true,
      hazards: ['knife'],
      objects: ['person', 'knife', 'bread']
    })
  })

  it('reads JSON in a ```json fence', () => {
    const raw = 'Here you go:\n```json\n{"answer": "An empty office.", ' +
      '"confidence": 90, "safety": false, "hazards": [], "objects": ["desk"]}\n```'
    expect(parseAnswer(raw)).toEqual({
      answer: 'An empty office.',
      confidence: 0.9,
      safety: false,
      hazards: [],
      objects: ['desk']
    })
  })

  it('reads JSON with prose around it and description for answer', () => {
    const raw = 'Sure! {"description": "Smoke fills a kitchen.", "confidence": "high", ' +
      '"hazards": "Smoke, fire"} Hope that helps.'
    expect(parseAnswer(raw)).toEqual({
      answer: 'Smoke fills a kitchen.',
      confidence: 0.85,
      safety: true,
      hazards: ['smoke', 'fire'],
      objects: []
    })
  })

  it('reads plain text ending in a CONFIDENCE line', () => {
    const raw = 'A cat sleeps on a sofa.\nNo hazards.\nCONFIDENCE: 85%'
    expect(parseAnswer(raw)).toEqual({
      answer: 'A cat sleeps on a sofa.\nNo hazards.',
      confidence: 0.85,
      safety: false,
      hazards: [],
      objects: []
    })
  })

  it('reads trailing HAZARDS and SAFETY lines under the answer', () => {
    const raw = 'Flames rise from a pan.\n\n**Confidence:** 0.7.\n' +
      'Hazards: fire, Flame\nSafety: yes'
    expect(parseAnswer(raw)).toEqual({
      answer: 'Flames rise from a pan.',
      confidence: 0.7,
      safety: true,
      hazards: ['fire', 'flame'],
      objects: []
    })
  })

  it.each([
    [0.85, 0.85],
    [85, 0.85],
    ['85%', 0.85],
    ['0.85', 0.85],
    ['high', 0.85],
    [undefined, null],
    ['garbage', null],
    [250, null],
    [-1, null]
  ])('reads confidence %j in JSON as %j', (confidence, expected) => {
    const raw = JSON.stringify({ answer: 'A desk.', confidence })
    expect(parseAnswer(raw).confidence).toBe(expected)
  })

  it.each([
    ['0.85', 0.85],
    ['85', 0.85],
    ['85%', 0.85],
    ['high', 0.85],
    ['0.6 (fairly sure)', 0.6],
    ['garbage', null]
  ])('reads CONFIDENCE: %s in text as %j', (value, expected) => {
    expect(parseAnswer(`A desk.\nCONFIDENCE: ${value}`)).toMatchObject({
      answer: 'A desk.', confidence: expected
    })
  })

  it('keeps unparseable text as the answer with no confidence', () => {
    expect(parseAnswer('  I see a {broken json object  ')).toEqual({
      answer: 'I see a {broken json object',
      confidence: null,
      safety: false,
      hazards: [],
      objects: []
    })
  })

  it('drops "none" from lists and keeps hazards as the safety signal', () => {
    const raw = JSON.stringify({ answer: 'A hallway.', safety: false, hazards: ['none'] })
    expect(parseAnswer(raw)).toMatchObject({ safety: false, hazards: [] })
  })
})
