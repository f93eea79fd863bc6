import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { createTarget } from '../../../src/services/target.ts'
import { testContext } from '../../support/context.ts'
import { outgoingHeaders, outgoingPath } from '../../../src/services/outgoing-request.ts'
import { resolveServersTransport } from '../../../src/services/servers-transport.ts'

const transport = resolveServersTransport()

describe('outgoingPath', () => {
  it.each([
    { desc: 'a plain path', input: { url: '/a/b', server: 'http://h:1', preservePath: false }, expected: '/a/b' },
    { desc: 'the query kept', input: { url: '/a?x=1&y', server: 'http://h:1', preservePath: false }, expected: '/a?x=1&y' },
    { desc: 'an empty query dropped', input: { url: '/a?', server: 'http://h:1', preservePath: false }, expected: '/a' },
    { desc: 'semicolons as separators', input: { url: '/a?x=1;y=2', server: 'http://h:1', preservePath: false }, expected: '/a?x=1&y=2' },
    { desc: 'the server path ignored', input: { url: '/a', server: 'http://h:1/base', preservePath: false }, expected: '/a' },
    { desc: 'the server path preserved', input: { url: '/a?q', server: 'http://h:1/base', preservePath: true }, expected: '/base/a?q' },
    { desc: 'one slash between', input: { url: '/a', server: 'http://h:1/base/', preservePath: true }, expected: '/base/a' },
    { desc: 'a root server path', input: { url: '/a', server: 'http://h:1', preservePath: true }, expected: '/a' },
    { desc: 'encoded bytes untouched', input: { url: '/%2F%20/x', server: 'http://h:1', preservePath: false }, expected: '/%2F%20/x' },
    { desc: 'the empty path a middleware left as /', input: { url: '', server: 'http://h:1', preservePath: false }, expected: '/' },
    { desc: 'the empty path with a query', input: { url: '?x=1', server: 'http://h:1', preservePath: false }, expected: '/?x=1' },
    { desc: 'the empty path under a preserved server path', input: { url: '?x=1', server: 'http://h:1/base', preservePath: true }, expected: '/base/?x=1' },
  ])('builds $desc', ({ input, expected }) => {
    const target = createTarget({ url: input.server, preservePath: input.preservePath }, transport, true)
    expect(outgoingPath(input.url, target)).toBe(expected)
  })
})

describe('outgoingHeaders', () => {
  it.each([
    { desc: "the client's Host with passHostHeader", input: { passHostHeader: true, host: 'client.example' }, expected: 'client.example' },
    { desc: "the server's host without", input: { passHostHeader: false, host: 'client.example' }, expected: 'backend:8080' },
    { desc: "the server's host for an empty Host, as Go's client does", input: { passHostHeader: true, host: '' }, expected: 'backend:8080' },
  ])('sends $desc', ({ input, expected }) => {
    const target = createTarget({ url: 'http://backend:8080' }, transport, input.passHostHeader)
    const req = { headers: { host: input.host, connection: 'x-forwarded-for', 'x-forwarded-host': 'set.by.entry.point' } } as unknown as IncomingMessage
    const ctx = testContext({ connection: { clientIp: '192.0.2.1' } })
    const out = outgoingHeaders(req, ctx, target, false)
    expect({ host: out['host'], forwardedHost: out['x-forwarded-host'], for: out['x-forwarded-for'], connection: out['connection'] }).toEqual({
      host: expected,
      forwardedHost: 'set.by.entry.point',
      for: '192.0.2.1',
      connection: undefined,
    })
  })
})

describe('outgoingHeaders and the Connection header the middlewares left', () => {
  it('removes what it lists, as Go’s proxy does, except what that proxy puts back (X-Forwarded-For, -Host, -Proto, Forwarded) and Host and Content-Length', () => {
    const target = createTarget({ url: 'http://backend:8080' }, transport, true)
    const headers = {
      host: 'client.example',
      connection: 'X-Forwarded-Port, X-Forwarded-Host, X-Forwarded-Proto, X-Forwarded-For, Forwarded, X-Real-Ip, Host, Content-Length, X-Secret',
      'x-forwarded-port': '80',
      'x-forwarded-host': 'client.example',
      'x-forwarded-proto': 'http',
      'x-forwarded-for': '10.0.0.1',
      forwarded: 'for=10.0.0.1',
      'x-real-ip': '192.0.2.1',
      'content-length': '3',
      'x-secret': 's',
      'x-kept': 'k',
    }
    const req = { headers } as unknown as IncomingMessage
    const out = outgoingHeaders(req, testContext({ connection: { clientIp: '192.0.2.1' } }), target, false)
    expect(out).toEqual({
      host: 'client.example',
      'x-forwarded-host': 'client.example',
      'x-forwarded-proto': 'http',
      'x-forwarded-for': '10.0.0.1, 192.0.2.1',
      forwarded: 'for=10.0.0.1',
      'content-length': '3',
      'x-kept': 'k',
    })
  })
})
