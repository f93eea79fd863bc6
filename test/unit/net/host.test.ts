import { describe, expect, it } from 'vitest'
import { hostWithoutPort, normaliseHost, portOf, splitHost } from '../../../src/net/host.ts'

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

describe('splitHost', () => {
  it.each([
    { desc: 'a name and a port', input: 'a.test:80', expected: { name: 'a.test', port: '80' } },
    { desc: 'a name alone', input: 'a.test', expected: { name: 'a.test', port: '' } },
    { desc: 'a bracketed IPv6 and a port', input: '[::1]:80', expected: { name: '[::1]', port: '80' } },
    { desc: 'a bracketed IPv6 alone', input: '[::1]', expected: { name: '[::1]', port: '' } },
    { desc: 'a bare IPv6: no port', input: '::1', expected: { name: '::1', port: '' } },
    { desc: 'an empty port', input: 'a.test:', expected: { name: 'a.test', port: '' } },
    { desc: 'junk after the bracket', input: '[::1]x', expected: { name: '[::1]', port: '' } },
  ])('splits $desc', ({ input, expected }) => {
    expect(splitHost(input)).toEqual(expected)
  })
})

describe('normaliseHost', () => {
  it.each([
    { desc: 'case, port and trailing dot', input: 'API.Example.test.:8443', expected: 'api.example.test' },
    { desc: 'a bracketed IPv6 with a port', input: '[::1]:80', expected: '::1' },
    { desc: 'a bare IPv6', input: '::1', expected: '::1' },
    { desc: 'an unclosed bracket, kept whole', input: '[::1', expected: '[::1' },
    { desc: 'empty', input: '', expected: '' },
  ])('normalises $desc', ({ input, expected }) => {
    expect(normaliseHost(input)).toBe(expected)
  })
})
