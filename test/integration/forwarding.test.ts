import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { hostname } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.ts'
import { startJunction, type TestJunction } from '../support/junction.ts'
import { forwardedOf } from '../support/upstream.ts'

let junction: TestJunction
let upstream: Server
let upgrades: IncomingHttpHeaders[] = []

function send(entryPoint: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const url = new URL(junction.url(entryPoint))
  return new Promise((resolve, reject) => {
    request({ host: url.hostname, port: url.port, path, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
      .on('error', reject)
      .end()
  })
}

async function seenHeaders(entryPoint: string, headers: Record<string, string>): Promise<IncomingHttpHeaders> {
  const response = await send(entryPoint, '/', headers)
  expect(response.status).toBe(200)
  return JSON.parse(response.body) as IncomingHttpHeaders
}

beforeAll(async () => {
  upstream = createServer((req, res) => res.end(JSON.stringify(req.headers)))
  // A byte-echo behind a 101: enough to prove the proxy splices both directions.
  upstream.on('upgrade', (req, socket: Socket) => {
    upgrades.push(req.headers)
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n')
    socket.pipe(socket)
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  const port = (upstream.address() as AddressInfo).port
  junction = await startJunction({
    flags: [
      '--entryPoints.web.address=127.0.0.1:0',
      '--entryPoints.trusted.address=127.0.0.1:0',
      '--entryPoints.trusted.forwardedHeaders.trustedIPs=10.0.0.0/8,127.0.0.1/32',
    ],
    initial: {
      http: {
        routers: { all: { rule: 'PathPrefix(`/`)', service: 'app' } },
        services: { app: { loadBalancer: { servers: [{ url: `http://127.0.0.1:${port}` }] } } },
      },
    },
  })
  await eventually(async () => expect((await send('web', '/', {})).status).toBe(200))
})

afterAll(async () => {
  await junction.stop()
  upstream.close()
})

const spoofed = {
  'x-forwarded-for': '203.0.113.7',
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'spoofed.example',
  'x-forwarded-port': '443',
  'x-forwarded-server': 'elsewhere',
  'x-real-ip': '203.0.113.7',
}

describe('forwarded headers', () => {
  it('replaces every X-Forwarded-* from a client outside trustedIPs', async () => {
    const port = new URL(junction.url('web')).port
    const seen = await seenHeaders('web', { ...spoofed, host: `app.test:${port}` })
    expect(forwardedOf(seen)).toEqual({ for: '127.0.0.1', proto: 'http', host: `app.test:${port}`, port, server: hostname(), realIp: '127.0.0.1' })
  })

  it('keeps them from a trusted client, appends its address to X-Forwarded-For and names itself in X-Forwarded-Server', async () => {
    const seen = await seenHeaders('trusted', { ...spoofed, host: 'app.test' })
    // As Traefik: X-Forwarded-Server is always the proxy's own host name.
    expect(forwardedOf(seen)).toEqual({ for: '203.0.113.7, 127.0.0.1', proto: 'https', host: 'spoofed.example', port: '443', server: hostname(), realIp: '203.0.113.7' })
  })

  it('removes headers named in Connection but never the ones Junction adds', async () => {
    const seen = await seenHeaders('web', { connection: 'keep-alive, X-Forwarded-For, X-Secret', 'x-secret': 'hidden', host: 'app.test' })
    expect(seen['x-secret']).toBeUndefined()
    expect(seen['x-forwarded-for']).toBe('127.0.0.1')
    expect(seen['x-real-ip']).toBe('127.0.0.1')
  })
})

describe('upgrades', () => {
  it('proxies a WebSocket upgrade and splices bytes both ways', async () => {
    upgrades = []
    const url = new URL(junction.url('web'))
    const socket = await new Promise<Socket>((resolve, reject) => {
      request({
        host: url.hostname,
        port: url.port,
        path: '/chat',
        headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
      })
        .on('upgrade', (res, upgraded: Socket) => {
          expect(res.statusCode).toBe(101)
          resolve(upgraded)
        })
        .on('error', reject)
        .end()
    })
    const echoed = new Promise<string>((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString())))
    socket.write('ping through junction')
    expect(await echoed).toBe('ping through junction')
    socket.destroy()
    expect(upgrades[0]?.['x-forwarded-proto']).toBe('ws')
    expect(upgrades[0]?.['x-forwarded-for']).toBe('127.0.0.1')
  })

  it('keeps an upgrade whose Connection lists other headers too, and removes those', async () => {
    upgrades = []
    const url = new URL(junction.url('web'))
    const status = await new Promise<number>((resolve, reject) => {
      request({
        host: url.hostname,
        port: url.port,
        path: '/chat',
        headers: { connection: 'X-Secret, Upgrade', 'x-secret': 'hidden', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
      })
        .on('upgrade', (res, upgraded: Socket) => {
          upgraded.destroy()
          resolve(res.statusCode ?? 0)
        })
        .on('response', (res) => resolve(res.statusCode ?? 0))
        .on('error', reject)
        .end()
    })
    const seen = upgrades[0] ?? {}
    expect({ status, upgrade: seen.upgrade, connection: seen.connection, secret: seen['x-secret'], proto: seen['x-forwarded-proto'] }).toEqual({
      status: 101,
      upgrade: 'websocket',
      connection: 'upgrade',
      secret: undefined,
      proto: 'ws',
    })
  })
})
