import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import type { ConnectionInfo } from '../core/context.ts'
import { JunctionError } from '../errors.ts'
import { describeConnection } from './connection-info.ts'

export interface ListenerOptions {
  /** The entry point's name, for messages. */
  readonly name: string
  /** '' listens on every interface. */
  readonly host: string
  readonly port: number
  /** Several processes (or workers) may bind the same address; the kernel spreads connections. */
  readonly reusePort: boolean
  /** Whether a client may send X-Forwarded-* headers (`forwardedHeaders.trustedIPs`, `insecure`). */
  readonly trusted: (clientIp: string) => boolean
}

/**
 * Where a connection goes once the listener has described it. The stages
 * that read before a protocol does (a PROXY-protocol header, a TLS
 * ClientHello peek) run here, then hand the socket to HTTP/1.1, TLS or a TCP
 * router.
 */
export type ConnectionHandoff = (socket: Socket, info: ConnectionInfo) => void

/**
 * The connection layer under an entry point: a `net` listener that owns
 * each socket first, fills the one record of who the client is, and hands
 * the connection on. It outlives every reload.
 */
export class Listener {
  readonly #options: ListenerOptions
  readonly #server: Server
  /** The port bound, known before the first connection arrives. */
  #port = 0

  constructor(options: ListenerOptions, handoff: ConnectionHandoff) {
    this.#options = options
    // Half-open and no-delay as node:http sets them on its own listeners.
    this.#server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
      handoff(socket, describeConnection(socket, this.#port, options.trusted))
    })
  }

  /** Binds the address; resolves with the address actually bound (port 0 picks one). */
  async listen(): Promise<AddressInfo> {
    const { host, port, reusePort, name } = this.#options
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => {
        const where = `${host}:${port}`
        reject(new JunctionError('JCT_ERR_LISTEN', `entry point ${name}: listening on ${where}: ${error.message}`, { cause: error }))
      }
      this.#server.once('error', onError)
      this.#server.listen({ port, ...(host !== '' && { host }), ...(reusePort && { reusePort: true }) }, () => {
        this.#server.removeListener('error', onError)
        this.#port = (this.#server.address() as AddressInfo).port
        resolve()
      })
    })
    return this.#server.address() as AddressInfo
  }

  /** Stops accepting; connections already handed on are their owners' to close. */
  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()))
  }

  /** Errors after listening (accept failures such as EMFILE) go here. */
  onError(listener: (error: Error) => void): void {
    this.#server.on('error', listener)
  }
}
