import { hostname } from 'node:os'
import { describe, expect, it } from 'vitest'
import type { ConnectionInfo, RequestContext } from '../../../src/core/context.ts'
import { forwardedFor, removeUntrustedForwardedHeaders, setForwardedHeaders } from '../../../src/services/forwarded-headers.ts'
import { testContext } from '../../support/context.ts'

const ctx = (over: Partial<ConnectionInfo> = {}): RequestContext => testContext({ connection: { clientIp: '192.0.2.10', ...over } })

describe('removeUntrustedForwardedHeaders', () => {
  it('deletes the whole X-Forwarded family, underscore spellings included, and nothing else', () => {
    const headers: Record<string, string> = {
      'x-forwarded-for': '1.1.1.1',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'h',
      'x-forwarded-port': '443',
      'x-forwarded-server': 's',
      'x-forwarded-prefix': '/p',
      'x-forwarded-uri': '/u',
      'x-forwarded-method': 'GET',
      'x-forwarded-tls-client-cert': 'c',
      'x-forwarded-tls-client-cert-info': 'i',
      'x-real-ip': '1.1.1.1',
      x_forwarded_for: '1.1.1.1',
      'x_real-ip': '1.1.1.1',
      'x-forwarded-scheme': 'https',
      'x-scheme': 'https',
      'x-replaced-path': '/admin',
      x_replaced_path: '/admin',
      'x-request-id': 'keep',
      host: 'keep',
    }
    removeUntrustedForwardedHeaders(headers)
    expect(headers).toEqual({ 'x-request-id': 'keep', host: 'keep' })
  })
})

describe('setForwardedHeaders', () => {
  it.each([
    {
      desc: 'a plain http request',
      input: { headers: { host: 'app.example:8080' }, ctx: ctx(), websocket: false },
      expected: { realIp: '192.0.2.10', proto: 'http', port: '8080', host: 'app.example:8080' },
    },
    {
      desc: 'a TLS request without a port',
      input: { headers: { host: 'app.example' }, ctx: ctx({ secure: true }), websocket: false },
      expected: { realIp: '192.0.2.10', proto: 'https', port: '443', host: 'app.example' },
    },
    {
      desc: 'a WebSocket upgrade',
      input: { headers: { host: 'app.example' }, ctx: ctx(), websocket: true },
      expected: { realIp: '192.0.2.10', proto: 'ws', port: '80', host: 'app.example' },
    },
    {
      desc: 'a secure WebSocket upgrade',
      input: { headers: { host: 'app.example' }, ctx: ctx({ secure: true }), websocket: true },
      expected: { realIp: '192.0.2.10', proto: 'wss', port: '443', host: 'app.example' },
    },
    {
      desc: 'an IPv6 Host with a port, and a port Go would split though it is no number',
      input: { headers: { host: '[::1]:8443' }, ctx: ctx(), websocket: false },
      expected: { realIp: '192.0.2.10', proto: 'http', port: '8443', host: '[::1]:8443' },
    },
    {
      desc: 'a bare IPv6 Host (no port)',
      input: { headers: { host: '::1' }, ctx: ctx(), websocket: false },
      expected: { realIp: '192.0.2.10', proto: 'http', port: '80', host: '::1' },
    },
    {
      desc: 'values a trusted client sent (X-Forwarded-For is left to the forwarder)',
      input: {
        headers: { host: 'app.example', 'x-forwarded-for': '203.0.113.1', 'x-real-ip': '203.0.113.1', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'front.example', 'x-forwarded-server': 'elsewhere' },
        ctx: ctx({ trusted: true }),
        websocket: false,
      },
      expected: { for: '203.0.113.1', realIp: '203.0.113.1', proto: 'https', port: '443', host: 'front.example' },
    },
  ])('sets them for $desc', ({ input, expected }) => {
    const headers: Record<string, string> = { ...input.headers }
    setForwardedHeaders(headers, input.ctx, input.websocket)
    expect({
      for: headers['x-forwarded-for'],
      realIp: headers['x-real-ip'],
      proto: headers['x-forwarded-proto'],
      port: headers['x-forwarded-port'],
      host: headers['x-forwarded-host'],
    }).toEqual({ for: undefined, ...expected })
    // Traefik always writes its own host name, whatever a trusted client said.
    expect(headers['x-forwarded-server']).toBe(hostname())
  })

  it('sets no X-Forwarded-Host without a Host, or with an empty one', () => {
    const none: Record<string, string> = {}
    const empty: Record<string, string> = { host: '' }
    setForwardedHeaders(none, ctx(), false)
    setForwardedHeaders(empty, ctx(), false)
    expect([none['x-forwarded-host'], empty['x-forwarded-host'], none['x-forwarded-port']]).toEqual([undefined, undefined, '80'])
  })
})

describe('forwardedFor', () => {
  it.each([
    { desc: 'the client address alone', input: { headers: {}, append: true }, expected: '192.0.2.10' },
    { desc: 'appended to what the request carries', input: { headers: { 'x-forwarded-for': '203.0.113.1, 10.0.0.1' }, append: true }, expected: '203.0.113.1, 10.0.0.1, 192.0.2.10' },
    { desc: 'appended to an empty value, as Go joins it', input: { headers: { 'x-forwarded-for': '' }, append: true }, expected: ', 192.0.2.10' },
    { desc: 'nothing once a middleware removed it (name kept, no value)', input: { headers: { 'x-forwarded-for': undefined }, append: true }, expected: undefined },
    { desc: 'the value as it is with notAppendXForwardedFor', input: { headers: { 'x-forwarded-for': '203.0.113.1' }, append: false }, expected: '203.0.113.1' },
    { desc: 'none with notAppendXForwardedFor and no value', input: { headers: {}, append: false }, expected: undefined },
  ])('gives $desc', ({ input, expected }) => {
    expect(forwardedFor(input.headers, testContext({ connection: { clientIp: '192.0.2.10' }, appendForwardedFor: input.append }))).toBe(expected)
  })
})
