import { describe, expect, it } from 'vitest'
import { applyConnectionOptions, canonicalHeaderKey, connectionKept, connectionTokens, requestHeadersForNextHop, responseHeadersForClient, trailerFields } from '../../../src/services/hop-by-hop.ts'

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

describe('applyConnectionOptions', () => {
  /** The headers after the entry point applied Connection, keeping only names with a value (a removed one stays as undefined). */
  function applied(headers: Record<string, string | string[] | undefined>, kept: string[] = []): Record<string, string | string[]> {
    const copy = { ...headers }
    applyConnectionOptions(copy, connectionKept(kept))
    return Object.fromEntries(Object.entries(copy).filter((entry): entry is [string, string | string[]] => entry[1] !== undefined))
  }

  it.each([
    { desc: 'no Connection header: nothing changes', input: { headers: { host: 'h', 'x-a': '1' } }, expected: { host: 'h', 'x-a': '1' } },
    { desc: 'keep-alive: Connection and Keep-Alive go', input: { headers: { connection: 'keep-alive', 'keep-alive': 'timeout=5', 'x-a': '1' } }, expected: { 'x-a': '1' } },
    { desc: 'Keep-Alive in another case, the same', input: { headers: { connection: 'KEEP-ALIVE', 'keep-alive': 'timeout=5' } }, expected: {} },
    { desc: 'close: Connection goes', input: { headers: { connection: 'Close', 'x-a': '1' } }, expected: { 'x-a': '1' } },
    {
      desc: 'every listed header goes, whatever its case and spacing',
      input: { headers: { connection: ' X-Secret ,,keep-alive, x-other', 'x-secret': 's', 'x-other': ['a', 'b'], 'keep-alive': '5', 'x-kept': 'k' } },
      expected: { 'x-kept': 'k' },
    },
    {
      desc: 'X-Forwarded-* and X-Real-Ip, underscore spellings included, stay and are not listed again',
      input: { headers: { connection: 'X-Forwarded-For, x-real-ip, X_Forwarded_Host, Foo', 'x-forwarded-for': '1.2.3.4', 'x-real-ip': '1.2.3.4', x_forwarded_host: 'h', foo: 'f' } },
      expected: { 'x-forwarded-for': '1.2.3.4', 'x-real-ip': '1.2.3.4', x_forwarded_host: 'h' },
    },
    {
      desc: 'Host, Content-Length and Transfer-Encoding stay: they frame the message',
      input: { headers: { connection: 'host, content-length, transfer-encoding', host: 'h', 'content-length': '3', 'transfer-encoding': 'chunked' } },
      expected: { host: 'h', 'content-length': '3', 'transfer-encoding': 'chunked' },
    },
    {
      desc: 'an upgrade keeps Upgrade, listed alone in Connection',
      input: { headers: { connection: 'Upgrade, X-Secret', upgrade: 'websocket', 'x-secret': 's' } },
      expected: { connection: 'Upgrade', upgrade: 'websocket' },
    },
    { desc: 'Upgrade alone in Connection, in lower case', input: { headers: { connection: 'upgrade', upgrade: 'websocket' } }, expected: { connection: 'Upgrade', upgrade: 'websocket' } },
    { desc: 'an empty Upgrade is removed, not restored', input: { headers: { connection: 'upgrade', upgrade: '' } }, expected: {} },
    { desc: 'a token naming no header', input: { headers: { connection: 'x-absent', 'x-a': '1' } }, expected: { 'x-a': '1' } },
  ])('$desc', ({ input, expected }) => {
    expect(applied(input.headers)).toEqual(expected)
  })

  it.each([
    {
      desc: 'a kept name stays, listed in Connection in its canonical spelling',
      input: { headers: { connection: 'foo,Bar', foo: 'bar', bar: 'foo' }, kept: ['FOO'] },
      expected: { connection: 'Foo', foo: 'bar' },
    },
    {
      desc: 'kept names and Upgrade, listed in the order Traefik writes them',
      input: { headers: { connection: 'Upgrade, x-debug, x-trace', upgrade: 'websocket', 'x-debug': '1', 'x-trace': '2' }, kept: ['x-trace', 'X-Debug'] },
      expected: { connection: 'X-Debug,X-Trace,Upgrade', upgrade: 'websocket', 'x-debug': '1', 'x-trace': '2' },
    },
    {
      desc: 'keep-alive itself when kept',
      input: { headers: { connection: 'keep-alive', 'keep-alive': 'timeout=5' }, kept: ['Keep-Alive'] },
      expected: { connection: 'Keep-Alive', 'keep-alive': 'timeout=5' },
    },
    {
      desc: 'an X-Forwarded name, even when kept, is neither removed nor listed',
      input: { headers: { connection: 'x-forwarded-prefix', 'x-forwarded-prefix': '/api' }, kept: ['X-Forwarded-Prefix'] },
      expected: { 'x-forwarded-prefix': '/api' },
    },
  ])('with forwardedHeaders.connection: $desc', ({ input, expected }) => {
    expect(applied(input.headers, input.kept)).toEqual(expected)
  })

  it('leaves a removed header as a name without a value rather than deleting it', () => {
    const headers: Record<string, string | undefined> = { connection: 'keep-alive, x-a', 'x-a': '1' }
    applyConnectionOptions(headers, connectionKept([]))
    expect(headers).toEqual({ connection: undefined, 'x-a': undefined })
    expect(Object.keys(headers)).toEqual(['connection', 'x-a'])
  })

  it('adds nothing for a token naming an inherited property', () => {
    const headers: Record<string, string | undefined> = { connection: 'constructor, toString, __proto__', 'x-a': '1' }
    applyConnectionOptions(headers, connectionKept([]))
    expect({ keys: Object.keys(headers), prototype: Object.getPrototypeOf(headers) === Object.prototype }).toEqual({ keys: ['connection', 'x-a'], prototype: true })
  })
})

