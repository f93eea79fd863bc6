import { createServer, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { ExchangeResponse } from '../../../src/core/exchange-response.ts'
import { headersEntry } from '../../../middlewares/headers/index.ts'
import { answered, type ConnectionInfo, type Handler } from '../../../src/plugin.ts'
import { exchange, middlewareContract } from '../../support/middleware-contract.ts'
import { testContext, testMiddlewareContext } from '../../support/context.ts'

middlewareContract(headersEntry, { valid: { customRequestHeaders: { 'X-A': '1' } }, invalid: { customRequestHeaders: 'nope' } })
middlewareContract(headersEntry, {
  valid: { accessControlAllowOriginList: ['*'], accessControlAllowMethods: ['GET'], addVaryHeader: true },
  invalid: { accessControlAllowOriginListRegex: ['(?<=x)'] },
})
middlewareContract(headersEntry, { valid: { stsSeconds: 60, forceSTSHeader: true, frameDeny: true, contentSecurityPolicy: 'script-src $NONCE' }, invalid: { sslRedirect: true } })

interface Run {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
  /** The request headers the handler behind the middleware received; undefined when it was not called. */
  readonly seen: IncomingHttpHeaders | undefined
  /** How many interceptors the middleware registered on the response. */
  readonly interceptors: number
}

/**
 * One request through the middleware over a real node:http server, in front
 * of a handler that answers 200 with `answer` headers; the connection
 * described by `connection`.
 */
async function run(
  options: Record<string, unknown>,
  { method = 'GET', headers = {}, answer = {}, connection = {} }: { method?: string; headers?: Record<string, string | string[]>; answer?: OutgoingHttpHeaders; connection?: Partial<ConnectionInfo> } = {},
): Promise<Run> {
  let seen: IncomingHttpHeaders | undefined
  let interceptors = 0
  const terminal: Handler = (req, res, ctx) => {
    seen = { ...req.headers }
    interceptors = (res as ExchangeResponse).mark()
    res.writeHead(200, { 'content-type': 'text/plain', ...answer }).end('ok')
    return Promise.resolve(answered(res, ctx, 2))
  }
  const handler = headersEntry.create(options, testMiddlewareContext())(terminal)
  const server = createServer({ ServerResponse: ExchangeResponse }, (req, res) => void handler(req, res, testContext({ res, connection })))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const { port } = server.address() as AddressInfo
    return await new Promise<Run>((resolve, reject) => {
      request({ host: '127.0.0.1', port, method, path: '/', headers, agent: false }, (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, seen, interceptors }))
      })
        .on('error', reject)
        .end()
    })
  } finally {
    server.close()
  }
}

/** The response headers a test looks at: everything but those Node adds to every answer. */
function own(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { date: _date, connection: _connection, 'keep-alive': _keepAlive, 'transfer-encoding': _te, ...rest } = headers
  return rest
}

describe('headers: custom request and response headers', () => {
  it('sets and removes request headers', async () => {
    const { seen } = await exchange(headersEntry, { customRequestHeaders: { 'X-Added': 'yes', 'X-Gone': '' } }, '/', { 'x-gone': 'here', 'x-kept': 'k' })
    expect([seen?.headers['x-added'], seen?.headers['x-gone'], seen?.headers['x-kept']]).toEqual(['yes', undefined, 'k'])
  })

  it('removes X-Forwarded-For but keeps its name, which tells the forwarder to add no client address', async () => {
    const { seen } = await exchange(headersEntry, { customRequestHeaders: { 'X-Forwarded-For': '', 'X-Forwarded-Host': '' } }, '/', { 'x-forwarded-for': '1.2.3.4', 'x-forwarded-host': 'h' })
    const headers = seen?.headers ?? {}
    expect({ hasFor: 'x-forwarded-for' in headers, for: headers['x-forwarded-for'], hasHost: 'x-forwarded-host' in headers }).toEqual({ hasFor: true, for: undefined, hasHost: false })
  })

  it('overrides and removes response headers set by the handler behind it', async () => {
    const { headers } = await exchange(headersEntry, { customResponseHeaders: { 'X-Terminal': 'overridden', 'Content-Type': '', 'X-New': '1' } }, '/')
    expect([headers['x-terminal'], headers['content-type'], headers['x-new']]).toEqual(['overridden', undefined, '1'])
  })

  it.each([
    { desc: 'only request headers', options: { customRequestHeaders: { 'X-A': '1' } }, expected: 0 },
    { desc: 'only host checks', options: { allowedHosts: ['127.0.0.1'], isDevelopment: true }, expected: 0 },
    { desc: 'STS on plain HTTP (not forced)', options: { stsSeconds: 60 }, expected: 0 },
    { desc: 'an origin list and no Origin', options: { accessControlAllowOriginList: ['https://a.test'] }, expected: 0 },
    { desc: 'response headers', options: { customResponseHeaders: { 'X-A': '1' } }, expected: 1 },
    { desc: 'frameDeny', options: { frameDeny: true }, expected: 1 },
  ])('registers $expected response interceptor(s) with $desc', async ({ options, expected }) => {
    expect((await run(options)).interceptors).toBe(expected)
  })
})

