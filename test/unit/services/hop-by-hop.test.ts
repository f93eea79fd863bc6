import { describe, expect, it } from 'vitest'
import { connectionTokens, requestHeadersForNextHop, responseHeadersForClient } from '../../../src/services/hop-by-hop.ts'

const keepForwarded = (name: string): boolean => name.startsWith('x-forwarded-')

describe('connectionTokens', () => {
  it.each([
    { desc: 'absent', input: undefined, expected: [] },
    { desc: 'one token', input: 'close', expected: ['close'] },
    { desc: 'a list with spaces and case', input: ' Keep-Alive ,X-Foo,, ', expected: ['keep-alive', 'x-foo'] },
    { desc: 'repeated headers', input: ['upgrade', 'X-Bar'], expected: ['upgrade', 'x-bar'] },
  ])('reads $desc', ({ input, expected }) => {
    expect(connectionTokens(input)).toEqual(expected)
  })
})

describe('requestHeadersForNextHop', () => {
  it.each([
    {
      desc: 'every hop-by-hop field',
      input: {
        headers: {
          connection: 'keep-alive',
          'keep-alive': 'timeout=5',
          'proxy-connection': 'keep-alive',
          'proxy-authenticate': 'Basic',
          'proxy-authorization': 'Basic eA==',
          te: 'trailers',
          trailer: 'x-sum',
          'transfer-encoding': 'chunked',
          upgrade: 'h2c',
          accept: '*/*',
        },
        upgrade: false,
      },
      expected: { accept: '*/*' },
    },
    {
      desc: 'fields the Connection header lists, but not X-Forwarded ones',
      input: { headers: { connection: 'X-Secret, x-forwarded-prefix', 'x-secret': 's', 'x-forwarded-prefix': '/api', host: 'h' }, upgrade: false },
      expected: { 'x-forwarded-prefix': '/api', host: 'h' },
    },
    {
      desc: 'expect, already answered by the entry point',
      input: { headers: { expect: '100-continue', 'content-length': '3' }, upgrade: false },
      expected: { 'content-length': '3' },
    },
    {
      desc: 'an upgrade: Upgrade kept, Connection reduced to upgrade',
      input: { headers: { connection: 'Upgrade, X-Secret', upgrade: 'websocket', 'x-secret': 's', 'sec-websocket-key': 'k' }, upgrade: true },
      expected: { upgrade: 'websocket', connection: 'upgrade', 'sec-websocket-key': 'k' },
    },
  ])('removes $desc', ({ input, expected }) => {
    expect(requestHeadersForNextHop(input.headers, input.upgrade, keepForwarded)).toEqual(expected)
  })

  it('leaves the original headers untouched', () => {
    const headers = { connection: 'x-a', 'x-a': '1' }
    requestHeadersForNextHop(headers, false, keepForwarded)
    expect(headers).toEqual({ connection: 'x-a', 'x-a': '1' })
  })
})

describe('responseHeadersForClient', () => {
  it.each([
    {
      desc: 'hop-by-hop fields',
      input: { connection: 'keep-alive', 'keep-alive': 'timeout=5', 'transfer-encoding': 'chunked', 'content-type': 'text/plain' },
      expected: { 'content-type': 'text/plain' },
    },
    {
      desc: 'fields the server lists in Connection',
      input: { connection: 'x-internal', 'x-internal': 'yes', 'set-cookie': ['a=1', 'b=2'] },
      expected: { 'set-cookie': ['a=1', 'b=2'] },
    },
  ])('drops $desc', ({ input, expected }) => {
    expect(responseHeadersForClient(input)).toEqual(expected)
  })
})
