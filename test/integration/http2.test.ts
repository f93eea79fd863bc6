import { createServer as createHttpServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttp2Server, type ClientHttp2Session, type Http2Server } from 'node:http2'
import { request as httpsRequest } from 'node:https'
import type { AddressInfo } from 'node:net'
import { connect, type TLSSocket } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestContext } from '../../src/core/context.ts'
import type { Outcome } from '../../src/core/outcome.ts'
import { eventually } from '../support/eventually.ts'
import { connectHttp2, http2Request } from '../support/http2-client.ts'
import { startJunction, type TestJunction } from '../support/junction.ts'
import { testCertificate } from '../support/tls-certificates.ts'
import { encodeFrame, generatedBody, startUpstream, type Echo, type Upstream } from '../support/upstream.ts'
import { closedPort, openWebSocket } from './services/harness.ts'

const certificate = testCertificate({ cn: 'a.test', san: ['DNS:a.test', 'DNS:modern.test', 'DNS:h2c.test', 'DNS:trailers.test', 'DNS:broken.test', 'DNS:nowhere.test'] })

let junction: TestJunction
let upstream: Upstream
let h2c: Http2Server
let trailing: Server
const seen: Array<{ ctx: RequestContext; outcome: Outcome }> = []
const sessions: ClientHttp2Session[] = []

/** What the h2c server answers: the request as it received it. */
interface H2cEcho {
  readonly httpVersion: string
  readonly method: string
  readonly url: string
  readonly authority: string | undefined
  readonly host: string | undefined
  readonly te: string | undefined
  readonly proto: string | undefined
  readonly body: string
  readonly trailers: Record<string, string>
}

function port(): number {
  return Number(new URL(junction.url()).port)
}

/** A session to Junction's entry point, closed after the file's tests. */
async function session(servername = 'a.test'): Promise<ClientHttp2Session> {
  const opened = await connectHttp2(port(), servername, certificate.cert)
  sessions.push(opened)
  return opened
}

/** One HTTP/1.1 request over TLS; `alpn` lists what the client offers (none: no ALPN extension). */
function https1(
  path: string,
  options: { host: string; alpn?: string[]; method?: string; body?: string; trailers?: Record<string, string> },
): Promise<{ status: number; alpn: string | false | null; headers: IncomingHttpHeaders; body: string; trailers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: port(),
        path,
        method: options.method ?? 'GET',
        agent: false,
        ca: certificate.cert,
        servername: options.host,
        headers: { host: options.host, ...(options.trailers && { 'transfer-encoding': 'chunked', trailer: Object.keys(options.trailers).join(', ') }) },
        ...(options.alpn && { ALPNProtocols: options.alpn }),
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, alpn: (res.socket as TLSSocket).alpnProtocol, headers: res.headers, body, trailers: { ...(res.trailers as Record<string, string>) } }),
        )
      },
    )
    req.on('error', reject)
    if (options.trailers) req.addTrailers(options.trailers)
    req.end(options.body)
  })
}

beforeAll(async () => {
  upstream = await startUpstream()
  h2c = createHttp2Server((req, res) => {
    const parts: Buffer[] = []
    req.on('data', (chunk: Buffer) => parts.push(chunk))
    req.on('end', () => {
      const echo: H2cEcho = {
        httpVersion: req.httpVersion,
        method: req.method,
        url: req.url,
        authority: req.headers[':authority'],
        host: req.headers.host,
        te: req.headers.te as string | undefined,
        proto: req.headers['x-forwarded-proto'] as string | undefined,
        body: Buffer.concat(parts).toString(),
        trailers: JSON.parse(JSON.stringify(req.trailers)) as Record<string, string>,
      }
      res.setHeader('content-type', 'application/json')
      res.setHeader('trailer', 'x-result')
      res.addTrailers({ 'x-result': `read ${echo.body.length} bytes` })
      res.end(JSON.stringify(echo))
    })
  })
  await new Promise<void>((resolve) => h2c.listen(0, '127.0.0.1', resolve))
  // An HTTP/1.1 server that ends its chunked body with trailers it announced.
  trailing = createHttpServer((req, res) => {
    req.resume()
    res.writeHead(200, { 'content-type': 'text/plain', trailer: 'x-sum' })
    res.write('1+')
    res.addTrailers({ 'x-sum': '42' })
    res.end('41')
  })
  await new Promise<void>((resolve) => trailing.listen(0, '127.0.0.1', resolve))
  junction = await startJunction({ onExchange: (ctx, outcome) => seen.push({ ctx, outcome }) })
  const service = (url: string) => ({ loadBalancer: { servers: [{ url }] } })
  await junction.write({
    http: {
      routers: {
        app: { rule: 'Host(`a.test`)', service: 'app', tls: {} },
        modern: { rule: 'Host(`modern.test`)', service: 'app', tls: { options: 'modern' } },
        h2c: { rule: 'Host(`h2c.test`)', service: 'grpc', tls: {} },
        trailers: { rule: 'Host(`trailers.test`)', service: 'trailing', tls: {} },
        broken: { rule: 'Host(`broken.test`)', service: 'broken', tls: {} },
        h2cdown: { rule: 'Host(`h2cdown.test`)', service: 'h2cdown', tls: {} },
      },
      services: {
        app: service(upstream.url),
        grpc: service(`h2c://127.0.0.1:${(h2c.address() as AddressInfo).port}`),
        trailing: service(`http://127.0.0.1:${(trailing.address() as AddressInfo).port}`),
        broken: service(`http://127.0.0.1:${await closedPort()}`),
        h2cdown: service(`h2c://127.0.0.1:${await closedPort()}`),
      },
    },
    tls: { certificates: [{ certFile: certificate.cert, keyFile: certificate.key }], options: { modern: { minVersion: 'VersionTLS13' } } },
  })
})

