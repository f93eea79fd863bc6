import { load as parseYaml } from 'js-yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { httpGet } from '../../support/http-get.ts'
import { startJunction, type TestJunction } from '../../support/junction.ts'
import { rawRequest } from '../../support/raw-http.ts'
import { startUpstream, type Echo, type Upstream } from '../../support/upstream.ts'

/** The path middlewares' examples in Traefik v3's documentation, in their YAML form, as a user would paste them. */
const documentation = {
  addPrefix: `
# Prefixing with /foo
http:
  middlewares:
    add-foo:
      addPrefix:
        prefix: "/foo"
`,
  stripPrefix: `
# Strip prefix /foobar and /fiibar
http:
  middlewares:
    test-stripprefix:
      stripPrefix:
        prefixes:
          - "/foobar"
          - "/fiibar"
`,
  forceSlash: `
http:
  middlewares:
    example:
      stripPrefix:
        prefixes:
          - "/foobar"
        forceSlash: false
`,
  stripPrefixRegex: `
http:
  middlewares:
    test-stripprefixregex:
      stripPrefixRegex:
        regex:
          - "/foo/[a-z0-9]+/[0-9]+/"
`,
  replacePath: `
# Replace the path with /foo
http:
  middlewares:
    test-replacepath:
      replacePath:
        path: "/foo"
`,
  replacePathRegex: `
# Replace path with regex
http:
  middlewares:
    test-replacepathregex:
      replacePathRegex:
        regex: "^/foo/(.*)"
        replacement: "/bar/$1"
`,
}

type Middlewares = Record<string, unknown>
const fromDocumentation = Object.values(documentation).reduce<Middlewares>(
  (all, text) => ({ ...all, ...(parseYaml(text) as { http: { middlewares: Middlewares } }).http.middlewares }),
  {},
)

/** One router per host, each with its middlewares, all to the echo server. */
const routers: Record<string, string[]> = {
  'add.test': ['add-foo'],
  'strip.test': ['test-stripprefix'],
  'force.test': ['example'],
  'regex.test': ['test-stripprefixregex'],
  'replace.test': ['test-replacepath'],
  'replace-regex.test': ['test-replacepathregex'],
  'strip-add.test': ['strip-api', 'add-v1'],
  'strip-twice.test': ['strip-api', 'strip-v1'],
  'replace-twice.test': ['to-foo-x', 'test-replacepathregex'],
  'tenant.test': ['strip-tenant'],
}

let junction: TestJunction
let upstream: Upstream

beforeAll(async () => {
  upstream = await startUpstream()
  junction = await startJunction()
  await junction.write({
    http: {
      routers: {
        ...Object.fromEntries(Object.entries(routers).map(([host, middlewares]) => [host.replace('.test', ''), { rule: `Host(\`${host}\`)`, middlewares, service: 'echo' }])),
        'bad-add': { rule: 'Host(`bad.test`)', middlewares: ['bad-prefix'], service: 'echo' },
      },
      middlewares: {
        ...fromDocumentation,
        'strip-api': { stripPrefix: { prefixes: ['/api'] } },
        'strip-v1': { stripPrefix: { prefixes: ['/v1'] } },
        'add-v1': { addPrefix: { prefix: '/v1' } },
        'to-foo-x': { replacePath: { path: '/foo/x' } },
        'strip-tenant': { stripPrefixRegex: { regex: ['^/t/[a-z]+'] } },
        'bad-prefix': { addPrefix: { prefix: '/a/../b' } },
      },
      services: { echo: { loadBalancer: { servers: [{ url: upstream.url }] } } },
    },
  })
})

afterAll(async () => {
  await junction.stop()
  await upstream.close()
})

function port(): number {
  return Number(new URL(junction.url()).port)
}

/** What the server saw, or the status Junction answered when the request did not reach it. */
async function seen(host: string, path: string): Promise<{ url: string; prefix?: unknown; replaced?: unknown } | { status: number }> {
  const reply = await httpGet(port(), path, { host })
  if (reply.status !== 200) return { status: reply.status }
  const echo = JSON.parse(reply.body) as Echo
  return {
    url: echo.url,
    ...(echo.headers['x-forwarded-prefix'] !== undefined && { prefix: echo.headers['x-forwarded-prefix'] }),
    ...(echo.headers['x-replaced-path'] !== undefined && { replaced: echo.headers['x-replaced-path'] }),
  }
}

