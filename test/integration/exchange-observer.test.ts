import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestContext } from '../../src/core/context.ts'
import type { Outcome } from '../../src/core/outcome.ts'
import { eventually } from '../support/eventually.ts'
import { startJunction, type TestJunction } from '../support/junction.ts'
import { encodeFrame, startUpstream, type Upstream } from '../support/upstream.ts'
import { openWebSocket, send } from './services/harness.ts'

const seen: Array<{ ctx: RequestContext; outcome: Outcome }> = []
let junction: TestJunction
let server: Upstream

beforeAll(async () => {
  server = await startUpstream()
  junction = await startJunction({ onExchange: (ctx, outcome) => seen.push({ ctx, outcome }) })
  await junction.write({
    http: {
      routers: { app: { rule: 'Host(`app.test`)', service: 'app' }, chat: { rule: 'PathPrefix(`/chat`)', service: 'app' } },
      services: { app: { loadBalancer: { servers: [{ url: server.url }] } } },
    },
  })
})

afterAll(async () => {
  await junction.stop()
  await server.close()
})

/** What access logs and metrics will read: who handled the exchange and how it ended for the client. */
function summary({ ctx, outcome }: { ctx: RequestContext; outcome: Outcome }): Record<string, unknown> {
  return {
    entryPoint: ctx.entryPoint,
    router: ctx.router,
    service: ctx.service,
    server: ctx.server,
    clientIp: ctx.connection.clientIp,
    secure: ctx.connection.secure,
    status: outcome.status,
    failure: outcome.failure?.kind,
    responseBytes: outcome.responseBytes,
    upgraded: outcome.upgraded,
  }
}

describe('the exchange observer of an entry point', () => {
  it('is told of each exchange as the client saw it, with the router, service and server that handled it', async () => {
    seen.length = 0
    const ok = await send(junction.url(), '/status/201/Made', { headers: { host: 'app.test' } })
    const missing = await send(junction.url(), '/', { headers: { host: 'nowhere.test' } })
    await eventually(() => expect(seen).toHaveLength(2))
    expect([ok.status, missing.status]).toEqual([201, 404])
    expect(seen.map(summary)).toEqual([
      { entryPoint: 'web', router: 'app@file', service: 'app@file', server: `${server.url}/`, clientIp: '127.0.0.1', secure: false, status: 201, failure: undefined, responseBytes: 0, upgraded: false },
      { entryPoint: 'web', router: '', service: '', server: '', clientIp: '127.0.0.1', secure: false, status: 404, failure: undefined, responseBytes: 9, upgraded: false },
    ])
  })

  it('is told of a WebSocket tunnel when it closes, as upgraded with status 101', async () => {
    seen.length = 0
    const ws = await openWebSocket(junction.url(), '/chat')
    if (!ws.upgraded) throw new Error(`expected an upgrade, got ${ws.status}`)
    ws.send('ping')
    await ws.next()
    expect(seen).toHaveLength(0)
    // A close frame: the server answers with its own and ends the connection, which closes the tunnel.
    ws.socket.write(encodeFrame(0x8, Buffer.alloc(0), true))
    await eventually(() => expect(seen).toHaveLength(1))
    expect(summary(seen[0] as { ctx: RequestContext; outcome: Outcome })).toMatchObject({ router: 'chat@file', status: 101, upgraded: true, failure: undefined })
  })
})
