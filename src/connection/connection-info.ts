import type { EventEmitter } from 'node:events'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import type { ConnectionInfo } from '../core/context.ts'
import { unmapIPv4 } from '../net/ip.ts'

/** Keyed by what a protocol handler sees: the socket (a TLS socket over the raw one once terminated), or an HTTP/2 session. */
const connections = new WeakMap<object, ConnectionInfo>()

/**
 * What the entry point knows before reading a byte: the socket's peer and the
 * entry point's trust. `localPort` is the listener's bound port, which every
 * socket it accepts shares: asking the socket (`socket.localPort`) would cost
 * a getsockname() and leave an address object cached on each connection.
 */
export function describeConnection(socket: Socket, localPort: number, trusted: (clientIp: string) => boolean): ConnectionInfo {
  const clientIp = unmapIPv4(socket.remoteAddress ?? '')
  return {
    clientIp,
    clientPort: socket.remotePort ?? 0,
    localPort,
    openedAt: performance.now(),
    secure: false,
    trusted: clientIp !== '' && trusted(clientIp),
  }
}

/** Records what is known about the connection `carrier` (a socket, an HTTP/2 session) is, for the requests that arrive on it. */
export function attachConnection(carrier: Duplex | EventEmitter, info: ConnectionInfo): void {
  connections.set(carrier, info)
}

const unknown: ConnectionInfo = Object.freeze({ clientIp: '', clientPort: 0, localPort: 0, openedAt: 0, secure: false, trusted: false })

/** The connection a request arrived on; a socket (or session) Junction did not accept reads as an unknown, untrusted peer. */
export function connectionOf(carrier: Duplex | EventEmitter): Readonly<ConnectionInfo> {
  return connections.get(carrier) ?? unknown
}
