import { describe, it, expect } from 'vitest'
import { normaliseConfidence } from '../src/confidence.ts'

describe('normaliseConfidence', () => {
  it.each([
    [0.85, 0.85],
    [1, 1],
    [0, 0],
    [85, 0.85],
    [100, 1],
    ['0.85', 0.85],
    ['85', 0.85],
    ['85%', 0.85],
    [' 85 % ', 0.85],
    ['0.5%', 0.005],
    ['high', 0.85],
    ['Very Low', 0.1],
    ['medium', 0.6]
  ])('reads %j as %j', (input, expected) => {
    expect(normaliseConfidence(input)).toBeCloseTo(expected, 6)
  })

  it.each([
    [undefined], [null], [''], ['sure'], [-0.2], [150], ['150%'],
    [Number.NaN], [Number.POSITIVE_INFINITY], [{}], [true]
  ])('gives null, never 1, for %j', (input) => {
    expect(normaliseConfidence(input)).toBeNull()
  })
})
