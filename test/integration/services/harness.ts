import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import type { Handler, RequestContext } from '../../../src/core/context.ts'
import { ExchangeResponse } from '../../../src/core/exchange-response.ts'
import type { Outcome } from '../../../src/core/outcome.ts'
import { settle } from '../../../src/core/responder.ts'
import { testContext } from '../../support/context.ts'
import { removeUntrustedForwardedHeaders, setForwardedHeaders } from '../../../src/services/forwarded-headers.ts'
import { applyConnectionOptions, connectionKept } from '../../../src/services/hop-by-hop.ts'
import { encodeFrame, FrameReader, type Frame } from '../../support/upstream.ts'
import type { TransferOrder } from './traffic-peer.ts'

const noneKept = connectionKept([])

export interface TestProxy {
  readonly url: string
  close(): Promise<void>
}

/**
 * A stand-in for the entry point, doing what it does for a service: strip
 * X-Forwarded-* from untrusted clients, set the forwarded headers and apply
 * the client's Connection options, build the context, and for upgrades bind
 * a ServerResponse to the raw socket.
 */
export async function startProxy(
  handler: Handler,
  options: { trusted?: boolean; onOutcome?: (outcome: Outcome, ctx: RequestContext) => void } = {},
): Promise<TestProxy> {
  const trusted = options.trusted ?? false
  const upgraded = new Set<Socket>()
  const context = (req: IncomingMessage, res: ExchangeResponse, upgrade?: RequestContext['upgrade']): RequestContext => {
    if (!trusted) removeUntrustedForwardedHeaders(req.headers)
    const address = req.socket.remoteAddress ?? ''
    const clientIp = address.startsWith('::ffff:') ? address.slice(7) : address
    const ctx = testContext({ connection: { clientIp, trusted }, res, upgrade, router: 'test' })
    setForwardedHeaders(req.headers, ctx, upgrade !== undefined)
    applyConnectionOptions(req.headers, noneKept)
    return ctx
  }
  const serve = (req: IncomingMessage, res: ExchangeResponse, ctx: RequestContext): void => {
    void handler(req, res, ctx).then((outcome) => {
      const settled = settle(res, outcome)
      options.onOutcome?.(settled, ctx)
    })
  }
  const server = createServer({ ServerResponse: ExchangeResponse }, (req, res) => serve(req, res, context(req, res)))
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    upgraded.add(socket)
    socket.once('close', () => upgraded.delete(socket))
    socket.on('error', () => socket.destroy())
    const res = new ExchangeResponse(req)
    res.shouldKeepAlive = false
    res.assignSocket(socket)
    res.once('finish', () => socket.end())
    serve(req, res, context(req, res, { socket, head }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of upgraded) socket.destroy()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
    },
  }
}

export interface Reply {
  readonly status: number
  readonly statusMessage: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/** One request on a fresh connection; `body` may be a stream. */
export function send(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string | number>; body?: string | Readable } = {},
): Promise<Reply> {
  const url = new URL(base)
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const parts: Buffer[] = []
        res.on('data', (data: Buffer) => parts.push(data))
        res.on('error', reject)
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(parts).toString() }),
        )
      },
    )
    req.on('error', reject)
    const body = options.body
    if (body === undefined) req.end()
    else if (typeof body === 'string') req.end(body)
    else body.pipe(req)
  })
}

export type WebSocketResult =
  | { readonly upgraded: true; readonly headers: IncomingHttpHeaders; readonly socket: Socket; send(text: string): void; next(): Promise<Frame> }
  | { readonly upgraded: false; readonly status: number; readonly body: string }

/** Opens a WebSocket (a minimal RFC 6455 client) or reports the plain response that refused it; over TLS when `tls` is given, with `Host` its server name. */
export function openWebSocket(base: string, path: string, tls?: { readonly ca: string; readonly servername: string }): Promise<WebSocketResult> {
  const url = new URL(base)
  const headers = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64'), ...(tls && { host: tls.servername }) }
  return new Promise((resolve, reject) => {
    const options = { host: url.hostname, port: url.port, path, headers, agent: false as const }
    const req = tls === undefined ? request(options) : httpsRequest({ ...options, ca: tls.ca, servername: tls.servername })
    req.on('upgrade', (res: IncomingMessage, socket: Socket, head: Buffer) => {
      const reader = new FrameReader()
      const queued: Frame[] = reader.push(head)
      const waiting: ((frame: Frame) => void)[] = []
      socket.on('data', (data: Buffer) => {
        for (const frame of reader.push(data)) {
          const waiter = waiting.shift()
          if (waiter) waiter(frame)
          else queued.push(frame)
        }
      })
      resolve({
        upgraded: true,
        headers: res.headers,
        socket,
        send: (text) => socket.write(encodeFrame(0x1, Buffer.from(text), true)),
        next: () => new Promise((done) => (queued.length > 0 ? done(queued.shift()!) : waiting.push(done))),
      })
    })
    req.on('response', (res: IncomingMessage) => {
      let body = ''
      res.setEncoding('utf8').on('data', (text: string) => (body += text))
      res.on('end', () => resolve({ upgraded: false, status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** The upstream and the client of the memory tests, in a child process (see traffic-peer.ts). */
export async function startPeer(): Promise<{ port: number; transfer(order: TransferOrder): Promise<number>; close(): Promise<void> }> {
  const child = fork(fileURLToPath(new URL('./traffic-peer.ts', import.meta.url)), { execArgv: [], stdio: 'inherit' })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const first = await new Promise<{ port: number }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { port: number }))
    child.once('error', reject)
  })
  return {
    port: first.port,
    transfer: (order) =>
      new Promise((resolve, reject) => {
        child.once('message', (message) => {
          const reply = message as { bytes?: number; error?: string }
          if (reply.bytes !== undefined) resolve(reply.bytes)
          else reject(new Error(`peer transfer failed: ${reply.error}`))
        })
        child.send(order)
      }),
    close: async () => {
      if (child.connected) child.disconnect()
      await exited
    },
  }
}
