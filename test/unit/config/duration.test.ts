import { describe, expect, it } from 'vitest'
import { parseDuration, tryParseDuration } from '../../../src/config/duration.ts'
import { JunctionError } from '../../../src/errors.ts'

describe('parseDuration', () => {
  it.each([
    { desc: 'milliseconds', input: '100ms', expected: 100 },
    { desc: 'seconds', input: '2s', expected: 2000 },
    { desc: 'minutes and seconds', input: '1m30s', expected: 90_000 },
    { desc: 'hours', input: '1h', expected: 3_600_000 },
    { desc: 'fractional seconds', input: '1.5s', expected: 1500 },
    { desc: 'fraction without leading digit', input: '.5s', expected: 500 },
    { desc: 'microseconds', input: '500us', expected: 0.5 },
    { desc: 'microseconds with the micro sign', input: '500µs', expected: 0.5 },
    { desc: 'nanoseconds', input: '2000000ns', expected: 2 },
    { desc: 'every unit at once', input: '1h1m1s1ms', expected: 3_661_001 },
    { desc: 'a lone zero', input: '0', expected: 0 },
    { desc: 'a negative duration', input: '-2s', expected: -2000 },
    { desc: 'surrounding spaces', input: ' 3s ', expected: 3000 },
    { desc: 'a number means seconds', input: 10, expected: 10_000 },
    { desc: 'a fractional number of seconds', input: 0.25, expected: 250 },
    { desc: 'a numeric string means seconds', input: '42', expected: 42_000 },
    { desc: 'a fractional numeric string', input: '2.5', expected: 2500 },
  ])('reads $desc', ({ input, expected }) => {
    expect(parseDuration(input)).toBe(expected)
  })

  it.each([
    { desc: 'an unknown unit', input: '5x' },
    { desc: 'a trailing number without unit', input: '1h30' },
    { desc: 'the empty string', input: '' },
    { desc: 'a bare sign', input: '-' },
    { desc: 'a unit alone', input: 's' },
    { desc: 'upper-case units', input: '5S' },
    { desc: 'words', input: 'soon' },
    { desc: 'infinity', input: Number.POSITIVE_INFINITY },
    { desc: 'a boolean', input: true },
    { desc: 'null', input: null },
    { desc: 'an object', input: { seconds: 1 } },
  ])('refuses $desc with a coded error naming the value', ({ input }) => {
    let caught: unknown
    try {
      parseDuration(input)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(JunctionError)
    expect((caught as JunctionError).code).toBe('JCT_ERR_DYNAMIC_CONFIG')
    expect((caught as JunctionError).message).toMatch(/^invalid duration /)
    expect(tryParseDuration(input)).toBeUndefined()
  })

  it('quotes a string value in the message', () => {
    expect(() => parseDuration('5x')).toThrow(
      'invalid duration "5x": expected a Go duration such as "100ms", "1m30s" or a number of seconds',
    )
  })
})
