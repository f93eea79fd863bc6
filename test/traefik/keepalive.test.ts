import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.ts'
import { send } from './support/http.ts'
import { cleanupAfterEach, runFixture } from './support/run.ts'

/** Traefik's integration/keepalive_test.go. */

const defer = cleanupAfterEach()

interface ConnectionWatcher {
  readonly url: string
  /** Connections accepted so far. */
  opened(): number
  /** For each connection closed so far: how long it sat idle before it closed, in ms. */
  idlePeriods(): number[]
}

/**
 * A server that answers 200 and watches its connections as Go's
 * `ConnState` hook does: new, idle once a response is written, closed.
 * Like Go's test server, it never closes an idle connection itself and
 * sends no `Keep-Alive` hint, so whoever closes is the proxy.
 */
async function connectionWatcher(): Promise<ConnectionWatcher> {
  let opened = 0
  const idleSince = new Map<Socket, number>()
  const idlePeriods: number[] = []
  const server: Server = createServer((req, res) => {
    const socket = req.socket
    idleSince.delete(socket)
    res.once('finish', () => idleSince.set(socket, performance.now()))
    res.writeHead(200).end()
  })
  server.keepAliveTimeout = 0
  server.on('connection', (socket: Socket) => {
    opened++
    // A connection closed while a request was in flight was never idle: NaN fails the bound below.
    socket.once('close', () => idlePeriods.push(performance.now() - (idleSince.get(socket) ?? Number.NaN)))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  defer(() => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeAllConnections()
    return closed
  })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, opened: () => opened, idlePeriods: () => [...idlePeriods] }
}

describe('KeepAliveSuite', () => {
  it('TestShouldRespectConfiguredBackendHttpKeepAliveTime: the one connection to the server closes once idle for idleConnTimeout (75ms)', async () => {
    const server = await connectionWatcher()
    const run = await runFixture(defer, 'timeout/keepalive.toml', { KeepAliveServer: server.url, IdleConnTimeout: '75ms' })
    const web = await run.port('web')
    await run.live()
    expect((await send(web, { path: '/keepalive' })).status).toBe(200)

    // Traefik waits up to 5 s for every connection to close.
    await eventually(
      () => {
        expect(server.opened()).toBeGreaterThan(0)
        expect(server.idlePeriods()).toHaveLength(server.opened())
      },
      { timeout: 5000 },
    )
    expect(server.opened()).toBe(1)
    // Traefik's bound: the idle period, rounded to whole seconds, is at most the timeout (in seconds).
    for (const idle of server.idlePeriods()) expect(Math.round(idle / 1000)).toBeLessThanOrEqual(0.075)
  })
})
