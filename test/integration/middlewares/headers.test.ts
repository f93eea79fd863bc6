import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { AddressInfo } from 'node:net'
import { load as parseYaml } from 'js-yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startJunction, type TestJunction } from '../../support/junction.ts'
import { testCertificate } from '../../support/tls-certificates.ts'
import { startUpstream, type Echo, type Upstream } from '../../support/upstream.ts'

type EntryPoint = 'web' | 'trusted' | 'websecure'

interface Call {
  readonly entryPoint?: EntryPoint
  readonly host: string
  readonly method?: string
  readonly path?: string
  readonly headers?: Record<string, string>
}

interface Answer {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

const certificate = testCertificate({ cn: 'sts.test', san: ['DNS:sts.test', 'DNS:secure.test'] })

let junction: TestJunction
let app: Upstream
/** Behind the preflight router only: it must never see a connection. */
let lonely: Upstream
/** A port where nothing listens: its service answers 502. */
let deadPort: number

/** One request on a fresh connection to an entry point (HTTPS on `websecure`). */
function call({ entryPoint = 'web', host, method = 'GET', path = '/', headers = {} }: Call): Promise<Answer> {
  const port = Number(new URL(junction.url(entryPoint)).port)
  const options = { host: '127.0.0.1', port, method, path, headers: { host, ...headers }, agent: false as const }
  return new Promise((resolve, reject) => {
    const done = (res: IncomingMessage): void => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    }
    const req = entryPoint === 'websecure' ? httpsRequest({ ...options, servername: host, rejectUnauthorized: false }, done) : httpRequest(options, done)
    req.on('error', reject).end()
  })
}

/** The named response headers, exactly (undefined: absent). */
function pick(headers: IncomingHttpHeaders, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, headers[name]]))
}

/** What the upstream saw of the named request headers, or 'not reached' when the answer is not its echo. */
function seenBy(answer: Answer, names: readonly string[]): Record<string, unknown> | 'not reached' {
  if (!answer.body.startsWith('{')) return 'not reached'
  return pick((JSON.parse(answer.body) as Echo).headers, names)
}

const service = (url: string) => ({ loadBalancer: { servers: [{ url }] } })
const router = (rule: string, middlewares: string[], target = 'app') => ({ rule, middlewares, service: target })

/**
 * The YAML examples of Traefik's headers documentation
 * (docs/content/reference/routing-configuration/http/middlewares/headers.md,
 * and the older middlewares/http/headers.md whose CORS example writes
 * `accessControlAllowHeaders: "*"` as a scalar), as written there.
 */
const documented = {
  'adding headers': `
http:
  middlewares:
    testHeader:
      headers:
        customRequestHeaders:
          X-Script-Name: "test"
        customResponseHeaders:
          X-Custom-Response-Header: "value"
`,
  'adding and removing headers': `
http:
  middlewares:
    testHeader:
      headers:
        customRequestHeaders:
          X-Script-Name: "test" # Adds
          X-Custom-Request-Header: "" # Removes
        customResponseHeaders:
          X-Custom-Response-Header: "" # Removes
`,
  'security headers': `
http:
  middlewares:
    testHeader:
      headers:
        frameDeny: true
        browserXssFilter: true
`,
  'CORS headers': `
http:
  middlewares:
    testHeader:
      headers:
        accessControlAllowMethods:
          - GET
          - OPTIONS
          - PUT
        accessControlAllowHeaders:
          - "*"
        accessControlAllowOriginList:
          - https://foo.bar.org
          - https://example.org
        accessControlMaxAge: 100
        addVaryHeader: true
`,
  'CORS headers (v3.6 page)': `
http:
  middlewares:
    testHeader:
      headers:
        accessControlAllowMethods:
          - GET
          - OPTIONS
          - PUT
        accessControlAllowHeaders: "*"
        accessControlAllowOriginList:
          - https://foo.bar.org
          - https://example.org
        accessControlMaxAge: 100
        addVaryHeader: true
`,
} as const

