import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { hostname } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startJunctionCommand, type CommandJunction } from '../support/junction-command.ts'
import { rawRequest, type RawResponse } from '../support/raw-http.ts'
import { startUnacceptingServer, type UnacceptingServer } from '../support/unaccepting-server.ts'
import { closedPort } from './services/harness.ts'

/**
 * The entry point and request-path behaviours Junction takes from Traefik,
 * each checked through the real `junction` command against a server that
 * records what it received. One process, one entry point per setting.
 */

interface Seen {
  readonly url: string
  readonly headers: IncomingHttpHeaders
}

let junction: CommandJunction
let silent: UnacceptingServer
let server: Server
let serverUrl: string
const seen: Seen[] = []
const ports: Record<string, number> = {}

/** Echoes what it received, as JSON; its own head limit is far above Junction's, so only Junction's limit is tested. */
function echo(req: { url?: string | undefined; headers: IncomingHttpHeaders }, res: ServerResponse): void {
  const record = { url: req.url ?? '', headers: req.headers }
  seen.push(record)
  const body = JSON.stringify(record)
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

const dynamic = (refusedUrl: string): string => `
http:
  routers:
    echo:
      rule: "PathPrefix(\`/\`)"
      priority: 1
      service: echo
    query:
      rule: "Host(\`query.test\`) && Query(\`b\`, \`2\`)"
      middlewares: [tag-query]
      service: echo
    acme-challenge:
      entryPoints: [acme, redirect]
      rule: "PathPrefix(\`/.well-known/acme-challenge/\`)"
      service: echo
    strip-forwarded:
      rule: "Host(\`strip.test\`)"
      middlewares: [strip-forwarded]
      service: echo
    set-forwarded:
      rule: "Host(\`set.test\`)"
      middlewares: [set-forwarded]
      service: echo
    absolute:
      rule: "Host(\`abs.test\`)"
      middlewares: [tag-absolute]
      service: echo
    dial:
      rule: "Host(\`dial.test\`)"
      service: unaccepting
    refused:
      rule: "Host(\`refused.test\`)"
      service: refused
    connection:
      rule: "Host(\`connection.test\`)"
      middlewares: [add-custom]
      service: echo
    connection-other:
      rule: "Host(\`connection.test\`) && Header(\`X-Other\`, \`o\`)"
      middlewares: [add-custom, tag-other]
      service: echo
  middlewares:
    add-custom:
      headers:
        customRequestHeaders:
          X-Custom: v
    tag-other:
      headers:
        customRequestHeaders:
          X-Router: other
    tag-query:
      headers:
        customRequestHeaders:
          X-Router: query
    tag-absolute:
      headers:
        customRequestHeaders:
          X-Router: absolute
    strip-forwarded:
      headers:
        customRequestHeaders:
          X-Forwarded-For: ""
          X-Forwarded-Host: ""
          X-Forwarded-Proto: ""
          X-Forwarded-Port: ""
          X-Forwarded-Server: ""
          X-Real-Ip: ""
    set-forwarded:
      headers:
        customRequestHeaders:
          X-Forwarded-For: "10.9.9.9"
          X-Forwarded-Host: "set.example"
          X-Forwarded-Proto: "https"
  services:
    echo:
      loadBalancer:
        servers:
          - url: "${serverUrl}"
    unaccepting:
      loadBalancer:
        serversTransport: quick
        servers:
          - url: "${silent.url}"
    refused:
      loadBalancer:
        serversTransport: quick
        servers:
          - url: "${refusedUrl}"
  serversTransports:
    quick:
      forwardingTimeouts:
        dialTimeout: 300ms
`

const entryPoints = ['web', 'semicolons', 'acme', 'redirect', 'trusted', 'noappend', 'small', 'keepconn']

beforeAll(async () => {
  server = createServer({ maxHeaderSize: 4 * 1024 * 1024 }, echo)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  silent = await startUnacceptingServer()
  junction = await startJunctionCommand({
    flags: [
      ...entryPoints.map((name) => `--entryPoints.${name}.address=127.0.0.1:0`),
      '--entryPoints.semicolons.http.encodeQuerySemicolons=true',
      '--entryPoints.acme.allowACMEByPass=true',
      '--entryPoints.acme.http.redirections.entryPoint.to=:8443',
      '--entryPoints.redirect.http.redirections.entryPoint.to=:8443',
      '--entryPoints.trusted.forwardedHeaders.insecure=true',
      '--entryPoints.noappend.forwardedHeaders.insecure=true',
      '--entryPoints.noappend.forwardedHeaders.notAppendXForwardedFor=true',
      '--entryPoints.small.http.maxHeaderBytes=4096',
      '--entryPoints.keepconn.forwardedHeaders.connection=X-Other',
    ],
    dynamic: { name: 'dynamic.yml', text: dynamic(`http://127.0.0.1:${await closedPort()}`) },
  })
  for (const name of entryPoints) ports[name] = await junction.port(name)
}, 30_000)

afterAll(async () => {
  await junction?.stop()
  await silent?.close()
  server?.close()
})

/** One raw request on an entry point, and what the server received for it (undefined: nothing reached it). */
async function exchange(entryPoint: string, text: string): Promise<{ response: RawResponse; received: Seen | undefined }> {
  const before = seen.length
  const response = await rawRequest(ports[entryPoint] as number, text)
  return { response, received: seen.length > before ? seen[seen.length - 1] : undefined }
}

const get = (target: string, host: string, extra = ''): string => `GET ${target} HTTP/1.1\r\nHost: ${host}\r\n${extra}\r\n`

describe('query semicolons (entryPoints.<n>.http.encodeQuerySemicolons)', () => {
  it.each([
    { desc: 'by default a semicolon separates parameters, as Go’s AllowQuerySemicolons makes it', input: { entryPoint: 'web', target: '/?bar=toto;boo=titi' }, expected: '/?bar=toto&boo=titi' },
    { desc: 'with encodeQuerySemicolons it is kept inside the value, as %3B', input: { entryPoint: 'semicolons', target: '/?bar=toto&boo=titi;aaaa' }, expected: '/?bar=toto&boo=titi%3Baaaa' },
  ])('$desc', async ({ input, expected }) => {
    const { response, received } = await exchange(input.entryPoint, get(input.target, 'other.localhost'))
    expect({ status: response.status, url: received?.url }).toEqual({ status: 200, url: expected })
  })

  it.each([
    { desc: 'routes by the parameters the semicolon separates, by default', input: { entryPoint: 'web' }, expected: { router: 'query', url: '/?a=1&b=2' } },
    { desc: 'sees one parameter a="1;b=2" with encodeQuerySemicolons', input: { entryPoint: 'semicolons' }, expected: { router: undefined, url: '/?a=1%3Bb=2' } },
  ])('a Query() rule $desc', async ({ input, expected }) => {
    const { received } = await exchange(input.entryPoint, get('/?a=1;b=2', 'query.test'))
    expect({ router: received?.headers['x-router'], url: received?.url }).toEqual(expected)
  })
})

describe('redirections with allowACMEByPass (entryPoints.<n>.allowACMEByPass)', () => {
  it.each([
    { desc: 'an ACME challenge reaches its router', input: { entryPoint: 'acme', target: '/.well-known/acme-challenge/token-1' }, expected: { status: 200, location: undefined, url: '/.well-known/acme-challenge/token-1' } },
    { desc: 'the challenge folder without its slash is redirected (Traefik bypasses the prefix with the slash)', input: { entryPoint: 'acme', target: '/.well-known/acme-challenge' }, expected: { status: 301, location: 'https://site.test:8443/.well-known/acme-challenge', url: undefined } },
    { desc: 'any other path is redirected', input: { entryPoint: 'acme', target: '/other-path' }, expected: { status: 301, location: 'https://site.test:8443/other-path', url: undefined } },
    { desc: 'without allowACMEByPass, a challenge is redirected too', input: { entryPoint: 'redirect', target: '/.well-known/acme-challenge/token-1' }, expected: { status: 301, location: 'https://site.test:8443/.well-known/acme-challenge/token-1', url: undefined } },
  ])('$desc', async ({ input, expected }) => {
    const { response, received } = await exchange(input.entryPoint, get(input.target, 'site.test:8000'))
    expect({ status: response.status, location: response.headers['location'], url: received?.url }).toEqual(expected)
  })

  it.each([
    { method: 'GET', status: 301 },
    { method: 'HEAD', status: 308 },
    { method: 'POST', status: 308 },
  ])('answers $method with $status, as Traefik’s redirectScheme does (only GET may lose its method)', async ({ method, status }) => {
    const { response } = await exchange('redirect', `${method} /x HTTP/1.1\r\nHost: site.test\r\nContent-Length: 0\r\n\r\n`)
    expect({ status: response.status, location: response.headers['location'] }).toEqual({ status, location: 'https://site.test:8443/x' })
  })

  it('does not redirect a request without a host (Traefik’s redirection rule is HostRegexp(`^.+$`))', async () => {
    const { response, received } = await exchange('redirect', 'GET /no-host HTTP/1.0\r\n\r\n')
    expect({ status: response.status, url: received?.url }).toEqual({ status: 200, url: '/no-host' })
  })
})

describe('X-Forwarded-For (entryPoints.<n>.forwardedHeaders.notAppendXForwardedFor)', () => {
  it.each([
    { desc: 'appends the client address to a trusted X-Forwarded-For by default', input: { entryPoint: 'trusted', xff: '1.2.3.4' }, expected: '1.2.3.4, 127.0.0.1' },
    { desc: 'leaves it as the client sent it with notAppendXForwardedFor', input: { entryPoint: 'noappend', xff: '1.2.3.4' }, expected: '1.2.3.4' },
    { desc: 'sends none with notAppendXForwardedFor when the client sent none', input: { entryPoint: 'noappend', xff: undefined }, expected: undefined },
  ])('$desc', async ({ input, expected }) => {
    const extra = input.xff === undefined ? '' : `X-Forwarded-For: ${input.xff}\r\n`
    const { received } = await exchange(input.entryPoint, get('/', 'app.test', extra))
    expect(received?.headers['x-forwarded-for']).toBe(expected)
  })

  it('still sets the other forwarded headers with notAppendXForwardedFor', async () => {
    const { received } = await exchange('noappend', get('/', 'app.test'))
    expect({ proto: received?.headers['x-forwarded-proto'], host: received?.headers['x-forwarded-host'], realIp: received?.headers['x-real-ip'] }).toEqual({ proto: 'http', host: 'app.test', realIp: '127.0.0.1' })
  })
})

/** A GET whose whole head (request line, headers, final CRLF) is exactly `size` bytes, padded with X-Pad. */
function headOfSize(size: number): string {
  const fixed = get('/', 'a.test', 'X-Pad: \r\n').length
  return get('/', 'a.test', `X-Pad: ${'p'.repeat(size - fixed)}\r\n`)
}

describe('request head size (entryPoints.<n>.http.maxHeaderBytes)', () => {
  it('builds heads of the size it says', () => {
    expect([headOfSize(8192).length, headOfSize(8193).length]).toEqual([8192, 8193])
  })

  it.each([
    { desc: 'a head just over maxHeaderBytes (4096) is accepted: Go reads 4 KiB more', input: { entryPoint: 'small', size: 4097 }, expected: { status: 200, closed: false } },
    { desc: 'a head of maxHeaderBytes + 4 KiB exactly is accepted', input: { entryPoint: 'small', size: 8192 }, expected: { status: 200, closed: false } },
    { desc: 'a head one byte longer is answered 431 and the connection closed', input: { entryPoint: 'small', size: 8193 }, expected: { status: 431, closed: true } },
    { desc: 'a head far longer is answered 431 by the parser itself', input: { entryPoint: 'small', size: 12_000 }, expected: { status: 431, closed: true } },
    { desc: 'the default limit is Go’s 1 MiB, not Node’s 16 KiB', input: { entryPoint: 'web', size: 64 * 1024 }, expected: { status: 200, closed: false } },
    { desc: 'past the default limit plus 4 KiB, 431', input: { entryPoint: 'web', size: 1024 * 1024 + 4096 + 1 }, expected: { status: 431, closed: true } },
  ])('$desc', async ({ input, expected }) => {
    const response = await rawRequest(ports[input.entryPoint] as number, headOfSize(input.size))
    expect({ status: response.status, closed: response.closed }).toEqual(expected)
  })
})

describe('forwarded headers set by a headers middleware', () => {
  it('removes every X-Forwarded-* and X-Real-Ip given an empty value, none added back', async () => {
    const { received } = await exchange('web', get('/', 'strip.test'))
    const forwarded = Object.keys(received?.headers ?? {}).filter((name) => name.startsWith('x-forwarded-') || name === 'x-real-ip')
    expect({ status: received === undefined ? 'not reached' : 'reached', forwarded }).toEqual({ status: 'reached', forwarded: [] })
  })

  it('replaces them with its values; the client address is still appended to X-Forwarded-For', async () => {
    const { received } = await exchange('web', get('/', 'set.test'))
    const headers = received?.headers ?? {}
    expect({
      for: headers['x-forwarded-for'],
      host: headers['x-forwarded-host'],
      proto: headers['x-forwarded-proto'],
      port: headers['x-forwarded-port'],
      server: headers['x-forwarded-server'],
      realIp: headers['x-real-ip'],
      // The entry point set the port from the request before the middleware changed the scheme, as in Traefik.
    }).toEqual({ for: '10.9.9.9, 127.0.0.1', host: 'set.example', proto: 'https', port: '80', server: hostname(), realIp: '127.0.0.1' })
  })
})

describe('the Connection options of the client, applied before routing', () => {
  const request = get('/', 'connection.test', 'Connection: X-Custom, X-Other\r\nX-Other: o\r\n')

  it('removes the headers the client lists before rules and middlewares: a header a middleware adds reaches the server, a listed one matches no rule', async () => {
    const { response, received } = await exchange('web', request)
    const headers = received?.headers ?? {}
    expect({ status: response.status, custom: headers['x-custom'], other: headers['x-other'], router: headers['x-router'] }).toEqual({
      status: 200,
      custom: 'v',
      other: undefined,
      router: undefined,
    })
  })

  it('with forwardedHeaders.connection, a listed header stays through rules and middlewares and is removed when forwarding', async () => {
    const { response, received } = await exchange('keepconn', request)
    const headers = received?.headers ?? {}
    expect({ status: response.status, custom: headers['x-custom'], other: headers['x-other'], router: headers['x-router'] }).toEqual({
      status: 200,
      custom: 'v',
      other: undefined,
      router: 'other',
    })
  })
})

describe('failures reaching a server', () => {
  it.each([
    { desc: 'a dial timeout (dialTimeout: 300ms, nothing accepts) is a 504', input: 'dial.test', expected: { status: 504, code: 'JCT_ERR_GATEWAY_TIMEOUT', body: 'Gateway Timeout' } },
    { desc: 'a refused connection is a 502', input: 'refused.test', expected: { status: 502, code: 'JCT_ERR_BAD_GATEWAY', body: 'Bad Gateway' } },
  ])('$desc', async ({ input, expected }) => {
    const { response } = await exchange('web', get('/', input))
    expect({ status: response.status, code: response.headers['x-junction-error'], body: response.body }).toEqual(expected)
  })
})

describe('the Host of a request, as Go’s server reads it', () => {
  it.each([
    { desc: 'two Host headers', input: 'GET /two-hosts HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n' },
    { desc: 'the same Host twice', input: 'GET /two-hosts HTTP/1.1\r\nHost: a.test\r\nhost: a.test\r\n\r\n' },
    { desc: 'two Host headers and an absolute-form target', input: 'GET http://a.test/two-hosts HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n' },
    { desc: 'a Host with a space', input: 'GET /bad-host HTTP/1.1\r\nHost: a test\r\n\r\n' },
    { desc: 'a Host with a slash', input: 'GET /bad-host HTTP/1.1\r\nHost: a.test/x\r\n\r\n' },
    { desc: 'no Host on HTTP/1.1', input: 'GET /no-host HTTP/1.1\r\n\r\n' },
  ])('answers 400 to $desc, closes the connection and routes nothing', async ({ input }) => {
    const { response, received } = await exchange('web', input)
    expect({ status: response.status, closed: response.closed, received }).toEqual({ status: 400, closed: true, received: undefined })
  })

  it('takes the host of an absolute-form target and ignores the Host header', async () => {
    const { response, received } = await exchange('web', 'GET http://abs.test:8080/x?y=1 HTTP/1.1\r\nHost: other.test\r\n\r\n')
    const headers = received?.headers ?? {}
    expect({ status: response.status, url: received?.url, router: headers['x-router'], host: headers.host, forwardedHost: headers['x-forwarded-host'], port: headers['x-forwarded-port'] }).toEqual({
      status: 200,
      url: '/x?y=1',
      router: 'absolute',
      host: 'abs.test:8080',
      forwardedHost: 'abs.test:8080',
      port: '8080',
    })
  })

  it('routes a request with an empty Host and sends the server its own host, as Go’s client does', async () => {
    const { response, received } = await exchange('web', 'GET /empty-host HTTP/1.1\r\nHost:\r\n\r\n')
    const headers = received?.headers ?? {}
    expect({ status: response.status, url: received?.url, host: headers.host, forwardedHost: headers['x-forwarded-host'], port: headers['x-forwarded-port'] }).toEqual({
      status: 200,
      url: '/empty-host',
      host: new URL(serverUrl).host,
      forwardedHost: undefined,
      port: '80',
    })
  })
})
