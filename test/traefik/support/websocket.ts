import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { encodeFrame, FrameReader, webSocketAccept, type Frame } from '../../support/upstream.ts'
import { canonicalHeaderKey } from '../../../src/services/hop-by-hop.ts'

/** An upgrade request as the WebSocket server received it. */
export interface UpgradeSeen {
  /** The request target as it came on the request line. */
  readonly url: string
  readonly headers: IncomingMessage['headers']
}

export interface WebSocketBackend {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly upgrades: readonly UpgradeSeen[]
  close(): Promise<void>
}

/**
 * A WebSocket echo server that checks the handshake as gorilla/websocket's
 * `Upgrader` does (Traefik's tests use it): GET, `Connection: upgrade`,
 * `Upgrade: websocket`, version 13 and a key, or 400; and, unless
 * `anyOrigin`, an `Origin` whose host:port is the request's Host, or 403.
 * With `status`, every upgrade request is answered that status instead.
 */
export async function startWebSocketBackend(options: { anyOrigin?: boolean; status?: number } = {}): Promise<WebSocketBackend> {
  const upgrades: UpgradeSeen[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((_, res) => res.writeHead(404).end())
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    upgrades.push({ url: req.url ?? '', headers: req.headers })
    const refusal = options.status ?? refuse(req, options.anyOrigin === true)
    if (refusal !== undefined) {
      socket.end(`HTTP/1.1 ${refusal} Refused\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${webSocketAccept(String(req.headers['sec-websocket-key']))}\r\n\r\n`,
    )
    const frames = new FrameReader()
    const onData = (data: Buffer): void => {
      for (const frame of frames.push(data)) {
        if (frame.opcode === 0x8) return void socket.end(encodeFrame(0x8, frame.payload, false))
        socket.write(encodeFrame(frame.opcode, frame.payload, false))
      }
    }
    socket.on('data', onData)
    if (head.length > 0) onData(head)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    upgrades,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
    },
  }
}

const tokens = (value: string | undefined): string[] => (value ?? '').toLowerCase().split(',').map((token) => token.trim())

/** The status gorilla's Upgrader refuses this request with, or undefined to accept it. */
function refuse(req: IncomingMessage, anyOrigin: boolean): number | undefined {
  const { headers } = req
  if (req.method !== 'GET' || !tokens(headers.connection).includes('upgrade') || !tokens(headers.upgrade).includes('websocket')) return 400
  if (headers['sec-websocket-version'] !== '13' || typeof headers['sec-websocket-key'] !== 'string') return 400
  if (anyOrigin || headers.origin === undefined) return undefined
  let originHost: string
  try {
    originHost = new URL(headers.origin).host
  } catch {
    return 403
  }
  return originHost.toLowerCase() === (headers.host ?? '').toLowerCase() ? undefined : 403
}

export interface WebSocketClient {
  /** The handshake's status: 101 when the connection was upgraded. */
  readonly status: number
  readonly headers: Readonly<Record<string, readonly string[]>>
  sendText(text: string): void
  /** The next data frame from the server. */
  next(): Promise<Frame>
  close(): void
}

/**
 * Opens a WebSocket to 127.0.0.1:`port` by hand, so a test controls every
 * handshake header (`Origin`, tokens) and sees a refusal's status. A 101
 * whose `Sec-WebSocket-Accept` is wrong fails the dial.
 */
export function dialWebSocket(port: number, path: string, headers: Record<string, string> = {}): Promise<WebSocketClient> {
  const key = randomBytes(16).toString('base64')
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${key}`,
    'Sec-WebSocket-Version: 13',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ]
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let head = Buffer.alloc(0)
    const onHead = (data: Buffer): void => {
      head = Buffer.concat([head, data])
      const end = head.indexOf('\r\n\r\n')
      if (end === -1) return
      socket.off('data', onHead)
      const [statusLine = '', ...fields] = head.subarray(0, end).toString('latin1').split('\r\n')
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0)
      const received: Record<string, string[]> = {}
      for (const field of fields) {
        const colon = field.indexOf(':')
        ;(received[canonicalHeaderKey(field.slice(0, colon))] ??= []).push(field.slice(colon + 1).trim())
      }
      if (status === 101 && received['Sec-Websocket-Accept']?.[0] !== webSocketAccept(key)) {
        socket.destroy()
        return reject(new Error(`bad Sec-WebSocket-Accept: ${JSON.stringify(received['Sec-Websocket-Accept'])}`))
      }
      resolve(client(socket, status, received, head.subarray(end + 4)))
    }
    socket.on('data', onHead)
    socket.once('error', reject)
    socket.once('connect', () => socket.write(`${lines.join('\r\n')}\r\n\r\n`))
  })
}

function client(socket: Socket, status: number, headers: Record<string, string[]>, rest: Buffer): WebSocketClient {
  const reader = new FrameReader()
  const frames: Frame[] = []
  const waiting: Array<{ resolve: (frame: Frame) => void; reject: (error: Error) => void }> = []
  const deliver = (data: Buffer): void => {
    for (const frame of reader.push(data)) {
      const waiter = waiting.shift()
      if (waiter === undefined) frames.push(frame)
      else waiter.resolve(frame)
    }
  }
  socket.on('data', deliver)
  socket.on('close', () => {
    for (const waiter of waiting.splice(0)) waiter.reject(new Error('connection closed before a frame'))
  })
  if (rest.length > 0) deliver(rest)
  return {
    status,
    headers,
    sendText: (text) => void socket.write(encodeFrame(0x1, Buffer.from(text), true)),
    next: () => {
      const frame = frames.shift()
      if (frame !== undefined) return Promise.resolve(frame)
      if (socket.destroyed) return Promise.reject(new Error('connection closed before a frame'))
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }))
    },
    close: () => socket.destroy(),
  }
}
