import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import type { LoadBalancer, ServersTransport } from '../../../src/config/dynamic.ts'
import type { RequestContext } from '../../../src/core/context.ts'
import type { Outcome } from '../../../src/core/outcome.ts'
import { createLoadBalancer } from '../../../src/services/load-balancer.ts'
import { resolveServersTransport } from '../../../src/services/servers-transport.ts'
import { eventually } from '../../support/eventually.ts'
import { startUpstream, type Upstream } from '../../support/upstream.ts'
import { closedPort, send, startProxy } from './harness.ts'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function upstream(): Promise<Upstream> {
  const started = await startUpstream()
  cleanups.push(() => started.close())
  return started
}

/** A load balancer behind the stand-in entry point; every settled outcome is collected. */
async function proxy(config: LoadBalancer, transport?: ServersTransport): Promise<{ url: string; outcomes: Array<{ outcome: Outcome; ctx: RequestContext }> }> {
  const service = createLoadBalancer('app@test', config, resolveServersTransport(transport))
  cleanups.push(() => service.dispose())
  const outcomes: Array<{ outcome: Outcome; ctx: RequestContext }> = []
  const started = await startProxy(service.handler, { onOutcome: (outcome, ctx) => outcomes.push({ outcome, ctx }) })
  cleanups.push(() => started.close())
  return { url: started.url, outcomes }
}

/** The fields of an outcome a test can state exactly (the cause is an error object; times are checked for order). */
function fields(outcome: Outcome): Record<string, unknown> {
  const { failure } = outcome
  return {
    status: outcome.status,
    serverStatus: outcome.serverStatus,
    headersSent: outcome.headersSent,
    failure: failure === undefined ? undefined : { kind: failure.kind, phase: failure.phase, code: failure.code },
    requestBytes: outcome.requestBytes,
    responseBytes: outcome.responseBytes,
    upgraded: outcome.upgraded,
  }
}

function timesInOrder(outcome: Outcome): boolean {
  const afterStart = outcome.end >= outcome.start
  return outcome.headersAt === 0 ? afterStart : afterStart && outcome.headersAt >= outcome.start && outcome.end >= outcome.headersAt
}

/** Sends a request and swallows the client-side error a broken response causes. */
function attempt(url: string, path: string, body?: string): Promise<number> {
  const target = new URL(url)
  return new Promise((resolve) => {
    const req = request({ host: target.hostname, port: target.port, path, method: body === undefined ? 'GET' : 'POST', agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
      res.on('error', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', () => resolve(0))
    req.end(body)
  })
}

describe('the outcome of an exchange', () => {
  it('of a success: the server status, both byte counts, the server, times in order', async () => {
    const server = await upstream()
    const { url, outcomes } = await proxy({ servers: [{ url: server.url }] })
    const reply = await send(url, '/count', { method: 'POST', body: 'twelve bytes', headers: { 'content-length': 12 } })
    expect(reply.body).toBe('{"bytes":12}')
    await eventually(() => expect(outcomes).toHaveLength(1))
    const [{ outcome, ctx }] = outcomes as [{ outcome: Outcome; ctx: RequestContext }]
    expect(fields(outcome)).toEqual({
      status: 200,
      serverStatus: 200,
      headersSent: true,
      failure: undefined,
      requestBytes: 12,
      responseBytes: 12,
      upgraded: false,
    })
    expect({ server: outcome.server, ctxServer: ctx.server, service: ctx.service, inOrder: timesInOrder(outcome) }).toEqual({
      server: `${server.url}/`,
      ctxServer: `${server.url}/`,
      service: 'app@test',
      inOrder: true,
    })
  })

  it.each([
    {
      desc: 'a refused connection: 502 answered by the request path',
      setup: async () => `http://127.0.0.1:${await closedPort()}`,
      path: '/',
      transport: undefined,
      expected: { status: 502, serverStatus: 0, headersSent: true, failure: { kind: 'refused', phase: 'before-headers', code: 'JCT_ERR_BAD_GATEWAY' }, requestBytes: 0, responseBytes: 0, upgraded: false },
    },
    {
      desc: 'a server that hangs up before headers: 502',
      setup: async () => (await upstream()).url,
      path: '/hangup',
      transport: undefined,
      expected: { status: 502, serverStatus: 0, headersSent: true, failure: { kind: 'reset', phase: 'before-headers', code: 'JCT_ERR_BAD_GATEWAY' }, requestBytes: 0, responseBytes: 0, upgraded: false },
    },
    {
      desc: 'no response headers within responseHeaderTimeout: 504',
      setup: async () => (await upstream()).url,
      path: '/delay/5000',
      transport: { forwardingTimeouts: { responseHeaderTimeout: '100ms' } },
      expected: { status: 504, serverStatus: 0, headersSent: true, failure: { kind: 'header-timeout', phase: 'before-headers', code: 'JCT_ERR_GATEWAY_TIMEOUT' }, requestBytes: 0, responseBytes: 0, upgraded: false },
    },
    {
      desc: 'a server that resets mid-body: the client connection is broken',
      setup: async () => (await upstream()).url,
      path: '/reset',
      transport: undefined,
      expected: { status: 200, serverStatus: 200, headersSent: true, failure: { kind: 'reset', phase: 'after-headers', code: 'JCT_ERR_BAD_GATEWAY' }, requestBytes: 0, responseBytes: 7, upgraded: false },
    },
  ])('of $desc', async ({ setup, path, transport, expected }) => {
    const serverUrl = await setup()
    const { url, outcomes } = await proxy({ servers: [{ url: serverUrl }] }, transport)
    await attempt(url, path)
    await eventually(() => expect(outcomes).toHaveLength(1))
    const { outcome } = outcomes[0] as { outcome: Outcome }
    expect(fields(outcome)).toEqual(expected)
    expect({ server: outcome.server, inOrder: timesInOrder(outcome) }).toEqual({ server: `${serverUrl}/`, inOrder: true })
  })

  it('of a client that leaves while the server thinks: client-closed, and the server request is aborted', async () => {
    const server = await upstream()
    const { url, outcomes } = await proxy({ servers: [{ url: server.url }] })
    const target = new URL(url)
    const req = request({ host: target.hostname, port: target.port, path: '/delay/10000', agent: false })
    req.on('error', () => undefined).end()
    await eventually(() => expect(server.openConnections()).toBe(1))
    req.destroy()
    await eventually(() => expect(outcomes).toHaveLength(1))
    const { outcome } = outcomes[0] as { outcome: Outcome }
    expect(fields(outcome)).toEqual({
      status: 0,
      serverStatus: 0,
      headersSent: false,
      failure: { kind: 'client-closed', phase: 'before-headers', code: 'JCT_ERR_CLIENT_CLOSED' },
      requestBytes: 0,
      responseBytes: 0,
      upgraded: false,
    })
    await eventually(() => expect(server.openConnections()).toBe(0))
  })

  it('of a service without servers: no-server, answered 503', async () => {
    const { url, outcomes } = await proxy({ servers: [] })
    expect((await send(url, '/')).status).toBe(503)
    await eventually(() => expect(outcomes).toHaveLength(1))
    expect(fields((outcomes[0] as { outcome: Outcome }).outcome)).toEqual({
      status: 503,
      serverStatus: 0,
      headersSent: true,
      failure: { kind: 'no-server', phase: 'before-headers', code: 'JCT_ERR_NO_SERVER' },
      requestBytes: 0,
      responseBytes: 0,
      upgraded: false,
    })
  })
})
