import { describe, expect, it } from 'vitest'
import {
  closedLine,
  openFileProblem,
  parseClosed,
  parseOpenFileLimit,
  parseReady,
  readResponse,
  readyLine,
} from '../../bench/lib/idle-connections.ts'

const head = 'HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nConnection: keep-alive\r\n\r\n'

describe('readResponse', () => {
  it.each([
    { desc: 'a whole response', input: `${head}Hello, World!`, expected: { status: 200, bodyBytes: 13 } },
    { desc: 'a head without its whole body', input: `${head}Hello`, expected: undefined },
    { desc: 'a head not yet ended', input: 'HTTP/1.1 200 OK\r\nContent-Length: 13\r\n', expected: undefined },
    { desc: 'nothing yet', input: '', expected: undefined },
    {
      desc: 'a 502 with its own body, the header name in lower case',
      input: 'HTTP/1.1 502 Bad Gateway\r\ncontent-length: 11\r\n\r\nBad Gateway',
      expected: { status: 502, bodyBytes: 11 },
    },
    { desc: 'an HTTP/1.0 response with an empty body', input: 'HTTP/1.0 204 No Content\r\nContent-Length: 0\r\n\r\n', expected: { status: 204, bodyBytes: 0 } },
    {
      desc: 'a Content-Length not confused with another header ending in the same name',
      input: 'HTTP/1.1 200 OK\r\nX-Content-Length: 99\r\nContent-Length: 2\r\n\r\nok',
      expected: { status: 200, bodyBytes: 2 },
    },
  ])('reads $desc', ({ input, expected }) => {
    expect(readResponse(input)).toEqual(expected)
  })

  it.each([
    { desc: 'no status line', input: 'hello\r\n\r\n', expected: 'reading a response: no status line in "hello"' },
    { desc: 'a chunked body', input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', expected: 'reading a response: status 200 without Content-Length' },
    { desc: 'bytes past the body', input: `${head}Hello, World!HTTP`, expected: 'reading a response: 4 bytes past the body' },
  ])('refuses $desc', ({ input, expected }) => {
    expect(() => readResponse(input)).toThrow(expected)
  })
})

describe('the client report', () => {
  it.each([
    { desc: 'every connection open', input: { open: 10_000, failures: 0 } },
    { desc: 'some failed, with the first reason', input: { open: 9998, failures: 2, first: 'status 502 with 11 bytes' } },
  ])('reads back the ready line of $desc', ({ input }) => {
    expect(parseReady(`some warning\n${readyLine(input)}`)).toEqual(input)
  })

  it('has no ready report before the ready line', () => {
    expect(parseReady('(node:1) ExperimentalWarning: something\n')).toBeUndefined()
  })

  it.each([
    { desc: 'the time of the first close after the ready line', input: `${readyLine({ open: 3, failures: 0 })}${closedLine(1234.6)}`, expected: 1235 },
    { desc: 'nothing while every connection is open', input: readyLine({ open: 3, failures: 0 }), expected: undefined },
  ])('reads $desc', ({ input, expected }) => {
    expect(parseClosed(input)).toBe(expected)
  })
})

// An excerpt of /proc/<pid>/limits as Linux 6 prints it.
const limits = [
  'Limit                     Soft Limit           Hard Limit           Units     ',
  'Max processes             95867                95867                processes ',
  'Max open files            1024                 20000                files     ',
  'Max locked memory         8388608              8388608              bytes     ',
].join('\n')

describe('the open-file limit', () => {
  it.each([
    { desc: 'soft and hard limits', input: limits, expected: { soft: 1024, hard: 20_000 } },
    { desc: 'an unlimited hard limit', input: 'Max open files            1024                 unlimited            files     \n', expected: { soft: 1024, hard: Infinity } },
  ])('reads $desc', ({ input, expected }) => {
    expect(parseOpenFileLimit(input)).toEqual(expected)
  })

  it('fails without a "Max open files" line', () => {
    expect(() => parseOpenFileLimit('Max processes 1 1 processes\n')).toThrow('parsing proc limits: no "Max open files" line')
  })

  it.each([
    { desc: 'a hard limit with room to spare', input: { hard: 20_000 }, expected: undefined },
    { desc: 'a hard limit of exactly the connections and the spare', input: { hard: 11_000 }, expected: undefined },
    {
      desc: 'a hard limit one short',
      input: { hard: 10_999 },
      expected: '10000 connections need an open-file limit of at least 11000, this shell\'s hard limit is 10999 (ulimit -Hn)',
    },
  ])('judges $desc', ({ input, expected }) => {
    expect(openFileProblem(input, 10_000)).toBe(expected)
  })
})