describe('headers: CORS through the middleware', () => {
  const cors = { accessControlAllowMethods: ['GET', 'PUT'], accessControlAllowOriginList: ['https://a.test'], accessControlMaxAge: 100, customResponseHeaders: { 'X-Custom': 'c' }, frameDeny: true }
  const preflight = { origin: 'https://a.test', 'access-control-request-method': 'PUT' }

  it.each([
    {
      desc: 'a preflight is answered here, with the CORS headers only (not the custom or security ones)',
      method: 'OPTIONS',
      headers: preflight,
      expected: { status: 200, reached: false, headers: { 'content-length': '0', 'access-control-allow-methods': 'GET,PUT', 'access-control-allow-origin': 'https://a.test', 'access-control-max-age': '100' } },
    },
    {
      desc: 'an OPTIONS without Access-Control-Request-Method goes on',
      method: 'OPTIONS',
      headers: { origin: 'https://a.test' },
      expected: { status: 200, reached: true, headers: { 'content-type': 'text/plain', 'x-custom': 'c', 'x-frame-options': 'DENY', 'access-control-allow-origin': 'https://a.test' } },
    },
    {
      desc: 'an OPTIONS without Origin goes on',
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'PUT' },
      expected: { status: 200, reached: true, headers: { 'content-type': 'text/plain', 'x-custom': 'c', 'x-frame-options': 'DENY' } },
    },
    {
      desc: 'a preflight from an origin not allowed is still answered here, without Access-Control-Allow-Origin',
      method: 'OPTIONS',
      headers: { ...preflight, origin: 'https://evil.test' },
      expected: { status: 200, reached: false, headers: { 'content-length': '0', 'access-control-allow-methods': 'GET,PUT', 'access-control-max-age': '100' } },
    },
    {
      desc: 'a preflight with two Origin headers reads the first, as Go does',
      method: 'OPTIONS',
      headers: { ...preflight, origin: ['https://a.test', 'https://b.test'] },
      expected: { status: 200, reached: false, headers: { 'content-length': '0', 'access-control-allow-methods': 'GET,PUT', 'access-control-allow-origin': 'https://a.test', 'access-control-max-age': '100' } },
    },
    {
      desc: 'a simple request from an allowed origin',
      method: 'GET',
      headers: { origin: 'https://a.test' },
      expected: { status: 200, reached: true, headers: { 'content-type': 'text/plain', 'x-custom': 'c', 'x-frame-options': 'DENY', 'access-control-allow-origin': 'https://a.test' } },
    },
  ])('$desc', async ({ method, headers, expected }) => {
    const result = await run(cors, { method, headers })
    expect({ status: result.status, reached: result.seen !== undefined, headers: own(result.headers) }).toEqual(expected)
  })

  it('a preflight is not answered when no CORS option is set: the service sees it', async () => {
    const result = await run({ customResponseHeaders: { 'X-Custom': 'c' } }, { method: 'OPTIONS', headers: preflight })
    expect({ reached: result.seen !== undefined, custom: result.headers['x-custom'] }).toEqual({ reached: true, custom: 'c' })
  })
})

describe('headers: order of the layers, as in Traefik', () => {
  it.each([
    { desc: 'a custom response header overrides a security header', options: { frameDeny: true, customResponseHeaders: { 'X-Frame-Options': 'SAMEORIGIN' } }, expected: { 'x-frame-options': 'SAMEORIGIN' } },
    { desc: 'a custom response header removes a security header', options: { contentTypeNosniff: true, customResponseHeaders: { 'X-Content-Type-Options': '' } }, expected: {} },
    { desc: 'a security header overrides the server value', options: { referrerPolicy: 'no-referrer' }, answer: { 'referrer-policy': 'unsafe-url' }, expected: { 'referrer-policy': 'no-referrer' } },
    { desc: 'Vary appends to a Vary a custom header set', options: { addVaryHeader: true, customResponseHeaders: { Vary: 'Accept' } }, expected: { vary: 'Accept,Origin' } },
  ])('$desc', async ({ options, answer, expected }) => {
    const { headers } = await run(options, { answer: answer ?? {} })
    const { 'content-type': _type, 'content-length': _length, ...rest } = own(headers)
    expect(rest).toEqual(expected)
  })

  it('checks the host after the custom request headers (which may set it)', async () => {
    const result = await run({ allowedHosts: ['a.test'], customRequestHeaders: { Host: 'a.test' } })
    expect({ status: result.status, host: result.seen?.host }).toEqual({ status: 200, host: 'a.test' })
  })
})

describe('headers: allowedHosts refusal (unrolled/secure: 500 "Bad Host")', () => {
  it('answers 500 without reaching the handler, with the custom and CORS response headers but not the security ones', async () => {
    const result = await run(
      { allowedHosts: ['a.test'], frameDeny: true, customResponseHeaders: { 'X-Custom': 'c' }, accessControlAllowOriginList: ['*'] },
      { headers: { host: 'b.test', origin: 'https://o.test' } },
    )
    expect({ status: result.status, body: result.body, reached: result.seen !== undefined, headers: own(result.headers) }).toEqual({
      status: 500,
      body: 'Bad Host\n',
      reached: false,
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        'x-content-type-options': 'nosniff',
        'content-length': '9',
        'x-custom': 'c',
        'access-control-allow-origin': '*',
      },
    })
  })
})

describe('headers: STS and the scheme', () => {
  it.each([
    { desc: 'plain HTTP: none', connection: {}, headers: {}, expected: undefined },
    { desc: 'a TLS connection', connection: { secure: true }, headers: {}, expected: 'max-age=60' },
    { desc: 'X-Forwarded-Proto: https from a trusted client', connection: { trusted: true }, headers: { 'x-forwarded-proto': 'https' }, expected: 'max-age=60' },
    { desc: 'X-Forwarded-Proto: https from an untrusted client', connection: {}, headers: { 'x-forwarded-proto': 'https' }, expected: undefined },
  ])('$desc → $expected', async ({ connection, headers, expected }) => {
    const result = await run({ stsSeconds: 60, sslProxyHeaders: { 'X-Forwarded-Proto': 'https' } }, { connection, headers })
    expect(result.headers['strict-transport-security']).toBe(expected)
  })
})
