import { load as parseYaml } from 'js-yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startJunction, type TestJunction } from '../../support/junction.ts'
import { rawRequest, type RawResponse } from '../../support/raw-http.ts'
import { startUpstream, type Echo, type Upstream } from '../../support/upstream.ts'

/** The redirect middlewares' examples in Traefik v3's documentation, in their YAML form. */
const documentation = {
  redirectScheme: `
# Redirect to https
http:
  middlewares:
    test-redirectscheme:
      redirectScheme:
        scheme: https
        permanent: true
`,
  redirectSchemePort: `
# Redirect to https
http:
  middlewares:
    test-redirectscheme-port:
      redirectScheme:
        scheme: https
        port: "443"
`,
  redirectRegex: `
# Redirect with domain replacement
http:
  middlewares:
    test-redirectregex:
      redirectRegex:
        regex: "^http://localhost/(.*)"
        replacement: "http://mydomain/\${1}"
`,
}

type Middlewares = Record<string, unknown>
const fromDocumentation = Object.values(documentation).reduce<Middlewares>(
  (all, text) => ({ ...all, ...(parseYaml(text) as { http: { middlewares: Middlewares } }).http.middlewares }),
  {},
)

let junction: TestJunction
let upstream: Upstream

beforeAll(async () => {
  upstream = await startUpstream()
  junction = await startJunction()
  await junction.write({
    http: {
      routers: {
        scheme: { rule: 'Host(`scheme.test`)', middlewares: ['test-redirectscheme'], service: 'echo' },
        'scheme-port': { rule: 'Host(`port.test`)', middlewares: ['test-redirectscheme-port'], service: 'echo' },
        'to-8443': { rule: 'Host(`to8443.test`)', middlewares: ['https-8443'], service: 'echo' },
        regex: { rule: 'Host(`localhost`)', middlewares: ['test-redirectregex'], service: 'echo' },
        www: { rule: 'HostRegexp(`^www\\.`)', middlewares: ['strip-www'], service: 'echo' },
        // No Host rule: whatever Host a client sends reaches these.
        'any-host': { rule: 'PathPrefix(`/any`)', middlewares: ['test-redirectscheme'], service: 'echo' },
        'go-open': { rule: 'PathPrefix(`/go/`)', middlewares: ['go-anywhere'], service: 'echo' },
        'next-open': { rule: 'PathPrefix(`/login`)', middlewares: ['next-param'], service: 'echo' },
        'stripped-then-scheme': { rule: 'Host(`stripped.test`)', middlewares: ['strip-api', 'test-redirectscheme'], service: 'echo' },
      },
      middlewares: {
        ...fromDocumentation,
        'https-8443': { redirectScheme: { scheme: 'https', port: '8443' } },
        'strip-www': { redirectRegex: { regex: '^http://www\\.(.+)', replacement: 'http://${1}', permanent: true } },
        'go-anywhere': { redirectRegex: { regex: '^http://[^/]+/go/(.*)', replacement: 'https://${1}' } },
        'next-param': { redirectRegex: { regex: '^http://[^/?]+/login\\?next=(.*)', replacement: '${1}' } },
        'strip-api': { stripPrefix: { prefixes: ['/api'] } },
      },
      services: { echo: { loadBalancer: { servers: [{ url: upstream.url }] } } },
    },
  })
})

afterAll(async () => {
  await junction.stop()
  await upstream.close()
})

function send(request: string): Promise<RawResponse> {
  return rawRequest(Number(new URL(junction.url()).port), `${request}\r\nConnection: close\r\n\r\n`)
}

/** The redirect, or what the server saw when the request went on. */
function outcome(reply: RawResponse): { status: number; location?: string; body?: string; reached?: string } {
  if (reply.status === 200) return { status: 200, reached: (JSON.parse(reply.body) as Echo).url }
  return { status: reply.status, ...(reply.headers['location'] !== undefined && { location: reply.headers['location'], body: reply.body }) }
}

