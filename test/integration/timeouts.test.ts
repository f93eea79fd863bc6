import { once } from 'node:events'
import { createServer, request, type Server, type ServerResponse } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.ts'
import { startJunction, type TestJunction } from '../support/junction.ts'

let junction: TestJunction
let upstream: Server
const held: ServerResponse[] = []

beforeAll(async () => {
  upstream = createServer((req, res) => {
    if (req.url === '/stall') {
      res.writeHead(200, { 'content-length': 100 })
      res.write('first')
      held.push(res)
      return
    }
    req.resume()
    req.on('end', () => res.end('ok'))
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
  junction = await startJunction({
    flags: [
      '--entryPoints.web.address=127.0.0.1:0',
      '--entryPoints.web.transport.respondingTimeouts.readTimeout=300ms',
      '--entryPoints.web.transport.respondingTimeouts.writeTimeout=800ms',
      '--entryPoints.web.transport.respondingTimeouts.idleTimeout=300ms',
    ],
    initial: { http: { routers: { all: { rule: 'PathPrefix(`/`)', service: 'app' } }, services: { app: { loadBalancer: { servers: [{ url }] } } } } },
  })
  await eventually(() => expect(junction.junction.live.report.routers['all@file']?.status).toBe('enabled'))
})

afterAll(async () => {
  for (const res of held) res.destroy()
  await junction.stop()
  upstream.close()
})

function open(): Promise<Socket> {
  const socket = connect(Number(new URL(junction.url()).port), '127.0.0.1')
  return once(socket, 'connect').then(() => socket)
}

function readAll(socket: Socket): Promise<string> {
  let text = ''
  socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
  return once(socket, 'close').then(() => text)
}

describe('responding timeouts', () => {
  it('readTimeout answers 408 to a request whose body stalls', async () => {
    const socket = await open()
    const received = readAll(socket)
    socket.write('POST /upload HTTP/1.1\r\nHost: app.test\r\ncontent-length: 10\r\n\r\nabc')
    expect(await received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/)
  })

  it('idleTimeout closes a keep-alive connection left idle', async () => {
    const socket = await open()
    const received = readAll(socket)
    socket.write('GET / HTTP/1.1\r\nHost: app.test\r\n\r\n')
    const text = await received
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(text.endsWith('\r\n\r\nok')).toBe(true)
  })

  it('writeTimeout cuts a response still being written', async () => {
    const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      request({ host: '127.0.0.1', port: new URL(junction.url()).port, path: '/stall', agent: false }, resolve).on('error', reject).end()
    })
    let body = ''
    response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
    const aborted = once(response, 'error').then(([error]) => (error as Error).message)
    expect(await aborted).toBe('aborted')
    expect(response.statusCode).toBe(200)
    expect(body).toBe('first')
    expect(response.complete).toBe(false)
  })
})
