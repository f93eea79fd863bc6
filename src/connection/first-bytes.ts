import type { Socket } from 'node:net'
import { parseClientHello, type ClientHello } from './client-hello.ts'

/** A TLS record starts with its content type; a ClientHello travels in a handshake record (RFC 8446 §5.1: 22). */
const handshakeRecord = 0x16

/** Where a connection goes once its first bytes say which protocol it speaks. */
export interface FirstBytesRoutes {
  /**
   * A TLS ClientHello: terminate TLS, then HTTP. `hello` is what the
   * ClientHello asks for, or undefined when it is malformed (the TLS layer
   * refuses that handshake itself).
   */
  readonly tls: (socket: Socket, hello: ClientHello | undefined) => void
  /** Anything else: HTTP/1.1 in clear. No HTTP request line starts with byte 22. */
  readonly plain: (socket: Socket) => void
}

/**
 * Waits for a connection's first bytes and hands it on by them, the bytes
 * put back so the next reader sees the stream whole. A first chunk that does
 * not start a handshake record goes to `plain` at once; one that does is read
 * on until the whole ClientHello is here (or is known to be malformed), so
 * `tls` gets its server name and ALPN list before any TLS socket exists.
 * Until then nothing else reads the socket, so this owns its errors and its
 * patience: a client that has not sent its first chunk, or its whole
 * ClientHello, within `timeoutMs` of the call is closed (node:http's timeouts
 * start only once it has the connection), as is one that ends its stream
 * before the ClientHello is complete.
 */
export function routeByFirstBytes(socket: Socket, timeoutMs: number, routes: FirstBytesRoutes): void {
  // The bytes of a ClientHello still coming in; grown by doubling, so a hello dribbled in small chunks costs O(n) bytes of copying in all.
  let buffer: Buffer | undefined
  let length = 0
  const onError = (): void => {
    socket.destroy()
  }
  // One deadline for the whole peek: an idle timeout would let a client dribbling a byte at a time hold the socket indefinitely.
  const timer = setTimeout(() => socket.destroy(), timeoutMs)
  // The socket keeps the process alive while it is open; the deadline alone should not.
  timer.unref()
  const onClose = (): void => {
    clearTimeout(timer)
  }
  const onEnd = (): void => {
    socket.destroy()
  }
  const handOn = (bytes: Buffer): void => {
    clearTimeout(timer)
    socket.removeListener('data', onData)
    socket.removeListener('end', onEnd)
    socket.removeListener('close', onClose)
    socket.removeListener('error', onError)
    socket.pause()
    socket.unshift(bytes)
  }
  const onData = (chunk: Buffer): void => {
    if (buffer === undefined) {
      if (chunk[0] !== handshakeRecord) {
        handOn(chunk)
        routes.plain(socket)
        return
      }
      buffer = chunk
      length = chunk.length
      // From here the stream's end means a ClientHello cut short.
      socket.on('end', onEnd)
    } else {
      // The first chunk is exactly full, so the second always grows the buffer: no chunk is ever written into.
      if (length + chunk.length > buffer.length) {
        const grown = Buffer.allocUnsafe(Math.max(2 * buffer.length, length + chunk.length))
        buffer.copy(grown, 0, 0, length)
        buffer = grown
      }
      chunk.copy(buffer, length)
      length += chunk.length
    }
    const bytes = buffer.subarray(0, length)
    // Each call reads from the start again, but only record headers until the message is complete, and the bytes are capped (maxClientHelloBytes).
    const result = parseClientHello(bytes)
    if (result.kind === 'need-more') return
    handOn(bytes)
    routes.tls(socket, result.kind === 'hello' ? result.hello : undefined)
  }
  socket.on('error', onError)
  socket.on('close', onClose)
  socket.on('data', onData)
}
