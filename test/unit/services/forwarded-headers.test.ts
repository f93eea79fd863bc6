import { hostname } from 'node:os'
import { describe, expect, it } from 'vitest'
import type { ConnectionInfo, RequestContext } from '../../../src/core/context.ts'
import { addForwardedHeaders, removeUntrustedForwardedHeaders } from '../../../src/services/forwarded-headers.ts'
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
      'x-request-id': 'keep',
      host: 'keep',
    }
    removeUntrustedForwardedHeaders(headers)
    expect(headers).toEqual({ 'x-request-id': 'keep', host: 'keep' })
  })
})

describe('addForwardedHeaders', () => {
  it.each([
    {
      desc: 'a plain http request',
      input: { out: {}, host: 'app.example:8080', ctx: ctx(), upgrade: false },
      expected: { for: '192.0.2.10', realIp: '192.0.2.10', proto: 'http', port: '8080', host: 'app.example:8080' },
    },
    {
      desc: 'a TLS request without a port',
      input: { out: {}, host: 'app.example', ctx: ctx({ secure: true }), upgrade: false },
      expected: { for: '192.0.2.10', realIp: '192.0.2.10', proto: 'https', port: '443', host: 'app.example' },
    },
    {
      desc: 'a WebSocket upgrade',
      input: { out: {}, host: 'app.example', ctx: ctx(), upgrade: true },
      expected: { for: '192.0.2.10', realIp: '192.0.2.10', proto: 'ws', port: '80', host: 'app.example' },
    },
    {
      desc: 'a secure WebSocket upgrade',
      input: { out: {}, host: 'app.example', ctx: ctx({ secure: true }), upgrade: true },
      expected: { for: '192.0.2.10', realIp: '192.0.2.10', proto: 'wss', port: '443', host: 'app.example' },
    },
    {
      desc: 'values a trusted client sent',
      input: {
        out: { 'x-forwarded-for': ['203.0.113.1', '198.51.100.2'], 'x-real-ip': '203.0.113.1', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'front.example' },
        host: 'app.example',
        ctx: ctx({ trusted: true }),
        upgrade: false,
      },
      expected: { for: '203.0.113.1, 198.51.100.2, 192.0.2.10', realIp: '203.0.113.1', proto: 'https', port: '443', host: 'front.example' },
    },
  ])('sets them for $desc', ({ input, expected }) => {
    const out: Record<string, string | string[]> = { ...input.out }
    addForwardedHeaders(out, input.host, input.ctx, input.upgrade)
    expect({
      for: out['x-forwarded-for'],
      realIp: out['x-real-ip'],
      proto: out['x-forwarded-proto'],
      port: out['x-forwarded-port'],
      host: out['x-forwarded-host'],
    }).toEqual(expected)
    expect(out['x-forwarded-server']).toBe(hostname())
  })

  it('sets no X-Forwarded-Host without a Host', () => {
    const out: Record<string, string | string[]> = {}
    addForwardedHeaders(out, undefined, ctx(), false)
    expect(out['x-forwarded-host']).toBeUndefined()
  })
})
