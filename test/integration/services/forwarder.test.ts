import { request } from 'node:http'
import { hostname } from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import type { LoadBalancer, ServersTransport } from '../../../src/config/dynamic.ts'
import type { Handler } from '../../../src/core/context.ts'
import { createLoadBalancer } from '../../../src/services/load-balancer.ts'
import type { ServiceInstance } from '../../../src/services/service-kind.ts'
import { resolveServersTransport } from '../../../src/services/servers-transport.ts'
import { eventually } from '../../support/eventually.ts'
import { forwardedOf, generatedBody, startUpstream, testCerts, type Echo, type Upstream } from '../../support/upstream.ts'
import { closedPort, openWebSocket, send, startPeer, startProxy, type TestProxy } from './harness.ts'

const MB = 1024 * 1024


// The forwarder's contract, run through a load balancer behind a stand-in
// entry point, on real sockets.
const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function upstream(options: { tls?: boolean } = {}): Promise<Upstream> {
  const started = await startUpstream(options)
  cleanups.push(() => started.close())
  return started
}

/** A load balancer for `config` behind a proxy; `wrap` stands for middlewares. */
async function proxy(
  config: LoadBalancer,
  options: { transport?: ServersTransport; trusted?: boolean; wrap?: (next: Handler) => Handler } = {},
): Promise<TestProxy & { service: ServiceInstance }> {
  const service = createLoadBalancer('app@test', config, resolveServersTransport(options.transport))
  cleanups.push(() => service.dispose())
  const handler = options.wrap ? options.wrap(service.handler) : service.handler
  const started = await startProxy(handler, { trusted: options.trusted ?? false })
  cleanups.push(() => started.close())
  return { ...started, service }
}

async function echoThrough(config: LoadBalancer, path: string, options: Parameters<typeof send>[2] = {}): Promise<Echo> {
  const { url } = await proxy(config)
  const reply = await send(url, path, options)
  expect(reply.status).toBe(200)
  return JSON.parse(reply.body) as Echo
}

