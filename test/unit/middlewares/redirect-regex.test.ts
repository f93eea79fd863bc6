import { describe, expect, it } from 'vitest'
import { redirectRegexEntry } from '../../../middlewares/redirect-regex/index.ts'
import { exchange, middlewareContract } from '../../support/middleware-contract.ts'
import { testMiddlewareContext } from '../../support/context.ts'

middlewareContract(redirectRegexEntry, { valid: { regex: '^http://nowhere.test/', replacement: 'https://example.test/' }, invalid: { regex: '(', replacement: '/x' } })

/** The request URL is `http://` + Host + path: cases from Traefik's redirect_regex_test.go, and its documentation's. */
describe('redirectRegex', () => {
  it.each([
    { desc: 'simple redirection', regex: '^(?:http?:\\/\\/)(foo)(\\.com)(:\\d+)(.*)$', replacement: 'https://${1}bar$2:443$4', host: 'foo.com:80', path: '/', status: 302, location: 'https://foobar.com:443/' },
    { desc: 'URL does not match: handed on', regex: '^(?:http?:\\/\\/)(foo)(\\.com)(:\\d+)(.*)$', replacement: 'https://${1}bar$2:443$4', host: 'bar.com:80', path: '/', status: 200, location: undefined },
    { desc: 'HTTP to HTTPS permanent', regex: '^http://', replacement: 'https://$1', permanent: true, host: 'foo', path: '/', status: 301, location: 'https://foo/' },
    { desc: 'HTTP to HTTPS, port named', regex: 'http://foo:80', replacement: 'https://foo:443', host: 'foo:80', path: '/', status: 302, location: 'https://foo:443/' },
    { desc: 'HTTP to HTTP on another port', regex: 'http://foo:80', replacement: 'http://foo:88', host: 'foo:80', path: '/', status: 302, location: 'http://foo:88/' },
    { desc: 'HTTP to HTTPS, POST', regex: '^http://', replacement: 'https://$1', method: 'POST', host: 'foo', path: '/', status: 307, location: 'https://foo/' },
    { desc: 'HTTP to HTTPS, POST, permanent', regex: '^http://', replacement: 'https://$1', permanent: true, method: 'POST', host: 'foo', path: '/', status: 308, location: 'https://foo/' },
    { desc: 'www redirect without port', regex: '(https?)://[^/:]+(:[0-9]+)?/(.*)', replacement: '$1://example.com$2/$3', permanent: true, host: 'www.example.com', path: '/path', status: 301, location: 'http://example.com/path' },
    { desc: 'www redirect with port', regex: '(https?)://[^/:]+(:[0-9]+)?/(.*)', replacement: '$1://example.com$2/$3', permanent: true, host: 'www.example.com:8080', path: '/path', status: 301, location: 'http://example.com:8080/path' },
    { desc: 'documentation example: domain replacement', regex: '^http://localhost/(.*)', replacement: 'http://mydomain/${1}', host: 'localhost', path: '/a/b?c=d', status: 302, location: 'http://mydomain/a/b?c=d' },
    { desc: 'the host stripped of www., from the request host', regex: '^https?://www\\.(.+)', replacement: 'https://${1}', host: 'www.example.com', path: '/p?q', status: 302, location: 'https://example.com/p?q' },
    { desc: 'a relative location keeps the request host', regex: '^http://[^/]+/old/(.*)', replacement: '/new/$1', host: 'a.test', path: '/old/x', status: 302, location: '/new/x' },
    { desc: 'a path capture may fill the path', regex: '^http://[^/]+/go/(.*)', replacement: 'https://example.com/landing/$1', host: 'a.test', path: '/go/evil.test', status: 302, location: 'https://example.com/landing/evil.test' },
    { desc: 'a path capture may fill the port', regex: '^http://[^/]+/port/([0-9]+)', replacement: 'https://example.com:$1/', host: 'a.test', path: '/port/8443', status: 302, location: 'https://example.com:8443/' },
    { desc: 'a replacement giving the URL back: handed on', regex: '^(.*)$', replacement: '$1', host: 'a.test', path: '/x', status: 200, location: undefined },
  ])('$desc', async ({ regex, replacement, permanent, method, host, path, status, location }) => {
    const options = { regex, replacement, ...(permanent && { permanent }) }
    const result = await exchangeWith(options, path, { host }, method)
    expect({ status: result.status, location: result.headers.location, reached: result.seen !== undefined }).toEqual({ status, location, reached: status === 200 })
  })

  // Captures from the request's path or query never become the Location's host or scheme.
  it.each([
    { desc: 'a path capture as the host', regex: '^http://[^/]+/go/(.*)', replacement: 'https://$1', path: '/go/evil.test/x' },
    { desc: 'the rest of the path as the host', regex: '^http://[^/]+/go/', replacement: 'https://', path: '/go/evil.test/x' },
    { desc: 'a path capture after the host, with @', regex: '^http://[^/]+/u/(.*)', replacement: 'https://example.com$1', path: '/u/@evil.test' },
    { desc: 'a path capture after the host, with a dot', regex: '^http://[^/]+/u/(.*)', replacement: 'https://example.com$1', path: '/u/.evil.test' },
    { desc: 'a query capture as a scheme-relative location', regex: '^http://[^?]+\\?next=(.*)', replacement: '$1', path: '/login?next=//evil.test/' },
    { desc: 'a query capture as a location with backslashes', regex: '^http://[^?]+\\?next=(.*)', replacement: '$1', path: '/login?next=/\\evil.test/' },
    { desc: 'a query capture as a full URL', regex: '^http://[^?]+\\?next=(.*)', replacement: '$1', path: '/login?next=https://evil.test/' },
    { desc: 'a query capture as the scheme', regex: '^http://[^?]+\\?s=([a-z]+)', replacement: '$1://example.com/', path: '/x?s=javascript' },
    { desc: 'a path capture as a subdomain', regex: '^http://[^/]+/t/([a-z]+)', replacement: 'https://$1.example.com/', path: '/t/acme' },
  ])('answers 400 rather than send the client to a host from the path: $desc', async ({ regex, replacement, path }) => {
    const result = await exchangeWith({ regex, replacement }, path, { host: 'a.test' })
    expect({ status: result.status, location: result.headers.location, reached: result.seen !== undefined }).toEqual({ status: 400, location: undefined, reached: false })
  })

  it('answers 502 when the result is not a URL, as Traefik does', async () => {
    const result = await exchangeWith({ regex: '^(.*)$', replacement: 'http://[::1/' }, '/', { host: 'a.test' })
    expect({ status: result.status, reached: result.seen !== undefined }).toEqual({ status: 502, reached: false })
  })

  it.each([
    { desc: 'a missing regex', options: { replacement: '/x' }, message: 'regex must be a non-empty string' },
    { desc: 'a missing replacement', options: { regex: '^/x' }, message: 'replacement must be a non-empty string' },
    { desc: 'a replacement with a line break', options: { regex: '^/x', replacement: '/a\r\nSet-Cookie: x=1' }, message: 'replacement must not hold control characters' },
    { desc: 'a regex that does not parse', options: { regex: '(', replacement: '/x' }, message: 'regex "(": error parsing regexp: missing closing ): `(`' },
    { desc: 'a permanent that is not a boolean', options: { regex: '^/x', replacement: '/y', permanent: 'yes' }, message: 'permanent must be a boolean' },
  ])('refuses $desc', ({ options, message }) => {
    expect(() => redirectRegexEntry.create(options, testMiddlewareContext('m@file'))).toThrow(
      expect.objectContaining({ code: 'JCT_ERR_DYNAMIC_CONFIG', message: `middleware m@file: redirectRegex: ${message}` }),
    )
  })
})

function exchangeWith(options: Record<string, unknown>, path: string, headers: Record<string, string>, method = 'GET'): ReturnType<typeof exchange> {
  return exchange(redirectRegexEntry, options, path, headers, method)
}