type Documented = keyof typeof documented

const docHost = (example: Documented): string => `${Object.keys(documented).indexOf(example)}.doc.test`

/** Each documented middleware under its own name, on its own host. */
function documentedConfig(): { middlewares: Record<string, unknown>; routers: Record<string, unknown> } {
  const middlewares: Record<string, unknown> = {
    // Sets the response header the "removing" example strips: it sits behind it, so sees the response first.
    'doc-inner': { headers: { customResponseHeaders: { 'X-Custom-Response-Header': 'from behind' } } },
  }
  const routers: Record<string, unknown> = {}
  for (const [index, [example, yaml]] of Object.entries(documented).entries()) {
    const parsed = parseYaml(yaml) as { http: { middlewares: { testHeader: unknown } } }
    middlewares[`doc-${index}`] = parsed.http.middlewares.testHeader
    routers[`doc-${index}`] = router(`Host(\`${docHost(example as Documented)}\`)`, [`doc-${index}`, 'doc-inner'])
  }
  return { middlewares, routers }
}

/** Every router and middleware of the tests, plus `extra` ones. */
function configuration(extra: { routers?: Record<string, unknown>; middlewares?: Record<string, unknown> } = {}): Record<string, unknown> {
  const docs = documentedConfig()
  return {
    http: {
      routers: {
        custom: router('Host(`custom.test`)', ['custom']),
        cors: router('Host(`cors.test`)', ['cors']),
        preflight: router('Host(`preflight.test`)', ['cors'], 'lonely'),
        credentials: router('Host(`credentials.test`)', ['credentials']),
        sts: router('Host(`sts.test`)', ['sts']),
        secure: router('Host(`secure.test`)', ['secure']),
        hosts: router('Host(`hosts.test`) || Host(`alias.test`)', ['hosts']),
        down: router('Host(`down.test`)', ['down'], 'dead'),
        ...docs.routers,
        ...extra.routers,
      },
      middlewares: {
        custom: {
          headers: {
            customRequestHeaders: { 'X-Script-Name': 'test', 'X-Custom-Request-Header': '', 'X-Forwarded-For': '' },
            customResponseHeaders: { 'X-Custom-Response-Header': 'value', 'Content-Type': '' },
          },
        },
        cors: {
          headers: {
            accessControlAllowMethods: ['GET', 'OPTIONS', 'PUT'],
            accessControlAllowHeaders: ['Content-Type', 'X-Token'],
            accessControlAllowOriginList: ['https://foo.bar.org'],
            accessControlAllowOriginListRegex: ['^https://[a-z]+\\.example\\.org$'],
            accessControlExposeHeaders: ['X-Total'],
            accessControlMaxAge: 100,
            addVaryHeader: true,
          },
        },
        credentials: { headers: { accessControlAllowOriginList: ['*'], accessControlAllowCredentials: true, accessControlAllowMethods: ['*'] } },
        sts: { headers: { stsSeconds: 31536000, stsIncludeSubdomains: true, stsPreload: true, sslProxyHeaders: { 'X-Forwarded-Proto': 'https' } } },
        secure: {
          headers: {
            frameDeny: true,
            contentTypeNosniff: true,
            browserXssFilter: true,
            contentSecurityPolicy: "default-src 'self'",
            contentSecurityPolicyReportOnly: "img-src 'none'",
            referrerPolicy: 'same-origin',
            permissionsPolicy: 'camera=()',
            publicKey: 'pin-sha256="cUPcTAZWKaASuYWhhneDttWpY3oBAkE3h2+soZS7sWs="; max-age=5184000',
          },
        },
        hosts: { headers: { allowedHosts: ['hosts.test'], hostsProxyHeaders: ['X-Forwarded-Host'], customResponseHeaders: { 'X-Custom-Response-Header': 'value' } } },
        down: { headers: { customResponseHeaders: { 'X-Custom-Response-Header': 'value' }, frameDeny: true, accessControlAllowOriginList: ['*'] } },
        ...docs.middlewares,
        ...extra.middlewares,
      },
      services: { app: service(app.url), lonely: service(lonely.url), dead: service(`http://127.0.0.1:${deadPort}`) },
    },
    tls: { certificates: [{ certFile: certificate.cert, keyFile: certificate.key }] },
  }
}