describe('canonicalHeaderKey', () => {
  it.each([
    { desc: 'each word capitalised', input: 'x-debug', expected: 'X-Debug' },
    { desc: 'the rest of each word lowered', input: 'CONTENT-TYPE', expected: 'Content-Type' },
    { desc: 'an underscore does not start a word', input: 'x_forwarded_for', expected: 'X_forwarded_for' },
    { desc: 'a name with a space left as it is', input: 'foo bar', expected: 'foo bar' },
  ])('$desc', ({ input, expected }) => {
    expect(canonicalHeaderKey(input)).toBe(expected)
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
          te: 'gzip',
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
    {
      desc: 'the names the entry point left listed (forwardedHeaders.connection), after the middlewares',
      input: { headers: { connection: 'Foo,Upgrade', foo: 'bar', upgrade: 'websocket', 'x-kept': 'yes' }, upgrade: false },
      expected: { 'x-kept': 'yes' },
    },
  ])('removes $desc', ({ input, expected }) => {
    expect(requestHeadersForNextHop(input.headers, input.upgrade, keepForwarded)).toEqual(expected)
  })

  it.each([
    { desc: 'TE: trailers as it is', te: 'trailers', expected: { te: 'trailers', accept: '*/*' } },
    { desc: 'only trailers of a TE that names it among others', te: 'gzip;q=0.5, Trailers', expected: { te: 'trailers', accept: '*/*' } },
    { desc: 'nothing of a TE without trailers', te: 'gzip, deflate', expected: { accept: '*/*' } },
  ])('keeps $desc', ({ te, expected }) => {
    expect(requestHeadersForNextHop({ te, accept: '*/*' }, false, keepForwarded)).toEqual(expected)
  })

  it('drops HTTP/2 pseudo-headers', () => {
    expect(requestHeadersForNextHop({ ':method': 'GET', ':path': '/', ':authority': 'a.test', ':scheme': 'https', host: 'a.test' }, false, keepForwarded)).toEqual({ host: 'a.test' })
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

  it('keeps the Trailer announcement', () => {
    expect(responseHeadersForClient({ 'transfer-encoding': 'chunked', trailer: 'grpc-status, grpc-message' })).toEqual({ trailer: 'grpc-status, grpc-message' })
  })
})

describe('trailerFields', () => {
  it.each([
    { desc: 'fields fit to pass on, as they are', input: { 'grpc-status': '5', 'grpc-message': 'no such key', 'x-sum': ['a', 'b'] }, expected: { 'grpc-status': '5', 'grpc-message': 'no such key', 'x-sum': ['a', 'b'] } },
    {
      desc: 'framing, routing, authentication and hop-by-hop fields dropped',
      input: { 'content-length': '3', 'content-type': 'text/plain', host: 'evil.test', authorization: 'Basic eA==', te: 'trailers', connection: 'close', 'x-ok': '1' },
      expected: { 'x-ok': '1' },
    },
    { desc: 'forwarded headers dropped', input: { 'x-forwarded-for': '10.0.0.1', forwarded: 'for=10.0.0.1', 'x-real-ip': '10.0.0.1', 'x-ok': '1' }, expected: { 'x-ok': '1' } },
    { desc: 'pseudo-headers dropped', input: { ':status': '200', 'x-ok': '1' }, expected: { 'x-ok': '1' } },
    { desc: 'nothing left: undefined', input: { 'content-length': '3' }, expected: undefined },
    { desc: 'none at all: undefined', input: {}, expected: undefined },
  ])('$desc', ({ input, expected }) => {
    expect(trailerFields(input)).toEqual(expected)
  })
})
