import type { IncomingHttpHeaders } from 'node:http'
import { describe, expect, it } from 'vitest'
import { parseHeadersOptions, type SecurityOptions } from '../../../middlewares/headers/options.ts'
import { SecurityPolicy, securityHeaders, withNonce } from '../../../middlewares/headers/security.ts'
import { testContext } from '../../support/context.ts'

function securityOf(options: Record<string, unknown>): SecurityOptions {
  const security = parseHeadersOptions(options, 'sec@file').security
  if (security === undefined) throw new Error('no security option in the test case')
  return security
}

function policy(options: Record<string, unknown>): SecurityPolicy {
  const parsed = parseHeadersOptions(options, 'sec@file')
  if (parsed.security === undefined) throw new Error('no security option in the test case')
  return new SecurityPolicy(parsed.security, parsed.request)
}

describe('the security header set (unrolled/secure v1.0.9 as Traefik configures it)', () => {
  it.each([
    { desc: 'STS on HTTPS', options: { stsSeconds: 31536000 }, https: true, expected: [['strict-transport-security', 'max-age=31536000']] },
    { desc: 'no STS on HTTP', options: { stsSeconds: 31536000 }, https: false, expected: [] },
    { desc: 'STS forced on HTTP', options: { stsSeconds: 60, forceSTSHeader: true }, https: false, expected: [['strict-transport-security', 'max-age=60']] },
    { desc: 'STS 0: none', options: { stsSeconds: 0, forceSTSHeader: true }, https: true, expected: [] },
    { desc: 'STS with subdomains and preload', options: { stsSeconds: 1, stsIncludeSubdomains: true, stsPreload: true }, https: true, expected: [['strict-transport-security', 'max-age=1; includeSubDomains; preload']] },
    { desc: 'STS with preload alone', options: { stsSeconds: 1, stsPreload: true }, https: true, expected: [['strict-transport-security', 'max-age=1; preload']] },
    { desc: 'no STS in development, even forced', options: { stsSeconds: 1, forceSTSHeader: true, isDevelopment: true }, https: true, expected: [] },
    { desc: 'frameDeny', options: { frameDeny: true }, https: false, expected: [['x-frame-options', 'DENY']] },
    { desc: 'a custom frame value wins over frameDeny', options: { frameDeny: true, customFrameOptionsValue: 'SAMEORIGIN' }, https: false, expected: [['x-frame-options', 'SAMEORIGIN']] },
    { desc: 'contentTypeNosniff', options: { contentTypeNosniff: true }, https: false, expected: [['x-content-type-options', 'nosniff']] },
    { desc: 'browserXssFilter', options: { browserXssFilter: true }, https: false, expected: [['x-xss-protection', '1; mode=block']] },
    { desc: 'a custom XSS value wins over browserXssFilter', options: { browserXssFilter: true, customBrowserXSSValue: '0' }, https: false, expected: [['x-xss-protection', '0']] },
    { desc: 'HPKP on HTTPS', options: { publicKey: 'pin-sha256="x"' }, https: true, expected: [['public-key-pins', 'pin-sha256="x"']] },
    { desc: 'no HPKP on HTTP', options: { publicKey: 'pin-sha256="x"' }, https: false, expected: [] },
    { desc: 'no HPKP in development', options: { publicKey: 'pin-sha256="x"', isDevelopment: true }, https: true, expected: [] },
    {
      desc: 'the policies',
      options: { contentSecurityPolicy: "default-src 'self'", contentSecurityPolicyReportOnly: "img-src 'none'", referrerPolicy: 'no-referrer', permissionsPolicy: 'microphone=(),' },
      https: false,
      expected: [
        ['content-security-policy', "default-src 'self'"],
        ['content-security-policy-report-only', "img-src 'none'"],
        ['referrer-policy', 'no-referrer'],
        ['permissions-policy', 'microphone=(),'],
      ],
    },
    { desc: 'only host options: no response header', options: { allowedHosts: ['a.test'], hostsProxyHeaders: ['X-Forwarded-Host'], sslProxyHeaders: { 'X-Forwarded-Proto': 'https' } }, https: true, expected: [] },
  ])('$desc', ({ options, https, expected }) => {
    expect(securityHeaders(securityOf(options), https)).toEqual(expected)
  })

  it('puts one fresh nonce, base64 without padding, in place of every $NONCE', () => {
    const headers = securityHeaders(securityOf({ contentSecurityPolicy: 'script-src $NONCE', contentSecurityPolicyReportOnly: 'style-src $NONCE $NONCE', frameDeny: true }), false)
    expect(withNonce(headers, 'AAAAAAAAAAAAAAAAAAAAAA')).toEqual([
      ['x-frame-options', 'DENY'],
      ['content-security-policy', "script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA'"],
      ['content-security-policy-report-only', "style-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA' 'nonce-AAAAAAAAAAAAAAAAAAAAAA'"],
    ])
    const [first, second] = [withNonce(headers), withNonce(headers)].map((set) => set[1]?.[1])
    expect(first).toMatch(/^script-src 'nonce-[A-Za-z0-9+/]{22}'$/)
    expect(second).not.toBe(first)
  })
})