afterAll(async () => {
  for (const opened of sessions) opened.destroy()
  await junction.stop()
  await upstream.close()
  await new Promise<void>((resolve) => h2c.close(() => resolve()))
  trailing.closeAllConnections()
  await new Promise<void>((resolve) => trailing.close(() => resolve()))
})

describe('HTTP/2 over TLS on an entry point', () => {
  it('routes and proxies an h2 client, with :authority as the Host, and no pseudo-header reaching the server', async () => {
    const client = await session()
    expect(client.alpnProtocol).toBe('h2')
    const answer = await http2Request(client, { ':path': '/x?q=1', ':authority': 'a.test', 'x-custom': 'kept' })
    expect({ status: answer.status, type: answer.headers['content-type'] }).toEqual({ status: 200, type: 'application/json' })
    const echo = JSON.parse(answer.body) as Echo
    expect({
      method: echo.method,
      url: echo.url,
      host: echo.headers.host,
      custom: echo.headers['x-custom'],
      proto: echo.headers['x-forwarded-proto'],
      forwardedHost: echo.headers['x-forwarded-host'],
      pseudo: Object.keys(echo.headers).filter((name) => name.startsWith(':')),
    }).toEqual({ method: 'GET', url: '/x?q=1', host: 'a.test', custom: 'kept', proto: 'https', forwardedHost: 'a.test', pseudo: [] })
  })

  it('serves HTTP/1.1 clients on the same entry point, with ALPN or without it', async () => {
    const offered = await https1('/one', { host: 'a.test', alpn: ['http/1.1'] })
    expect({ status: offered.status, alpn: offered.alpn, url: (JSON.parse(offered.body) as Echo).url }).toEqual({ status: 200, alpn: 'http/1.1', url: '/one' })
    const none = await https1('/two', { host: 'a.test' })
    expect({ status: none.status, alpn: none.alpn, url: (JSON.parse(none.body) as Echo).url }).toEqual({ status: 200, alpn: false, url: '/two' })
  })

  it('keeps WebSocket upgrades working for HTTP/1.1 clients over TLS', async () => {
    const ws = await openWebSocket(junction.url(), '/chat', { ca: certificate.cert, servername: 'a.test' })
    if (!ws.upgraded) throw new Error(`expected an upgrade, got ${ws.status}`)
    expect(ws.headers['x-upstream-forwarded-proto']).toBe('wss')
    ws.send('over tls')
    expect((await ws.next()).payload.toString()).toBe('over tls')
    // A close frame: the server answers with its own and ends the connection, which closes the tunnel.
    const closed = new Promise((resolve) => ws.socket.once('close', resolve))
    ws.socket.write(encodeFrame(0x8, Buffer.alloc(0), true))
    expect((await ws.next()).opcode).toBe(0x8)
    await closed
  })

  it('runs concurrent streams of one session, each counted as an HTTP/2 exchange of that connection', async () => {
    const client = await session()
    seen.length = 0
    const answers = await Promise.all(Array.from({ length: 8 }, (_, n) => http2Request(client, { ':path': `/delay/50?n=${n}`, ':authority': 'a.test' })))
    expect(answers.map((answer) => [answer.status, (JSON.parse(answer.body) as Echo).url])).toEqual(Array.from({ length: 8 }, (_, n) => [200, `/delay/50?n=${n}`]))
    await eventually(() => expect(seen).toHaveLength(8))
    const clientPort = seen[0]?.ctx.connection.clientPort
    expect(seen.map(({ ctx, outcome }) => ({ alpn: ctx.connection.alpnProtocol, clientPort: ctx.connection.clientPort, router: ctx.router, status: outcome.status }))).toEqual(
      Array.from({ length: 8 }, () => ({ alpn: 'h2', clientPort, router: 'app@file', status: 200 })),
    )
    expect(seen.map(({ outcome }) => outcome.responseBytes).sort()).toEqual(answers.map((answer) => Buffer.byteLength(answer.body)).sort())
  })

  it('streams a request body of unknown length to the server', async () => {
    const answer = await http2Request(await session(), { ':method': 'POST', ':path': '/count', ':authority': 'a.test' }, generatedBody(5 * 1024 * 1024))
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: '{"bytes":5242880}' })
  })

  it.each([
    { desc: 'no router: 404', authority: 'nowhere.test', status: 404, body: 'Not Found', code: 'JCT_ERR_NOT_FOUND' },
    { desc: 'a server that refuses: 502', authority: 'broken.test', status: 502, body: 'Bad Gateway', code: 'JCT_ERR_BAD_GATEWAY' },
    { desc: 'an h2c server that refuses: 502', authority: 'h2cdown.test', status: 502, body: 'Bad Gateway', code: 'JCT_ERR_BAD_GATEWAY' },
    { desc: 'a router with other TLS options than the connection got by SNI: 421', authority: 'modern.test', status: 421, body: 'Misdirected Request', code: 'JCT_ERR_MISDIRECTED' },
  ])('renders errors over HTTP/2: $desc', async ({ authority, status, body, code }) => {
    const answer = await http2Request(await session('a.test'), { ':path': '/', ':authority': authority })
    expect({ status: answer.status, body: answer.body, code: answer.headers['x-junction-error'], type: answer.headers['content-type'] }).toEqual({
      status,
      body,
      code,
      type: 'text/plain; charset=utf-8',
    })
  })

  it('serves the router with other TLS options to a connection whose SNI got them', async () => {
    const answer = await http2Request(await session('modern.test'), { ':path': '/m', ':authority': 'modern.test' })
    expect({ status: answer.status, url: (JSON.parse(answer.body) as Echo).url }).toEqual({ status: 200, url: '/m' })
  })
})