beforeAll(async () => {
  app = await startUpstream()
  lonely = await startUpstream()
  const dead = createServer()
  await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve))
  deadPort = (dead.address() as AddressInfo).port
  await new Promise<void>((resolve) => dead.close(() => resolve()))
  junction = await startJunction({
    flags: [
      '--entryPoints.web.address=127.0.0.1:0',
      '--entryPoints.trusted.address=127.0.0.1:0',
      '--entryPoints.trusted.forwardedHeaders.trustedIPs=127.0.0.1',
      '--entryPoints.websecure.address=127.0.0.1:0',
      '--entryPoints.websecure.http.tls=true',
    ],
  })
  const live = await junction.write(configuration())
  const disabled = Object.entries(live.report.middlewares).filter(([, entry]) => entry.status !== 'enabled')
  expect(disabled).toEqual([])
})

afterAll(async () => {
  await junction.stop()
  await app.close()
  await lonely.close()
})

/** A request, what the upstream saw of some request headers (or that it was not reached), and some response headers, all exact. */
interface Row {
  readonly desc: string
  readonly call: Call
  readonly status: number
  readonly seen: { readonly names: readonly string[]; readonly expected: Record<string, unknown> } | 'not reached'
  readonly answer: { readonly names: readonly string[]; readonly expected: Record<string, unknown> }
}

