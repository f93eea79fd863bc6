import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http'
import { BlockList, isIPv6, type AddressInfo, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { setTimeout as delay } from 'node:timers/promises'
import { JunctionError } from '../errors.ts'
import type { Logger } from '../observability/logger.ts'
import { removeUntrustedForwardedHeaders } from '../services/forwarded-headers.ts'
import { dispatch } from './request-path.ts'
import type { RoutingTable } from './routing-table.ts'
import type { RequestContext } from './types.ts'

export interface EntryPointOptions {
  readonly name: string
  /** '' listens on every interface. */
  readonly host: string
  readonly port: number
  /** All durations in milliseconds; 0 disables. */
  readonly readTimeout: number
  readonly writeTimeout: number
  readonly idleTimeout: number
  readonly requestAcceptGraceTimeout: number
  readonly graceTimeOut: number
  readonly trustedIPs: readonly string[]
  readonly insecure: boolean
}

/** What the entry point learns once per connection rather than once per request. */
interface Peer {
  readonly clientIp: string
  readonly trusted: boolean
}

const peers = new WeakMap<Socket | Duplex, Peer>()

/**
 * An HTTP/1.1 listener. It outlives every reload: each request reads the
 * current routing table once, holds it until the response closes, and runs
 * on it to the end even if a newer generation goes live meanwhile.
 */
export class EntryPoint {
  readonly name: string
  readonly #options: EntryPointOptions
  readonly #current: () => RoutingTable
  readonly #logger: Logger
  readonly #server: Server
  readonly #trusted: BlockList
  readonly #upgraded = new Set<Duplex>()
  #inFlight = 0
  #draining = false
  #idle: (() => void) | undefined

  constructor(options: EntryPointOptions, current: () => RoutingTable, logger: Logger) {
    this.name = options.name
    this.#options = options
    this.#current = current
    this.#logger = logger
    this.#trusted = trustList(options.trustedIPs)
    const readTimeout = options.readTimeout
    this.#server = createServer({
      requestTimeout: readTimeout,
      headersTimeout: readTimeout > 0 ? Math.min(readTimeout, 60_000) : 60_000,
      keepAliveTimeout: options.idleTimeout,
      // Node enforces both timeouts from a periodic sweep (30 s by default):
      // sweep often enough that a short readTimeout holds within half of itself.
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor((readTimeout || 60_000) / 2))),
    })
    this.#server.timeout = 0
    this.#server.on('connection', (socket: Socket) => this.#identify(socket))
    this.#server.on('request', (req: IncomingMessage, res: ServerResponse) => this.#onRequest(req, res))
    this.#server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.#onUpgrade(req, socket, head))
  }

  /** Binds the port; resolves with the address actually bound (port 0 picks one). */
  async listen(): Promise<AddressInfo> {
    const { host, port } = this.#options
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', (error) => {
        const where = `${host === '' ? '' : host}:${port}`
        reject(new JunctionError('JCT_ERR_LISTEN', `entry point ${this.name}: listening on ${where}: ${error.message}`, { cause: error }))
      })
      const done = (): void => {
        this.#server.removeAllListeners('error')
        resolve()
      }
      if (host === '') this.#server.listen(port, done)
      else this.#server.listen(port, host, done)
    })
    this.#server.on('error', (error) => this.#logger.error({ entryPoint: this.name, err: error }, `entry point ${this.name}: ${error.message}`))
    return this.#server.address() as AddressInfo
  }

  /**
   * Graceful stop: keep accepting for `requestAcceptGraceTimeout` (so a load
   * balancer in front notices the health check failing), then stop accepting,
   * let in-flight requests finish for up to `graceTimeOut`, and close the rest.
   */
  async shutdown(): Promise<void> {
    const { requestAcceptGraceTimeout, graceTimeOut } = this.#options
    if (requestAcceptGraceTimeout > 0) await delay(requestAcceptGraceTimeout)
    this.#draining = true
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()))
    this.#server.closeIdleConnections()
    if (this.#inFlight > 0) {
      const idle = new Promise<void>((resolve) => (this.#idle = resolve))
      const grace = new AbortController()
      await Promise.race([idle, delay(graceTimeOut, undefined, { signal: grace.signal }).catch(() => undefined)])
      grace.abort()
    }
    this.#server.closeAllConnections()
    for (const socket of this.#upgraded) socket.destroy()
    await closed
  }

  #identify(socket: Socket): void {
    const address = socket.remoteAddress ?? ''
    const clientIp = address.startsWith('::ffff:') ? address.slice(7) : address
    const trusted = this.#options.insecure || (clientIp !== '' && this.#trusted.check(clientIp, isIPv6(clientIp) ? 'ipv6' : 'ipv4'))
    peers.set(socket, { clientIp, trusted })
  }

  #context(socket: Socket | Duplex, upgrade?: RequestContext['upgrade']): RequestContext {
    const peer = peers.get(socket) ?? { clientIp: '', trusted: false }
    return { entryPoint: this.name, router: '', clientIp: peer.clientIp, secure: false, trustForwarded: peer.trusted, ...(upgrade && { upgrade }) }
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const table = this.#enter()
    const writeTimer = this.#options.writeTimeout > 0 ? setTimeout(() => res.destroy(), this.#options.writeTimeout) : undefined
    res.once('close', () => {
      clearTimeout(writeTimer)
      this.#leave(table)
    })
    if (this.#draining) res.shouldKeepAlive = false
    const ctx = this.#context(req.socket)
    if (!ctx.trustForwarded) removeUntrustedForwardedHeaders(req.headers)
    dispatch(table, this.name, req, res, ctx, this.#logger)
  }

  /**
   * Upgrades take the same path as requests. The response object is bound to
   * the raw socket so a middleware can still refuse with a normal response;
   * the service detaches it when it hands the socket to the server.
   */
  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const table = this.#enter()
    this.#upgraded.add(socket)
    socket.on('error', (error) => this.#logger.debug({ entryPoint: this.name, err: error }, 'upgraded connection failed'))
    socket.once('close', () => {
      this.#upgraded.delete(socket)
      this.#leave(table)
    })
    const res = new ServerResponse(req)
    res.shouldKeepAlive = false
    res.assignSocket(socket as Socket)
    res.once('finish', () => socket.end())
    const ctx = this.#context(req.socket, { socket, head })
    if (!ctx.trustForwarded) removeUntrustedForwardedHeaders(req.headers)
    dispatch(table, this.name, req, res, ctx, this.#logger)
  }

  #enter(): RoutingTable {
    const table = this.#current()
    table.acquire()
    this.#inFlight++
    return table
  }

  #leave(table: RoutingTable): void {
    table.release()
    this.#inFlight--
    if (this.#inFlight === 0 && this.#idle) this.#idle()
  }
}

function trustList(entries: readonly string[]): BlockList {
  const list = new BlockList()
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/')
    const type = isIPv6(address) ? 'ipv6' : 'ipv4'
    if (bits === undefined) list.addAddress(address, type)
    else list.addSubnet(address, Number(bits), type)
  }
  return list
}
