import { describe, expect, it } from 'vitest'
import { failuresNote, responseProblem } from '../../bench/lib/keep-alive-load.ts'

describe('responseProblem', () => {
  it.each([
    { desc: 'a 200 with the expected length is right', input: { status: 200, bytes: 13 }, expected: undefined },
    { desc: 'another status', input: { status: 404, bytes: 13 }, expected: 'status 404 with 13 bytes' },
    { desc: 'a short body', input: { status: 200, bytes: 12 }, expected: 'status 200 with 12 bytes' },
  ])('$desc', ({ input, expected }) => {
    expect(responseProblem(input.status, input.bytes, 13)).toBe(expected)
  })
})

describe('failuresNote', () => {
  it('counts the failures and quotes the first', () => {
    expect(failuresNote(3, 3000, 16384, 'status 502 with 0 bytes')).toBe('3 of 3000 responses not 200 with 16384 bytes (first: status 502 with 0 bytes)')
  })
})
