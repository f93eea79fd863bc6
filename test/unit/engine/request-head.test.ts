import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { authorityOf, headLimit, headProblem, hostFromAuthority, querySemicolons, upgradesToWebSocket } from '../../../src/engine/request-head.ts'

/** A request as Node's parser leaves it: the raw header list, names as sent. */
const request = (rawHeaders: string[], url = '/', method = 'GET'): IncomingMessage => ({ rawHeaders, url, method }) as unknown as IncomingMessage

describe('headLimit', () => {
  it.each([
    { desc: 'a configured value plus Go’s 4 KiB', input: 4096, expected: 8192 },
    { desc: '0 as Go’s default, 1 MiB, plus 4 KiB', input: 0, expected: 1_052_672 },
  ])('is $desc', ({ input, expected }) => {
    expect(headLimit(input)).toBe(expected)
  })
})

describe('headProblem', () => {
  it.each([
    { desc: 'one Host', input: request(['Host', 'a.test']), expected: undefined },
    { desc: 'no Host (HTTP/1.0)', input: request([]), expected: undefined },
    { desc: 'an empty Host', input: request(['Host', '']), expected: undefined },
    { desc: 'an IPv6 Host with a port', input: request(['Host', '[::1]:8080']), expected: undefined },
    { desc: 'two Host headers', input: request(['Host', 'a.test', 'Accept', '*/*', 'HOST', 'b.test']), expected: 'JCT_ERR_BAD_REQUEST' },
    { desc: 'the same Host twice', input: request(['host', 'a.test', 'Host', 'a.test']), expected: 'JCT_ERR_BAD_REQUEST' },
    { desc: 'a Host with a space', input: request(['Host', 'a test']), expected: 'JCT_ERR_BAD_REQUEST' },
    { desc: 'a Host with userinfo', input: request(['Host', 'user@a.test']), expected: 'JCT_ERR_BAD_REQUEST' },
    { desc: 'a Host with a non-ASCII byte', input: request(['Host', 'caf\u00e9.test']), expected: 'JCT_ERR_BAD_REQUEST' },
    { desc: 'a header named like Host but longer', input: request(['Host', 'a.test', 'Hosts', 'b c']), expected: undefined },
  ])('finds nothing wrong, or the code, for $desc', ({ input, expected }) => {
    expect(headProblem(input, headLimit(0))).toBe(expected)
  })

  it('counts the head as Go does: request line, each header line with ": " and CRLF, the final CRLF', () => {
    // "GET /x HTTP/1.1\r\n" (17) + "Host: a.test\r\n" (14) + "\r\n" (2) = 33 bytes.
    const req = request(['Host', 'a.test'], '/x')
    expect([headProblem(req, 33), headProblem(req, 32)]).toEqual([undefined, 'JCT_ERR_HEADERS_TOO_LARGE'])
  })
})

describe('hostFromAuthority', () => {
  it.each([
    { desc: ':authority becomes the Host', input: { ':authority': 'a.test:8443' }, problem: undefined, host: 'a.test:8443' },
    { desc: ':authority wins over a Host sent beside it', input: { ':authority': 'a.test', host: 'b.test' }, problem: undefined, host: 'a.test' },
    { desc: 'no :authority leaves the Host as sent', input: { host: 'b.test' }, problem: undefined, host: 'b.test' },
    { desc: 'an :authority Go would refuse as a Host is a bad request', input: { ':authority': 'a.test/x', host: 'b.test' }, problem: 'JCT_ERR_BAD_REQUEST', host: 'b.test' },
  ])('$desc', ({ input, problem, host }) => {
    const headers: Record<string, string | undefined> = { ...input }
    expect({ problem: hostFromAuthority(headers), host: headers['host'] }).toEqual({ problem, host })
  })
})

describe('authorityOf', () => {
  it.each([
    { input: 'http://Other.Test:80/x?y', expected: 'Other.Test:80' },
    { input: 'http://a.test', expected: 'a.test' },
    { input: 'http://a.test?q', expected: 'a.test' },
    { input: 'https://user:pw@a.test:8443/p', expected: 'a.test:8443' },
    { input: 'http://[::1]:8080/', expected: '[::1]:8080' },
    { input: 'http://a.test/p@q', expected: 'a.test' },
  ])('reads $expected from $input', ({ input, expected }) => {
    expect(authorityOf(input)).toBe(expected)
  })
})

describe('querySemicolons', () => {
  it.each([
    { desc: 'separators by default', input: { query: '?a=1;b=2', encode: false }, expected: '?a=1&b=2' },
    { desc: 'encoded with encodeQuerySemicolons', input: { query: '?a=1;b=2', encode: true }, expected: '?a=1%3Bb=2' },
    { desc: 'a query without one untouched', input: { query: '?a=1&b=2', encode: true }, expected: '?a=1&b=2' },
    { desc: 'no query', input: { query: '', encode: false }, expected: '' },
  ])('turns semicolons into $desc', ({ input, expected }) => {
    expect(querySemicolons(input.query, input.encode)).toBe(expected)
  })
})

describe('upgradesToWebSocket', () => {
  it.each([
    { input: 'websocket', expected: true },
    { input: 'WebSocket', expected: true },
    { input: 'h2c, websocket', expected: true },
    { input: 'h2c', expected: false },
    { input: undefined, expected: false },
  ])('says $expected for $input', ({ input, expected }) => {
    expect(upgradesToWebSocket(input)).toBe(expected)
  })
})