describe('h2c servers and trailers', () => {
  it('reaches an h2c:// server over cleartext HTTP/2, with the client host as :authority', async () => {
    const answer = await http2Request(await session(), { ':path': '/h?x=1', ':authority': 'h2c.test' })
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body)).toEqual({ httpVersion: '2.0', method: 'GET', url: '/h?x=1', authority: 'h2c.test', proto: 'https', body: '', trailers: {} })
  })

  it('carries trailers both ways between an h2 client and an h2c server, and TE: trailers', async () => {
    const answer = await http2Request(
      await session(),
      { ':method': 'POST', ':path': '/t', ':authority': 'h2c.test', te: 'trailers' },
      'ping',
      { 'x-checksum': 'abc', 'x-forwarded-for': '10.6.6.6', authorization: 'Basic eA==' },
    )
    expect({ status: answer.status, trailer: answer.headers['trailer'], trailers: answer.trailers }).toEqual({ status: 200, trailer: 'x-result', trailers: { 'x-result': 'read 4 bytes' } })
    expect(JSON.parse(answer.body)).toEqual({ httpVersion: '2.0', method: 'POST', url: '/t', authority: 'h2c.test', te: 'trailers', proto: 'https', body: 'ping', trailers: { 'x-checksum': 'abc' } })
  })

  it('carries the trailers of a chunked HTTP/1.1 request to an h2c server', async () => {
    const answer = await https1('/chunked', { host: 'h2c.test', alpn: ['http/1.1'], method: 'POST', body: 'abc', trailers: { 'x-checksum': 'def' } })
    expect({ status: answer.status, trailers: answer.trailers }).toEqual({ status: 200, trailers: { 'x-result': 'read 3 bytes' } })
    expect(JSON.parse(answer.body)).toEqual({ httpVersion: '2.0', method: 'POST', url: '/chunked', authority: 'h2c.test', proto: 'https', body: 'abc', trailers: { 'x-checksum': 'def' } })
  })

  it("passes an HTTP/1.1 server's chunked response trailers to HTTP/1.1 and HTTP/2 clients", async () => {
    const h1 = await https1('/s', { host: 'trailers.test', alpn: ['http/1.1'] })
    expect({ status: h1.status, body: h1.body, encoding: h1.headers['transfer-encoding'], trailer: h1.headers['trailer'], trailers: h1.trailers }).toEqual({
      status: 200,
      body: '1+41',
      encoding: 'chunked',
      trailer: 'x-sum',
      trailers: { 'x-sum': '42' },
    })
    const h2 = await http2Request(await session(), { ':path': '/s', ':authority': 'trailers.test' })
    expect({ status: h2.status, body: h2.body, trailer: h2.headers['trailer'], trailers: h2.trailers }).toEqual({ status: 200, body: '1+41', trailer: 'x-sum', trailers: { 'x-sum': '42' } })
  })

  it('leaves the Trailer announcement off a response an HTTP/1.0 client gets without chunks', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: port(), servername: 'trailers.test', ca: certificate.cert }, () => socket.write('GET /s HTTP/1.0\r\nHost: trailers.test\r\n\r\n'))
      let text = ''
      socket.setEncoding('latin1').on('data', (chunk: string) => (text += chunk))
      socket.on('end', () => resolve(text))
      socket.on('error', reject)
    })
    const [head = '', body] = raw.split('\r\n\r\n')
    const lines = head.split('\r\n')
    expect({ status: lines[0], trailer: lines.filter((line) => /^trailer:/i.test(line)), chunked: lines.filter((line) => /^transfer-encoding:/i.test(line)), body }).toEqual({
      status: 'HTTP/1.1 200 OK',
      trailer: [],
      chunked: [],
      body: '1+41',
    })
  })
})