describe('the request side: host and scheme', () => {
  const untrusted = testContext()
  const trusted = testContext({ connection: { trusted: true } })
  const tls = testContext({ connection: { secure: true } })

  it.each([
    { desc: 'a listed host', options: { allowedHosts: ['a.test'] }, headers: { host: 'a.test' }, ctx: untrusted, expected: true },
    { desc: 'hosts compare without case', options: { allowedHosts: ['A.Test'] }, headers: { host: 'a.TEST' }, ctx: untrusted, expected: true },
    { desc: 'the port is part of the host, as in Go', options: { allowedHosts: ['a.test'] }, headers: { host: 'a.test:8080' }, ctx: untrusted, expected: false },
    { desc: 'another host', options: { allowedHosts: ['a.test', 'b.test'] }, headers: { host: 'c.test' }, ctx: untrusted, expected: false },
    { desc: 'no host', options: { allowedHosts: ['a.test'] }, headers: {}, ctx: untrusted, expected: false },
    { desc: 'any host in development', options: { allowedHosts: ['a.test'], isDevelopment: true }, headers: { host: 'c.test' }, ctx: untrusted, expected: true },
    { desc: 'a proxy host from a trusted client', options: { allowedHosts: ['a.test'], hostsProxyHeaders: ['X-Original-Host'] }, headers: { host: 'c.test', 'x-original-host': 'a.test' }, ctx: trusted, expected: true },
    { desc: 'a proxy host refused from a trusted client', options: { allowedHosts: ['c.test'], hostsProxyHeaders: ['X-Original-Host'] }, headers: { host: 'c.test', 'x-original-host': 'evil.test' }, ctx: trusted, expected: false },
    { desc: 'a proxy host from an untrusted client does not count', options: { allowedHosts: ['a.test'], hostsProxyHeaders: ['X-Original-Host'] }, headers: { host: 'c.test', 'x-original-host': 'a.test' }, ctx: untrusted, expected: false },
    {
      desc: 'a proxy host this middleware sets counts for anyone',
      options: { allowedHosts: ['a.test'], hostsProxyHeaders: ['X-Original-Host'], customRequestHeaders: { 'X-Original-Host': 'a.test' } },
      headers: { host: 'c.test', 'x-original-host': 'a.test' },
      ctx: untrusted,
      expected: true,
    },
    { desc: 'an empty proxy header falls through to the next', options: { allowedHosts: ['b.test'], hostsProxyHeaders: ['X-A', 'X-B'] }, headers: { host: 'c.test', 'x-a': '', 'x-b': 'b.test' }, ctx: trusted, expected: true },
  ])('allowedHosts: $desc → $expected', ({ options, headers, ctx, expected }) => {
    expect(policy(options).allows(headers as IncomingHttpHeaders, ctx)).toBe(expected)
  })

  it.each([
    { desc: 'a TLS connection', options: { stsSeconds: 1 }, headers: {}, ctx: tls, expected: true },
    { desc: 'plain HTTP', options: { stsSeconds: 1 }, headers: {}, ctx: untrusted, expected: false },
    { desc: 'an SSL proxy header from a trusted client', options: { stsSeconds: 1, sslProxyHeaders: { 'X-Forwarded-Proto': 'https' } }, headers: { 'x-forwarded-proto': 'https' }, ctx: trusted, expected: true },
    { desc: 'an SSL proxy header with another value', options: { stsSeconds: 1, sslProxyHeaders: { 'X-Forwarded-Proto': 'https' } }, headers: { 'x-forwarded-proto': 'http' }, ctx: trusted, expected: false },
    { desc: 'an SSL proxy header from an untrusted client does not count', options: { stsSeconds: 1, sslProxyHeaders: { 'X-Is-Ssl': 'on' } }, headers: { 'x-is-ssl': 'on' }, ctx: untrusted, expected: false },
    { desc: 'an SSL proxy header this middleware sets counts for anyone', options: { stsSeconds: 1, sslProxyHeaders: { 'X-Is-Ssl': 'on' }, customRequestHeaders: { 'X-Is-Ssl': 'on' } }, headers: { 'x-is-ssl': 'on' }, ctx: untrusted, expected: true },
  ])('HTTPS: $desc → $expected', ({ options, headers, ctx, expected }) => {
    expect(policy(options).isHttps(headers as IncomingHttpHeaders, ctx)).toBe(expected)
  })

  it.each([
    { desc: 'STS', options: { stsSeconds: 1 }, expected: true },
    { desc: 'forced STS', options: { stsSeconds: 1, forceSTSHeader: true }, expected: false },
    { desc: 'HPKP', options: { publicKey: 'pin' }, expected: true },
    { desc: 'frameDeny alone', options: { frameDeny: true }, expected: false },
  ])('the scheme matters with $desc: $expected', ({ options, expected }) => {
    expect(policy(options).dependsOnScheme).toBe(expected)
  })
})