describe('forwarder', () => {
  it.each([
    { desc: 'GET with a query', input: { method: 'GET', path: '/a/b?x=1&y=two' }, expected: { url: '/a/b?x=1&y=two', body: '' } },
    { desc: 'POST with a body', input: { method: 'POST', path: '/submit', body: 'hello=world' }, expected: { url: '/submit', body: 'hello=world' } },
    { desc: 'PUT with a body', input: { method: 'PUT', path: '/items/7', body: '{"a":1}' }, expected: { url: '/items/7', body: '{"a":1}' } },
    { desc: 'DELETE without a body', input: { method: 'DELETE', path: '/items/7' }, expected: { url: '/items/7', body: '' } },
    { desc: 'encoded path and query', input: { method: 'GET', path: '/p%20q/%2F?q=%C3%A9&r' }, expected: { url: '/p%20q/%2F?q=%C3%A9&r', body: '' } },
    { desc: 'semicolons in the query, as Traefik', input: { method: 'GET', path: '/s?a=1;b=2' }, expected: { url: '/s?a=1&b=2', body: '' } },
  ])('forwards $desc exactly', async ({ input, expected }) => {
    const server = await upstream()
    const seen = await echoThrough({ servers: [{ url: server.url }] }, input.path, {
      method: input.method,
      ...(input.body !== undefined && { body: input.body, headers: { 'content-length': Buffer.byteLength(input.body) } }),
    })
    expect({ method: seen.method, url: seen.url, body: seen.body }).toEqual({ method: input.method, ...expected })
  })

  it('answers HEAD with the server headers and no body', async () => {
    const server = await upstream()
    const { url } = await proxy({ servers: [{ url: server.url }] })
    const reply = await send(url, '/download/1234', { method: 'HEAD' })
    expect({ status: reply.status, length: reply.headers['content-length'], body: reply.body }).toEqual({ status: 200, length: '1234', body: '' })
  })

  it('forwards a request that expected 100-continue without the expectation', async () => {
    const server = await upstream()
    const seen = await echoThrough({ servers: [{ url: server.url }] }, '/upload', {
      method: 'POST',
      headers: { expect: '100-continue', 'content-length': 5 },
      body: 'hello',
    })
    expect({ body: seen.body, expect: seen.headers.expect }).toEqual({ body: 'hello', expect: undefined })
  })

  it.each([
    { desc: 'POST', input: 'POST' },
    { desc: 'DELETE, whose body Node would not frame by default', input: 'DELETE' },
  ])('forwards a chunked $desc body with its own framing', async ({ input }) => {
    const server = await upstream()
    const seen = await echoThrough({ servers: [{ url: server.url }] }, '/chunked', {
      method: input,
      headers: { 'transfer-encoding': 'chunked' },
      body: 'gone',
    })
    expect({ method: seen.method, body: seen.body }).toEqual({ method: input, body: 'gone' })
  })

  it('streams a chunked request body', async () => {
    const server = await upstream()
    const { url } = await proxy({ servers: [{ url: server.url }] })
    const reply = await send(url, '/count', { method: 'POST', body: generatedBody(300_000) })
    expect(JSON.parse(reply.body)).toEqual({ bytes: 300_000 })
  })

  it.each([
    { desc: 'ignored by default', input: { preservePath: undefined }, expected: '/x/y?z=1' },
    { desc: 'prefixed with preservePath', input: { preservePath: true }, expected: '/base/x/y?z=1' },
  ])('treats the server URL path as Traefik v3: $desc', async ({ input, expected }) => {
    const server = await upstream()
    const seen = await echoThrough({ servers: [{ url: `${server.url}/base`, ...(input.preservePath && { preservePath: true }) }] }, '/x/y?z=1')
    expect(seen.url).toBe(expected)
  })

  it('reuses one keep-alive connection for 20 sequential requests', async () => {
    const server = await upstream()
    const { url } = await proxy({ servers: [{ url: server.url }] })
    for (let i = 0; i < 20; i++) expect((await send(url, `/n/${i}`)).status).toBe(200)
    expect(server.connections()).toBe(1)
  })

  it('closes its keep-alive connections on dispose', async () => {
    const server = await upstream()
    const { url, service } = await proxy({ servers: [{ url: server.url }] })
    expect((await send(url, '/')).status).toBe(200)
    expect(server.openConnections()).toBe(1)
    await service.dispose()
    await eventually(() => expect(server.openConnections()).toBe(0))
  })

  it('lets an in-flight request finish when disposed', async () => {
    const server = await upstream()
    const { url, service } = await proxy({ servers: [{ url: server.url }] })
    const pending = send(url, '/delay/300')
    await eventually(() => expect(server.openConnections()).toBe(1))
    const disposed = service.dispose()
    const reply = await pending
    await disposed
    expect({ status: reply.status, url: (JSON.parse(reply.body) as Echo).url }).toEqual({ status: 200, url: '/delay/300' })
    await eventually(() => expect(server.openConnections()).toBe(0))
  })

  const spoofed = {
    'x-forwarded-for': '203.0.113.7',
    'x-forwarded-proto': 'https',
    'x-forwarded-host': 'spoofed.example',
    'x-forwarded-port': '8443',
    'x-forwarded-server': 'elsewhere',
    'x-real-ip': '203.0.113.7',
  }
  it.each([
    {
      desc: 'an untrusted client: its values are replaced',
      input: { trusted: false, host: 'app.example:8080' },
      expected: { for: '127.0.0.1', proto: 'http', host: 'app.example:8080', port: '8080', server: hostname(), realIp: '127.0.0.1' },
    },
    {
      desc: 'an untrusted client without a port in Host: the scheme default',
      input: { trusted: false, host: 'app.example' },
      expected: { for: '127.0.0.1', proto: 'http', host: 'app.example', port: '80', server: hostname(), realIp: '127.0.0.1' },
    },
    {
      desc: 'a trusted client: its values are kept (X-Forwarded-Server is always the proxy, as in Traefik) and its address appended',
      input: { trusted: true, host: 'app.example' },
      expected: { for: '203.0.113.7, 127.0.0.1', proto: 'https', host: 'spoofed.example', port: '8443', server: hostname(), realIp: '203.0.113.7' },
    },
  ])('sets forwarded headers for $desc', async ({ input, expected }) => {
    const server = await upstream()
    const { url } = await proxy({ servers: [{ url: server.url }] }, { trusted: input.trusted })
    const reply = await send(url, '/', { headers: { ...spoofed, host: input.host } })
    const seen = (JSON.parse(reply.body) as Echo).headers
    expect(forwardedOf(seen)).toEqual(expected)
  })

  it('removes hop-by-hop headers and those Connection lists, never the X-Forwarded ones; of TE, only trailers stays', async () => {
    const server = await upstream()
    const setPrefix = (next: Handler): Handler => (req, res, ctx) => {
      req.headers['x-forwarded-prefix'] = '/api'
      return next(req, res, ctx)
    }
    const { url } = await proxy({ servers: [{ url: server.url }] }, { wrap: setPrefix })
    const reply = await send(url, '/', {
      headers: {
        connection: 'keep-alive, X-Secret, X-Forwarded-For, X-Forwarded-Prefix',
        'x-secret': 'hidden',
        'keep-alive': 'timeout=5',
        'proxy-authorization': 'Basic Zm9vOmJhcg==',
        te: 'deflate, trailers',
        'x-kept': 'yes',
      },
    })
    const seen = (JSON.parse(reply.body) as Echo).headers
    expect({
      secret: seen['x-secret'],
      keepAlive: seen['keep-alive'],
      proxyAuthorization: seen['proxy-authorization'],
      te: seen['te'],
      kept: seen['x-kept'],
      for: seen['x-forwarded-for'],
      prefix: seen['x-forwarded-prefix'],
    }).toEqual({ secret: undefined, keepAlive: undefined, proxyAuthorization: undefined, te: 'trailers', kept: 'yes', for: '127.0.0.1', prefix: '/api' })
  })

  it.each([
    { desc: 'the client Host by default', input: { passHostHeader: undefined }, expected: 'client.example' },
    { desc: "the server URL's host with passHostHeader false", input: { passHostHeader: false }, expected: 'server' },
  ])('sends $desc', async ({ input, expected }) => {
    const server = await upstream()
    const seen = await echoThrough(
      { servers: [{ url: server.url }], ...(input.passHostHeader === false && { passHostHeader: false }) },
      '/',
      { headers: { host: 'client.example' } },
    )
    expect(seen.headers.host).toBe(expected === 'server' ? `127.0.0.1:${server.port}` : expected)
  })

  it('keeps the status text and drops hop-by-hop response headers', async () => {
    const server = await upstream()
    const { url } = await proxy({ servers: [{ url: server.url }] })
    const reply = await send(url, '/status/299/Quite%20Fine')
    expect({ status: reply.status, text: reply.statusMessage, keepAlive: reply.headers['keep-alive'] }).toEqual({
      status: 299,
      text: 'Quite Fine',
      keepAlive: undefined,
    })
  })

  it('answers 502 when the server port is closed', async () => {
    const port = await closedPort()
    const { url } = await proxy({ servers: [{ url: `http://127.0.0.1:${port}` }] })
    const reply = await send(url, '/')
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 502, body: 'Bad Gateway' })
  })

  it('answers 504 when no response headers come within responseHeaderTimeout', async () => {
    const server = await upstream()
    const { url } = await proxy({ servers: [{ url: server.url }] }, { transport: { forwardingTimeouts: { responseHeaderTimeout: '200ms' } } })
    const reply = await send(url, '/delay/3000')
    // The request did reach the server: the timeout is about its answer, not the connection.
    expect({ status: reply.status, body: reply.body, reached: server.connections() }).toEqual({ status: 504, body: 'Gateway Timeout', reached: 1 })
  })

  it('answers 503 when the service has no server', async () => {
    const { url } = await proxy({ servers: [] })
    const reply = await send(url, '/')
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 503, body: 'Service Unavailable' })
  })

  it('destroys the client connection when the server resets mid-response', async () => {
    const server = await upstream()
    const { url } = await proxy({ servers: [{ url: server.url }] })
    const outcome = await new Promise<{ status: number; failed: boolean }>((resolve) => {
      const target = new URL(url)
      request({ host: target.hostname, port: target.port, path: '/reset', agent: false }, (res) => {
        res.resume()
        res.on('error', () => resolve({ status: res.statusCode ?? 0, failed: true }))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, failed: false }))
      })
        .on('error', () => resolve({ status: 0, failed: true }))
        .end()
    })
    expect(outcome).toEqual({ status: 200, failed: true })
  })

  it('aborts the server request when the client leaves', async () => {
    const server = await upstream()
    const { url } = await proxy({ servers: [{ url: server.url }] })
    const target = new URL(url)
    const req = request({ host: target.hostname, port: target.port, path: '/delay/10000', agent: false })
    req.on('error', () => undefined).end()
    await eventually(() => expect(server.openConnections()).toBe(1))
    req.destroy()
    await eventually(() => expect(server.openConnections()).toBe(0))
  })

  it('spreads requests 3:1 over two cycles with smooth weighted round robin', async () => {
    const a = await upstream()
    const b = await upstream()
    const { url } = await proxy({ servers: [{ url: a.url, weight: 3 }, { url: b.url, weight: 1 }], passHostHeader: false })
    const order: string[] = []
    for (let i = 0; i < 8; i++) {
      const seen = JSON.parse((await send(url, '/')).body) as Echo
      order.push(seen.headers.host === `127.0.0.1:${a.port}` ? 'a' : 'b')
    }
    expect(order).toEqual(['a', 'a', 'b', 'a', 'a', 'a', 'b', 'a'])
  })

  it('proxies a WebSocket and echoes frames both ways', async () => {
    const server = await upstream()
    const { url } = await proxy({ servers: [{ url: server.url }] })
    const ws = await openWebSocket(url, '/chat')
    if (!ws.upgraded) throw new Error(`expected an upgrade, got ${ws.status}`)
    cleanups.push(async () => void ws.socket.destroy())
    ws.send('hello through junction')
    const frame = await ws.next()
    expect({ opcode: frame.opcode, text: frame.payload.toString(), proto: ws.headers['x-upstream-forwarded-proto'] }).toEqual({
      opcode: 1,
      text: 'hello through junction',
      proto: 'ws',
    })
  })

  it("relays the server's refusal of a WebSocket upgrade", async () => {
    const server = await upstream()
    const { url } = await proxy({ servers: [{ url: server.url }] })
    const ws = await openWebSocket(url, '/refuse')
    expect(ws.upgraded ? 'upgraded' : { status: ws.status, body: ws.body }).toEqual({ status: 403, body: 'refused' })
  })

  it('answers a WebSocket upgrade to an unreachable server with 502', async () => {
    const port = await closedPort()
    const { url } = await proxy({ servers: [{ url: `http://127.0.0.1:${port}` }] })
    const ws = await openWebSocket(url, '/chat')
    expect(ws.upgraded ? 'upgraded' : { status: ws.status, body: ws.body }).toEqual({ status: 502, body: 'Bad Gateway' })
  })

  it.each([
    { desc: 'rootCAs as a file path', input: { url: 'ip', transport: { rootCAs: [testCerts.caPath] } }, expected: { status: 200, servername: null } },
    { desc: 'rootCAs as PEM content', input: { url: 'ip', transport: { rootCAs: [testCerts.ca] } }, expected: { status: 200, servername: null } },
    {
      desc: 'rootCAs and serverName as SNI',
      input: { url: 'ip', transport: { rootCAs: [testCerts.ca], serverName: 'localhost' } },
      expected: { status: 200, servername: 'localhost' },
    },
    { desc: 'a DNS name as SNI', input: { url: 'localhost', transport: { rootCAs: [testCerts.ca] } }, expected: { status: 200, servername: 'localhost' } },
    { desc: 'insecureSkipVerify', input: { url: 'ip', transport: { insecureSkipVerify: true } }, expected: { status: 200, servername: null } },
    { desc: 'neither: the certificate is refused', input: { url: 'ip', transport: {} }, expected: { status: 502, servername: null } },
  ])('reaches an https server with $desc', async ({ input, expected }) => {
    const server = await upstream({ tls: true })
    const serverUrl = input.url === 'ip' ? server.url : `https://localhost:${server.port}`
    const { url } = await proxy({ servers: [{ url: serverUrl }] }, { transport: input.transport })
    const reply = await send(url, '/', { headers: { host: 'client.example' } })
    const servername = reply.status === 200 ? (JSON.parse(reply.body) as Echo).servername : null
    expect({ status: reply.status, servername }).toEqual(expected)
  })

  it.each([
    { desc: 'a 100 MB upload', input: { path: '/count', method: 'POST', upload: 100 * MB } },
    { desc: 'a 100 MB download', input: { path: `/download/${100 * MB}`, method: 'GET', upload: 0 } },
  ])('streams $desc whole (memory under load: test/bench, streaming scenario)', async ({ input }) => {
    const peer = await startPeer()
    cleanups.push(() => peer.close())
    const { url } = await proxy({ servers: [{ url: `http://127.0.0.1:${peer.port}` }] })
    expect(await peer.transfer({ proxy: url, ...input })).toBe(100 * MB)
  })
})