describe('HTTP/2 sessions of an entry point', () => {
  let tuned: TestJunction
  // A server that holds each response until the test releases it.
  const held: Array<ServerResponse> = []
  const holding = createHttpServer((_req, res) => void held.push(res))

  beforeAll(async () => {
    await new Promise<void>((resolve) => holding.listen(0, '127.0.0.1', resolve))
    tuned = await startJunction({
      flags: [
        '--entryPoints.web.address=127.0.0.1:0',
        '--entryPoints.web.http2.maxConcurrentStreams=7',
        '--entryPoints.web.http2.maxDecoderHeaderTableSize=8192',
        '--entryPoints.web.transport.respondingTimeouts.idleTimeout=300ms',
      ],
    })
    await tuned.write({
      http: {
        routers: { app: { rule: 'Host(`a.test`)', service: 'app', tls: {} } },
        services: { app: { loadBalancer: { servers: [{ url: `http://127.0.0.1:${(holding.address() as AddressInfo).port}` }] } } },
      },
      tls: { certificates: [{ certFile: certificate.cert, keyFile: certificate.key }] },
    })
  })

  afterAll(async () => {
    holding.closeAllConnections()
    await new Promise<void>((resolve) => holding.close(() => resolve()))
  })

  const open = async (): Promise<ClientHttp2Session> => {
    const opened = await connectHttp2(Number(new URL(tuned.url()).port), 'a.test', certificate.cert)
    sessions.push(opened)
    return opened
  }
  const goaway = (client: ClientHttp2Session) => new Promise<number>((resolve) => client.once('goaway', (code: number) => resolve(code)))

  it('announces the entry point\'s http2 settings, and Traefik\'s defaults otherwise', async () => {
    const client = await open()
    await eventually(() => expect(client.remoteSettings).toMatchObject({ maxConcurrentStreams: 7, headerTableSize: 8192 }))
    const plain = await session()
    await eventually(() => expect(plain.remoteSettings).toMatchObject({ maxConcurrentStreams: 250, headerTableSize: 4096 }))
  })

  it('sends a session without streams away (GOAWAY, no error) after idleTimeout', async () => {
    const client = await open()
    const away = goaway(client)
    const answer = http2Request(client, { ':path': '/idle', ':authority': 'a.test' })
    await eventually(() => expect(held).toHaveLength(1))
    held.shift()?.end('idle')
    expect((await answer).body).toBe('idle')
    expect(await away).toBe(0)
  })

  it('on shutdown, sends GOAWAY and lets the streams in flight finish', async () => {
    const client = await open()
    const away = goaway(client)
    const slow = http2Request(client, { ':path': '/slow', ':authority': 'a.test' })
    await eventually(() => expect(held).toHaveLength(1))
    const stopped = tuned.stop()
    expect(await away).toBe(0)
    held.shift()?.end('finished')
    const answer = await slow
    await stopped
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: 'finished' })
  })
})
