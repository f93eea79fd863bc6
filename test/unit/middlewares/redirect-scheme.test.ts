import { describe, expect, it } from 'vitest'
import { redirectSchemeEntry } from '../../../middlewares/redirect-scheme/index.ts'
import { redirectStatus } from '../../../src/core/redirect.ts'
import { exchange, middlewareContract } from '../../support/middleware-contract.ts'
import { testMiddlewareContext } from '../../support/context.ts'

middlewareContract(redirectSchemeEntry, {
  valid: { scheme: 'http' },
  invalid: { scheme: '' },
  passing: { path: '/some/path', headers: { host: 'example.test' } },
})

/** Cases from Traefik's redirect_scheme_test.go; `host` is the request's Host header, on a plain-HTTP connection. */
describe('redirectScheme', () => {
  it.each([
    { desc: 'HTTP to HTTPS', options: { scheme: 'https' }, host: 'foo', location: 'https://foo/' },
    { desc: 'with X-Forwarded-Proto http', options: { scheme: 'https' }, host: 'foo', headers: { 'x-forwarded-proto': 'http' }, location: 'https://foo/' },
    { desc: 'with X-Forwarded-Proto https: no redirect', options: { scheme: 'https' }, host: 'foo', headers: { 'x-forwarded-proto': 'https' }, location: undefined },
    { desc: 'with an unknown X-Forwarded-Proto', options: { scheme: 'https' }, host: 'foo', headers: { 'x-forwarded-proto': 'bar' }, location: 'https://foo/' },
    { desc: 'with X-Forwarded-Proto ws', options: { scheme: 'https' }, host: 'foo', headers: { 'x-forwarded-proto': 'ws' }, location: 'https://foo/' },
    { desc: 'with X-Forwarded-Proto wss: no redirect', options: { scheme: 'https' }, host: 'foo', headers: { 'x-forwarded-proto': 'wss' }, location: undefined },
    { desc: 'HTTP with port to HTTPS without port', options: { scheme: 'https' }, host: 'foo:8080', location: 'https://foo/' },
    { desc: 'HTTP without port to HTTPS with port', options: { scheme: 'https', port: '8443' }, host: 'foo', location: 'https://foo:8443/' },
    { desc: 'HTTP with port to HTTPS with port', options: { scheme: 'https', port: '8443' }, host: 'foo:8000', location: 'https://foo:8443/' },
    { desc: 'HTTPS with port to HTTPS with another port', options: { scheme: 'https', port: '8443' }, host: 'foo:8000', headers: { 'x-forwarded-proto': 'https' }, location: 'https://foo:8443/' },
    { desc: 'HTTPS with port to HTTPS without port', options: { scheme: 'https' }, host: 'foo:8000', headers: { 'x-forwarded-proto': 'https' }, location: 'https://foo/' },
    { desc: 'the path and query kept', options: { scheme: 'https' }, host: 'foo:8000', path: '/theother?a=b', location: 'https://foo/theother?a=b' },
    { desc: 'to HTTP 80 from port 80: no redirect', options: { scheme: 'http', port: '80' }, host: 'foo:80', location: undefined },
    { desc: 'to HTTPS 443 from HTTPS 443: no redirect', options: { scheme: 'https', port: '443' }, host: 'foo:443', headers: { 'x-forwarded-proto': 'https' }, location: undefined },
    { desc: 'HTTP to wss with port', options: { scheme: 'wss', port: '9443' }, host: 'foo', location: 'wss://foo:9443/' },
    { desc: 'HTTP with port to wss without port', options: { scheme: 'wss' }, host: 'foo:5678', location: 'wss://foo/' },
    { desc: 'HTTP on 443 to HTTPS', options: { scheme: 'https' }, host: 'foo:443', location: 'https://foo/' },
    { desc: 'HTTP port redirection', options: { scheme: 'http', port: '8181' }, host: 'foo:8080', location: 'http://foo:8181/' },
    { desc: 'IPv6 to HTTPS', options: { scheme: 'https' }, host: '[::1]', location: 'https://[::1]/' },
    { desc: 'IPv6 to HTTPS with port', options: { scheme: 'https', port: '8443' }, host: '[::1]', location: 'https://[::1]:8443/' },
    { desc: 'IPv6 on 80 to HTTPS', options: { scheme: 'https' }, host: '[::1]:80', location: 'https://[::1]/' },
    { desc: 'an upper-case scheme is the same scheme', options: { scheme: 'HTTP' }, host: 'foo', location: undefined },
  ])('$desc', async ({ options, host, headers, path, location }) => {
    const result = await exchange(redirectSchemeEntry, options, path ?? '/', { host, ...headers })
    expect({ status: result.status, location: result.headers.location, reached: result.seen !== undefined }).toEqual(
      location === undefined ? { status: 200, location: undefined, reached: true } : { status: 302, location, reached: false },
    )
  })

  it.each([
    { method: 'GET', permanent: false, status: 302 },
    { method: 'GET', permanent: true, status: 301 },
    { method: 'HEAD', permanent: false, status: 307 },
    { method: 'HEAD', permanent: true, status: 308 },
    { method: 'POST', permanent: false, status: 307 },
    { method: 'POST', permanent: true, status: 308 },
    { method: 'PUT', permanent: true, status: 308 },
  ])('$method, permanent $permanent: $status (Traefik keeps 301/302 for GET alone)', ({ method, permanent, status }) => {
    expect(redirectStatus(method, permanent)).toBe(status)
  })

  it.each([
    { desc: 'a host with characters no host name has', host: 'a!b.test' },
    { desc: 'a port that is not a number', host: 'foo:http' },
  ])('answers 400 to $desc rather than redirect to it', async ({ host }) => {
    const result = await exchange(redirectSchemeEntry, { scheme: 'https' }, '/', { host })
    expect({ status: result.status, location: result.headers.location, reached: result.seen !== undefined }).toEqual({ status: 400, location: undefined, reached: false })
  })

  it.each([
    { desc: 'a missing scheme', options: {}, message: 'scheme undefined must be a URI scheme such as "https"' },
    { desc: 'a scheme with ://', options: { scheme: 'https://' }, message: 'scheme "https://" must be a URI scheme such as "https"' },
    { desc: 'a port out of range', options: { scheme: 'https', port: '70000' }, message: 'port "70000" must be a port number from 1 to 65535' },
    { desc: 'a port that is not a number', options: { scheme: 'https', port: 'https' }, message: 'port "https" must be a port number from 1 to 65535' },
    { desc: 'port 0', options: { scheme: 'https', port: '0' }, message: 'port "0" must be a port number from 1 to 65535' },
  ])('refuses $desc', ({ options, message }) => {
    expect(() => redirectSchemeEntry.create(options, testMiddlewareContext('m@file'))).toThrow(
      expect.objectContaining({ code: 'JCT_ERR_DYNAMIC_CONFIG', message: `middleware m@file: redirectScheme: ${message}` }),
    )
  })
})
