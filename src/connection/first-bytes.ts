import type { Socket } from 'node:net'

/** A TLS record starts with its content type; a ClientHello travels in a handshake record (RFC 8446 §5.1: 22). */
const handshakeRecord = 0x16

/** Where a connection goes once its first bytes say which protocol it speaks. */
export interface FirstBytesRoutes {
  /** A TLS ClientHello: terminate TLS, then HTTP. */
  readonly tls: (socket: Socket) => void
  /** Anything else: HTTP/1.1 in clear. No HTTP request line starts with byte 22. */
  readonly plain: (socket: Socket) => void
}

/**
 * Waits for a connection's first bytes and hands it on by them, the bytes
 * put back so the next reader sees the stream whole. Until then nothing else
 * reads the socket, so this owns its errors and its patience: a client that
 * sends nothing within `timeoutMs` is closed (node:http's timeouts start
 * only once it has the connection).
 */
export function routeByFirstBytes(socket: Socket, timeoutMs: number, routes: FirstBytesRoutes): void {
  const onError = (): void => {
    socket.destroy()
  }
  const onTimeout = (): void => {
    socket.destroy()
  }
  socket.on('error', onError)
  socket.on('timeout', onTimeout)
  socket.setTimeout(timeoutMs)
  socket.once('data', (chunk: Buffer) => {
    socket.setTimeout(0)
    socket.removeListener('timeout', onTimeout)
    socket.removeListener('error', onError)
    socket.pause()
    socket.unshift(chunk)
    if (chunk[0] === handshakeRecord) routes.tls(socket)
    else routes.plain(socket)
  })
}
