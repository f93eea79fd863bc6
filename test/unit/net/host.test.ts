import { describe, expect, it } from 'vitest'
import { hostWithoutPort, portOf } from '../../../src/net/host.ts'

describe('portOf', () => {
  it.each([
    { desc: 'a name with a port', input: 'h:8080', expected: '8080' },
    { desc: 'a name without', input: 'h', expected: undefined },
    { desc: 'a bracketed IPv6 with a port', input: '[::1]:9000', expected: '9000' },
    { desc: 'a bracketed IPv6 without', input: '[::1]', expected: undefined },
    { desc: 'a bare IPv6', input: '::1', expected: undefined },
    { desc: 'a non-numeric port', input: 'h:http', expected: undefined },
    { desc: 'nothing', input: undefined, expected: undefined },
  ])('reads $desc', ({ input, expected }) => {
    expect(portOf(input)).toBe(expected)
  })
})

describe('hostWithoutPort', () => {
  it.each([
    { desc: 'a name with a port', input: 'h.test:8080', expected: 'h.test' },
    { desc: 'a name without', input: 'h.test', expected: 'h.test' },
    { desc: 'a bracketed IPv6 with a port', input: '[::1]:9000', expected: '[::1]' },
    { desc: 'a bracketed IPv6 without', input: '[::1]', expected: '[::1]' },
    { desc: 'an unclosed bracket, kept whole', input: '[::1', expected: '[::1' },
  ])('reads $desc', ({ input, expected }) => {
    expect(hostWithoutPort(input)).toBe(expected)
  })
})