describe('headers through the engine', () => {
  const cors = ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods', 'access-control-expose-headers', 'access-control-max-age', 'vary']
  const sts = ['strict-transport-security']

  it.each<Row>([
    {
      desc: 'custom headers: added and removed both ways; X-Forwarded-For removed with no client address added',
      call: { host: 'custom.test', headers: { 'X-Custom-Request-Header': 'from client', 'X-Forwarded-For': '192.0.2.1' } },
      status: 200,
      seen: { names: ['x-script-name', 'x-custom-request-header', 'x-forwarded-for'], expected: { 'x-script-name': 'test', 'x-custom-request-header': undefined, 'x-forwarded-for': undefined } },
      answer: { names: ['x-custom-response-header', 'content-type'], expected: { 'x-custom-response-header': 'value', 'content-type': undefined } },
    },
    {
      desc: 'CORS simple request from a listed origin',
      call: { host: 'cors.test', headers: { Origin: 'https://foo.bar.org' } },
      status: 200,
      seen: { names: ['origin'], expected: { origin: 'https://foo.bar.org' } },
      answer: {
        names: cors,
        expected: {
          'access-control-allow-origin': 'https://foo.bar.org',
          'access-control-allow-credentials': undefined,
          'access-control-allow-methods': undefined,
          'access-control-expose-headers': 'X-Total',
          'access-control-max-age': undefined,
          vary: 'Origin',
        },
      },
    },
    {
      desc: 'CORS: an origin not allowed gets no Access-Control-Allow-Origin (the service still answers)',
      call: { host: 'cors.test', headers: { Origin: 'https://evil.test' } },
      status: 200,
      seen: { names: ['origin'], expected: { origin: 'https://evil.test' } },
      answer: { names: ['access-control-allow-origin', 'access-control-expose-headers', 'vary'], expected: { 'access-control-allow-origin': undefined, 'access-control-expose-headers': 'X-Total', vary: 'Origin' } },
    },
    {
      desc: 'CORS: an origin matching the regexp',
      call: { host: 'cors.test', headers: { Origin: 'https://api.example.org' } },
      status: 200,
      seen: { names: [], expected: {} },
      answer: { names: ['access-control-allow-origin'], expected: { 'access-control-allow-origin': 'https://api.example.org' } },
    },
    {
      desc: 'CORS: the anchored regexp refuses a longer origin',
      call: { host: 'cors.test', headers: { Origin: 'https://api.example.org.evil.test' } },
      status: 200,
      seen: { names: [], expected: {} },
      answer: { names: ['access-control-allow-origin'], expected: { 'access-control-allow-origin': undefined } },
    },
    {
      desc: 'CORS with credentials: * answers the origin itself',
      call: { host: 'credentials.test', headers: { Origin: 'https://foo.bar.org' } },
      status: 200,
      seen: { names: [], expected: {} },
      answer: { names: ['access-control-allow-origin', 'access-control-allow-credentials'], expected: { 'access-control-allow-origin': 'https://foo.bar.org', 'access-control-allow-credentials': 'true' } },
    },
    {
      desc: 'CORS preflight with credentials: the method echoed, the service not reached',
      call: { host: 'credentials.test', method: 'OPTIONS', headers: { Origin: 'https://x.test', 'Access-Control-Request-Method': 'PATCH' } },
      status: 200,
      seen: 'not reached',
      answer: {
        names: ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods', 'content-length'],
        expected: { 'access-control-allow-origin': 'https://x.test', 'access-control-allow-credentials': 'true', 'access-control-allow-methods': 'PATCH', 'content-length': '0' },
      },
    },
    {
      desc: 'STS: none over plain HTTP',
      call: { host: 'sts.test' },
      status: 200,
      seen: { names: ['x-forwarded-proto'], expected: { 'x-forwarded-proto': 'http' } },
      answer: { names: sts, expected: { 'strict-transport-security': undefined } },
    },
    {
      desc: 'STS over HTTPS (a TLS router)',
      call: { entryPoint: 'websecure', host: 'sts.test' },
      status: 200,
      seen: { names: ['x-forwarded-proto'], expected: { 'x-forwarded-proto': 'https' } },
      answer: { names: sts, expected: { 'strict-transport-security': 'max-age=31536000; includeSubDomains; preload' } },
    },
    {
      desc: 'STS when a trusted proxy says https (sslProxyHeaders)',
      call: { entryPoint: 'trusted', host: 'sts.test', headers: { 'X-Forwarded-Proto': 'https' } },
      status: 200,
      seen: { names: ['x-forwarded-proto'], expected: { 'x-forwarded-proto': 'https' } },
      answer: { names: sts, expected: { 'strict-transport-security': 'max-age=31536000; includeSubDomains; preload' } },
    },
    {
      desc: 'no STS when an untrusted client says https (the entry point replaced its header)',
      call: { host: 'sts.test', headers: { 'X-Forwarded-Proto': 'https' } },
      status: 200,
      seen: { names: ['x-forwarded-proto'], expected: { 'x-forwarded-proto': 'http' } },
      answer: { names: sts, expected: { 'strict-transport-security': undefined } },
    },
    {
      desc: 'security headers over plain HTTP (no HPKP there)',
      call: { host: 'secure.test' },
      status: 200,
      seen: { names: [], expected: {} },
      answer: {
        names: ['x-frame-options', 'x-content-type-options', 'x-xss-protection', 'content-security-policy', 'content-security-policy-report-only', 'referrer-policy', 'permissions-policy', 'public-key-pins'],
        expected: {
          'x-frame-options': 'DENY',
          'x-content-type-options': 'nosniff',
          'x-xss-protection': '1; mode=block',
          'content-security-policy': "default-src 'self'",
          'content-security-policy-report-only': "img-src 'none'",
          'referrer-policy': 'same-origin',
          'permissions-policy': 'camera=()',
          'public-key-pins': undefined,
        },
      },
    },
    {
      desc: 'HPKP over HTTPS',
      call: { entryPoint: 'websecure', host: 'secure.test' },
      status: 200,
      seen: { names: [], expected: {} },
      answer: { names: ['public-key-pins'], expected: { 'public-key-pins': 'pin-sha256="cUPcTAZWKaASuYWhhneDttWpY3oBAkE3h2+soZS7sWs="; max-age=5184000' } },
    },
    {
      desc: 'allowedHosts: the allowed host',
      call: { host: 'hosts.test' },
      status: 200,
      seen: { names: ['host'], expected: { host: 'hosts.test' } },
      answer: { names: ['x-custom-response-header'], expected: { 'x-custom-response-header': 'value' } },
    },
    {
      desc: 'allowedHosts: another host routed here is refused with 500 Bad Host, custom response headers on it',
      call: { host: 'alias.test' },
      status: 500,
      seen: 'not reached',
      answer: {
        names: ['content-type', 'x-content-type-options', 'x-custom-response-header'],
        expected: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'x-custom-response-header': 'value' },
      },
    },
    {
      desc: 'allowedHosts: a trusted proxy names the allowed host in X-Forwarded-Host (hostsProxyHeaders)',
      call: { entryPoint: 'trusted', host: 'alias.test', headers: { 'X-Forwarded-Host': 'hosts.test' } },
      status: 200,
      seen: { names: ['host', 'x-forwarded-host'], expected: { host: 'alias.test', 'x-forwarded-host': 'hosts.test' } },
      answer: { names: [], expected: {} },
    },
    {
      desc: 'allowedHosts: an untrusted client cannot name it (its X-Forwarded-Host is replaced)',
      call: { host: 'alias.test', headers: { 'X-Forwarded-Host': 'hosts.test' } },
      status: 500,
      seen: 'not reached',
      answer: { names: [], expected: {} },
    },
    {
      desc: "the 502 of a server that cannot be reached carries the middleware's response headers",
      call: { host: 'down.test', headers: { Origin: 'https://o.test' } },
      status: 502,
      seen: 'not reached',
      answer: {
        names: ['x-junction-error', 'x-custom-response-header', 'x-frame-options', 'access-control-allow-origin'],
        expected: { 'x-junction-error': 'JCT_ERR_BAD_GATEWAY', 'x-custom-response-header': 'value', 'x-frame-options': 'DENY', 'access-control-allow-origin': '*' },
      },
    },
  ])('$desc', async ({ call: request, status, seen, answer }) => {
    const got = await call(request)
    expect({
      status: got.status,
      seen: seen === 'not reached' ? seenBy(got, []) : seenBy(got, seen.names),
      answer: pick(got.headers, answer.names),
    }).toEqual({ status, seen: seen === 'not reached' ? seen : seen.expected, answer: answer.expected })
  })

  it('answers preflights itself: the service behind never sees a connection', async () => {
    const preflights = [
      { origin: 'https://foo.bar.org', allowOrigin: 'https://foo.bar.org' },
      { origin: 'https://api.example.org', allowOrigin: 'https://api.example.org' },
      { origin: 'https://evil.test', allowOrigin: undefined },
    ]
    for (const { origin, allowOrigin } of preflights) {
      const got = await call({ host: 'preflight.test', method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'x-token' } })
      expect({ status: got.status, body: got.headers['content-length'], headers: pick(got.headers, cors.concat('access-control-allow-headers')) }).toEqual({
        status: 200,
        body: '0',
        headers: {
          'access-control-allow-origin': allowOrigin,
          'access-control-allow-credentials': undefined,
          'access-control-allow-methods': 'GET,OPTIONS,PUT',
          'access-control-allow-headers': 'Content-Type,X-Token',
          'access-control-expose-headers': 'X-Total',
          'access-control-max-age': '100',
          vary: undefined,
        },
      })
    }
    expect(lonely.connections()).toBe(0)
    // The same router does reach its service with anything but a preflight.
    expect((await call({ host: 'preflight.test', method: 'OPTIONS', headers: { Origin: 'https://foo.bar.org' } })).status).toBe(200)
    expect(lonely.connections()).toBe(1)
  })

  it('disables a middleware with a bad option when the generation is built, and the routers using it, naming the option', async () => {
    const live = await junction.write(
      configuration({
        routers: { broken: router('Host(`broken.test`)', ['broken']), fine: router('Host(`fine.test`)', ['fine']) },
        middlewares: { broken: { headers: { accessControlAllowOriginListRegex: ['^https://(?=x)'] } }, fine: { headers: { frameDeny: true } } },
      }),
    )
    const message = "middleware broken@file: headers: accessControlAllowOriginListRegex[0]: lookahead `(?=` is not supported by Go's regexp"
    expect({
      broken: pick(live.report.middlewares['broken@file'] as unknown as IncomingHttpHeaders, ['status', 'errors']),
      router: live.report.routers['broken@file']?.status,
      fine: live.report.routers['fine@file']?.status,
    }).toEqual({ broken: { status: 'disabled', errors: [message] }, router: 'disabled', fine: 'enabled' })
    expect((await call({ host: 'fine.test' })).headers['x-frame-options']).toBe('DENY')
  })
})