describe('redirects through the engine', () => {
  it.each([
    { desc: 'documentation: to https, permanent', request: 'GET /a?b=c HTTP/1.1\r\nHost: scheme.test', expected: { status: 301, location: 'https://scheme.test/a?b=c', body: 'Moved Permanently' } },
    { desc: 'documentation: POST keeps its method with 308', request: 'POST /form HTTP/1.1\r\nHost: scheme.test\r\nContent-Length: 0', expected: { status: 308, location: 'https://scheme.test/form', body: 'Permanent Redirect' } },
    { desc: 'documentation: the Host port is dropped', request: 'GET / HTTP/1.1\r\nHost: scheme.test:8080', expected: { status: 301, location: 'https://scheme.test/', body: 'Moved Permanently' } },
    { desc: 'documentation: port "443" is https\'s own', request: 'GET /x HTTP/1.1\r\nHost: port.test:80', expected: { status: 302, location: 'https://port.test/x', body: 'Found' } },
    { desc: 'another port', request: 'GET /x HTTP/1.1\r\nHost: to8443.test', expected: { status: 302, location: 'https://to8443.test:8443/x', body: 'Found' } },
    { desc: 'the host of an absolute-form target', request: 'GET http://scheme.test/abs HTTP/1.1\r\nHost: other.test', expected: { status: 301, location: 'https://scheme.test/abs', body: 'Moved Permanently' } },
    { desc: 'the normalised path', request: 'GET /a/../b/%2e/c HTTP/1.1\r\nHost: scheme.test', expected: { status: 301, location: 'https://scheme.test/b/c', body: 'Moved Permanently' } },
    { desc: 'after stripPrefix took the whole path: /', request: 'GET /api?x=1 HTTP/1.1\r\nHost: stripped.test', expected: { status: 301, location: 'https://stripped.test/?x=1', body: 'Moved Permanently' } },
    { desc: 'documentation: domain replacement', request: 'GET /a/b?c=d HTTP/1.1\r\nHost: localhost', expected: { status: 302, location: 'http://mydomain/a/b?c=d', body: 'Found' } },
    { desc: 'www stripped from the request host', request: 'GET /p HTTP/1.1\r\nHost: www.example.test', expected: { status: 301, location: 'http://example.test/p', body: 'Moved Permanently' } },
    { desc: 'redirectRegex that does not match: handed on', request: 'GET /x HTTP/1.1\r\nHost: localhost:8080', expected: { status: 200, reached: '/x' } },
  ])('$desc', async ({ request, expected }) => {
    expect(outcome(await send(request))).toEqual(expected)
  })

  it('answers a HEAD with 307 and no body, as Traefik does', async () => {
    const reply = await send('HEAD /h HTTP/1.1\r\nHost: to8443.test')
    expect({ status: reply.status, location: reply.headers['location'], body: reply.body }).toEqual({ status: 307, location: 'https://to8443.test:8443/h', body: '' })
  })

  it('redirects although an untrusted client says X-Forwarded-Proto: https (the entry point replaced it)', async () => {
    expect(outcome(await send('GET /x HTTP/1.1\r\nHost: scheme.test\r\nX-Forwarded-Proto: https'))).toEqual({
      status: 301,
      location: 'https://scheme.test/x',
      body: 'Moved Permanently',
    })
  })
})

describe('a redirect never sends the client to a host the configuration did not name', () => {
  it('redirectScheme on a router without Host rule keeps the Host the client sent, and refuses one that is not a host name', async () => {
    expect([
      outcome(await send('GET /any HTTP/1.1\r\nHost: client-chosen.test')),
      outcome(await send('GET /any HTTP/1.1\r\nHost: a!b.test')),
      outcome(await send('GET /any HTTP/1.0')),
    ]).toEqual([
      { status: 301, location: 'https://client-chosen.test/any', body: 'Moved Permanently' },
      { status: 400 },
      { status: 400 },
    ])
  })

  it.each([
    { desc: 'a path capture as the host', request: 'GET /go/evil.test/x HTTP/1.1\r\nHost: a.test' },
    { desc: 'a query capture as a scheme-relative location', request: 'GET /login?next=//evil.test/ HTTP/1.1\r\nHost: a.test' },
    { desc: 'a query capture with backslashes', request: 'GET /login?next=/\\evil.test/ HTTP/1.1\r\nHost: a.test' },
    { desc: 'a query capture as a full URL', request: 'GET /login?next=https://evil.test/ HTTP/1.1\r\nHost: a.test' },
    { desc: 'a query capture with userinfo', request: 'GET /login?next=https://a.test@evil.test/ HTTP/1.1\r\nHost: a.test' },
  ])('redirectRegex answers 400 to $desc', async ({ request }) => {
    const reply = await send(request)
    expect({ status: reply.status, location: reply.headers['location'], error: reply.headers['x-junction-error'] }).toEqual({
      status: 400,
      location: undefined,
      error: 'JCT_ERR_BAD_REQUEST',
    })
  })

  it('redirectRegex lets a query capture fill a path on the request\'s own host', async () => {
    expect(outcome(await send('GET /login?next=/home?tab=1 HTTP/1.1\r\nHost: a.test'))).toEqual({ status: 302, location: '/home?tab=1', body: 'Found' })
  })
})
