import { describe, it, expect } from 'vitest'
import { judgeVerdict, termsOf, termOf } from '../src/verdict.ts'

const teacher = {
  safety: false,
  answer: 'Two people stand beside a bus on a sunny street.',
  objects: ['person', 'bus']
}

describe('judgeVerdict', () => {
  it('agrees when the student names what the teacher named', () => {
    const student = { safety: false, answer: 'People next to a bus in the street.', objects: [] }
    expect(judgeVerdict(student, teacher)).toMatchObject({ verdict: 'agree' })
  })

  it('is partial when the student names some of it', () => {
    const student = { safety: false, answer: 'A bus.', objects: ['bus'] }
    expect(judgeVerdict(student, teacher)).toMatchObject({ verdict: 'partial' })
  })

  it('disagrees when the student names none of it', () => {
    const student = { safety: false, answer: 'A cat on a sofa.', objects: ['cat'] }
    expect(judgeVerdict(student, teacher)).toMatchObject({ verdict: 'disagree' })
  })

  it('disagrees on a missed hazard however much else matches', () => {
    const fire = { ...teacher, safety: true, answer: teacher.answer + ' A fire burns.' }
    expect(judgeVerdict({ ...teacher }, fire)).toEqual({
      verdict: 'disagree', detail: 'student missed a hazard', overlap: expect.any(Number)
    })
    expect(judgeVerdict(fire, teacher)).toMatchObject({
      verdict: 'disagree', detail: 'student raised a false hazard'
    })
  })

  it('agrees when both saw nothing', () => {
    const empty = { safety: false, answer: 'No people or known objects detected.', objects: [] }
    expect(judgeVerdict(empty, empty)).toMatchObject({ verdict: 'agree', overlap: 1 })
  })
})

describe('terms', () => {
  it('folds plurals and drops filler words', () => {
    expect(['people', 'knives', 'benches', 'cups', 'glass'].map(termOf))
      .toEqual(['person', 'knife', 'bench', 'cup', 'glass'])
    expect([...termsOf({ safety: false, answer: 'There are two cups on the table.', objects: [] })])
      .toEqual(['cup', 'table'])
  })
})