describe("Traefik's headers documentation examples", () => {
  it.each([
    {
      desc: 'the request header reaches the service, the response header the client',
      example: 'adding headers' as const,
      call: { headers: {} },
      status: 200,
      seen: { 'x-script-name': 'test' },
      answer: { 'x-custom-response-header': 'value' },
    },
    {
      desc: 'one request header added, one removed; the response header set behind it removed',
      example: 'adding and removing headers' as const,
      call: { headers: { 'X-Custom-Request-Header': 'from client' } },
      status: 200,
      seen: { 'x-script-name': 'test', 'x-custom-request-header': undefined },
      answer: { 'x-custom-response-header': undefined },
    },
    {
      desc: 'X-Frame-Options and X-XSS-Protection',
      example: 'security headers' as const,
      call: { headers: {} },
      status: 200,
      seen: {},
      answer: { 'x-frame-options': 'DENY', 'x-xss-protection': '1; mode=block' },
    },
    {
      desc: 'a preflight from a listed origin, answered without the service',
      example: 'CORS headers' as const,
      call: { method: 'OPTIONS', headers: { Origin: 'https://example.org', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'x-token' } },
      status: 200,
      seen: 'not reached' as const,
      answer: { 'access-control-allow-origin': 'https://example.org', 'access-control-allow-methods': 'GET,OPTIONS,PUT', 'access-control-allow-headers': '*', 'access-control-max-age': '100', vary: undefined },
    },
    {
      desc: 'a simple request: its origin allowed, Vary: Origin',
      example: 'CORS headers' as const,
      call: { headers: { Origin: 'https://foo.bar.org' } },
      status: 200,
      seen: { origin: 'https://foo.bar.org' },
      answer: { 'access-control-allow-origin': 'https://foo.bar.org', vary: 'Origin', 'access-control-allow-methods': undefined },
    },
    {
      desc: 'the scalar `*` reads as a list',
      example: 'CORS headers (v3.6 page)' as const,
      call: { method: 'OPTIONS', headers: { Origin: 'https://foo.bar.org', 'Access-Control-Request-Method': 'GET' } },
      status: 200,
      seen: 'not reached' as const,
      answer: { 'access-control-allow-origin': 'https://foo.bar.org', 'access-control-allow-methods': 'GET,OPTIONS,PUT', 'access-control-allow-headers': '*', 'access-control-max-age': '100' },
    },
  ])('$example: $desc', async ({ example, call: request, status, seen, answer }) => {
    const got = await call({ host: docHost(example), ...request })
    expect({ status: got.status, seen: seen === 'not reached' ? seenBy(got, []) : seenBy(got, Object.keys(seen)), answer: pick(got.headers, Object.keys(answer)) }).toEqual({
      status,
      seen,
      answer,
    })
  })
})