describe('Traefik documentation examples, loaded as written', () => {
  it.each([
    { desc: 'addPrefix /foo', host: 'add.test', path: '/bar?x=1', expected: { url: '/foo/bar?x=1' } },
    { desc: 'stripPrefix /foobar', host: 'strip.test', path: '/foobar/a', expected: { url: '/a', prefix: '/foobar' } },
    { desc: 'stripPrefix /fiibar', host: 'strip.test', path: '/fiibar/b?c', expected: { url: '/b?c', prefix: '/fiibar' } },
    { desc: 'stripPrefix, other path untouched', host: 'strip.test', path: '/other', expected: { url: '/other' } },
    { desc: 'stripPrefix, the whole path: the server receives /', host: 'strip.test', path: '/foobar', expected: { url: '/', prefix: '/foobar' } },
    { desc: 'forceSlash false, the whole path with a query', host: 'force.test', path: '/foobar?q=1', expected: { url: '/?q=1', prefix: '/foobar' } },
    { desc: 'stripPrefixRegex', host: 'regex.test', path: '/foo/abc/123/bar', expected: { url: '/bar', prefix: '/foo/abc/123/' } },
    { desc: 'stripPrefixRegex, no match', host: 'regex.test', path: '/foo/abc/def/bar', expected: { url: '/foo/abc/def/bar' } },
    { desc: 'replacePath', host: 'replace.test', path: '/bar/baz?x=1', expected: { url: '/foo?x=1', replaced: '/bar/baz' } },
    { desc: 'replacePathRegex', host: 'replace-regex.test', path: '/foo/baz?x=1', expected: { url: '/bar/baz?x=1', replaced: '/foo/baz' } },
    { desc: 'replacePathRegex, no match', host: 'replace-regex.test', path: '/other', expected: { url: '/other' } },
  ])('$desc: $path', async ({ host, path, expected }) => {
    expect(await seen(host, path)).toEqual(expected)
  })
})

describe('path middlewares through the engine', () => {
  it.each([
    { desc: 'strip then add: the empty path takes the prefix alone', host: 'strip-add.test', path: '/api', expected: { url: '/v1', prefix: '/api' } },
    { desc: 'strip then add, with a rest', host: 'strip-add.test', path: '/api/users?id=3', expected: { url: '/v1/users?id=3', prefix: '/api' } },
    { desc: 'two strips: one header line each, joined by the server', host: 'strip-twice.test', path: '/api/v1/x', expected: { url: '/x', prefix: '/api, /v1' } },
    { desc: 'two replacements: X-Replaced-Path holds both old paths', host: 'replace-twice.test', path: '/orig?q', expected: { url: '/bar/x?q', replaced: '/orig, /foo/x' } },
    { desc: 'stripPrefixRegex leaves the empty path: the server receives /', host: 'tenant.test', path: '/t/acme?x', expected: { url: '/?x', prefix: '/t/acme' } },
    { desc: 'encoded characters after the prefix reach the server encoded', host: 'strip.test', path: '/foobar/a%2Fb%20c', expected: { url: '/a%2Fb%20c', prefix: '/foobar' } },
    { desc: 'the entry point resolves dot segments before stripping', host: 'strip.test', path: '/x/../foobar/a', expected: { url: '/a', prefix: '/foobar' } },
    { desc: 'encoded dot segments resolve before stripping too', host: 'strip.test', path: '/foobar/%2e%2e/y', expected: { url: '/y' } },
    { desc: 'double encoding is one level: %252e stays text', host: 'strip.test', path: '/foobar/%252e%252e/y', expected: { url: '/%252e%252e/y', prefix: '/foobar' } },
  ])('$desc: $path', async ({ host, path, expected }) => {
    expect(await seen(host, path)).toEqual(expected)
  })

  // What no rewrite may make: a segment that climbs out of the prefix the request was routed by.
  it.each([
    { desc: 'a prefix cut inside a segment leaving ..', host: 'strip.test', path: '/foobar../admin' },
    { desc: 'a prefix cut inside a segment leaving .', host: 'strip.test', path: '/foobar./admin' },
    { desc: 'dot-dot between encoded slashes after the prefix', host: 'strip.test', path: '/foobar%2F..%2Fadmin' },
    { desc: 'dot-dot between encoded backslashes after the prefix', host: 'strip.test', path: '/foobar%5C..%5Cadmin' },
    { desc: 'dot-dot after a raw backslash', host: 'strip.test', path: '/foobar\\..\\admin' },
    { desc: 'encoded dot-dot before an encoded slash', host: 'strip.test', path: '/foobar/%2e%2e%2fadmin' },
    { desc: 'a regex strip leaving ..', host: 'tenant.test', path: '/t/acme../admin' },
    { desc: 'a replacement capture ending up ..', host: 'replace-regex.test', path: '/foo/..%2Fadmin' },
  ])('answers 400: $desc', async ({ host, path }) => {
    const reply = await rawRequest(port(), `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)
    expect({ status: reply.status, error: reply.headers['x-junction-error'] }).toEqual({ status: 400, error: 'JCT_ERR_BAD_REQUEST' })
  })

  it('disables a middleware with a bad option, and its router, naming the option; the others serve', async () => {
    const report = junction.junction.live.report
    expect({
      middleware: { status: report.middlewares['bad-prefix@file']?.status, errors: report.middlewares['bad-prefix@file']?.errors },
      router: report.routers['bad-add@file']?.status,
    }).toEqual({
      middleware: {
        status: 'disabled',
        errors: ['middleware bad-prefix@file: addPrefix: prefix "/a/../b" must not hold "." or ".." segments, a "#" or a malformed percent-encoding'],
      },
      router: 'disabled',
    })
    expect([(await httpGet(port(), '/', { host: 'bad.test' })).status, await seen('add.test', '/')]).toEqual([404, { url: '/foo/' }])
  })
})
