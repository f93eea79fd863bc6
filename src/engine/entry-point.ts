import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Http2ServerRequest, ServerHttp2Session } from 'node:http2'
import type { AddressInfo, Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { TLSSocket } from 'node:tls'
import { setTimeout as delay } from 'node:timers/promises'
import { attachConnection, connectionOf } from '../connection/connection-info.ts'
import type { ClientHello } from '../connection/client-hello.ts'
import { routeByFirstBytes } from '../connection/first-bytes.ts'
import { normaliseServerName } from '../tls/sni-index.ts'
import { clientAuthSatisfied } from '../tls/tls-options.ts'
import { answerTlsAlpnChallenge, asksTlsAlpnChallenge, type TlsAlpnAnswers } from '../tls/acme/tls-alpn-01.ts'
import { Listener } from '../connection/listener.ts'
import type { ConnectionInfo, RequestContext } from '../core/context.ts'
import { ExchangeResponse } from '../core/exchange-response.ts'
import type { Http2ExchangeResponse } from '../core/http2-exchange-response.ts'
import { answered } from '../core/outcomes.ts'
import { respondError } from '../core/responder.ts'
import type { Outcome } from '../core/outcome.ts'
import { ipSet } from '../net/ip.ts'
import type { Logger } from '../observability/logger.ts'
import { connectionKept } from '../services/hop-by-hop.ts'
import { Http2Sessions } from './http2-sessions.ts'
import { headLimit, hostFromAuthority } from './request-head.ts'
import { dispatch, type RequestPolicy } from './request-path.ts'
import type { RoutingTable } from './routing-table.ts'

export interface EntryPointOptions {
  readonly name: string
  /** '' listens on every interface. */
  readonly host: string
  readonly port: number
  readonly reusePort: boolean
  /** All durations in milliseconds; 0 disables. */
  readonly readTimeout: number
  readonly writeTimeout: number
  readonly idleTimeout: number
  /** A keep-alive connection is closed after its response once this old (ms); 0 = no limit. */
  readonly keepAliveMaxTime: number
  /** ...or once it has carried this many requests; 0 = no limit. */
  readonly keepAliveMaxRequests: number
  /** `http.maxHeaderBytes`, Go's `MaxHeaderBytes`: see `headLimit` for the head actually accepted. */
  readonly maxHeaderBytes: number
  /** `http.encodeQuerySemicolons`. */
  readonly encodeQuerySemicolons: boolean
  readonly requestAcceptGraceTimeout: number
  readonly graceTimeOut: number
  readonly trustedIPs: readonly string[]
  readonly insecure: boolean
  /** `forwardedHeaders.notAppendXForwardedFor`. */
  readonly notAppendXForwardedFor: boolean
  /** `forwardedHeaders.connection`: headers a client's Connection may list that stay through the middlewares. */
  readonly connection: readonly string[]
  /** `http2`: what HTTP/2 sessions on this entry point announce and allow. */
  readonly http2: { readonly maxConcurrentStreams: number; readonly maxDecoderHeaderTableSize: number; readonly maxEncoderHeaderTableSize: number }
}

/** How the entry point hands each finished exchange on: the outcome, and what the client actually received. */
export type ExchangeAccount = (ctx: RequestContext, outcome: Outcome, status: number, responseBytes: number) => void

/** Told how every exchange of the entry point ended, as the client saw it (access logs, metrics). */
export type ExchangeObserver = (ctx: RequestContext, outcome: Outcome) => void

/**
 * An entry point: the connection layer's listener, the HTTP/1.1 server it
 * hands plain connections and TLS ones without `h2` to, and the HTTP/2
 * sessions of TLS connections whose handshake chose `h2` (made with the
 * first one). Both protocols run one request path. It outlives every reload: each request
 * reads the current routing table once, holds it until the response closes,
 * and runs on it to the end even if a newer generation goes live meanwhile.
 */
export class EntryPoint {
  readonly name: string
  readonly #options: EntryPointOptions
  readonly #current: () => RoutingTable
  readonly #logger: Logger
  readonly #account: ExchangeAccount | undefined
  /** The ACME TLS-ALPN-01 answers the control plane published, for the CA's validation handshakes. */
  readonly #tlsAlpn: TlsAlpnAnswers
  readonly #listener: Listener
  readonly #http: Server
  #http2: Http2Sessions | undefined
  readonly #policy: RequestPolicy
  readonly #appendForwardedFor: boolean
  readonly #upgraded = new Set<Duplex>()
  /** Requests served per connection (socket or HTTP/2 session), for keepAliveMaxRequests. */
  readonly #served = new WeakMap<object, number>()
  /** How long a new connection may take to send its first bytes, and a TLS client to finish its handshake. */
  readonly #firstBytesTimeout: number
  #inFlight = 0
  #draining = false
  #idle: (() => void) | undefined

  constructor(options: EntryPointOptions, current: () => RoutingTable, logger: Logger, account: ExchangeAccount | undefined, tlsAlpn: TlsAlpnAnswers) {
    this.name = options.name
    this.#options = options
    this.#current = current
    this.#logger = logger
    this.#account = account
    this.#tlsAlpn = tlsAlpn
    const trusted = ipSet(options.trustedIPs)
    this.#listener = new Listener(
      { name: options.name, host: options.host, port: options.port, reusePort: options.reusePort, trusted: (ip) => options.insecure || trusted.has(ip) },
      (socket, info) => this.#handoff(socket, info),
    )
    this.#appendForwardedFor = !options.notAppendXForwardedFor
    this.#firstBytesTimeout = options.readTimeout > 0 ? Math.min(options.readTimeout, 60_000) : 60_000
    this.#policy = Object.freeze({
      headLimit: headLimit(options.maxHeaderBytes),
      encodeQuerySemicolons: options.encodeQuerySemicolons,
      connectionKept: connectionKept(options.connection),
    })
    this.#http = createHttpServer(options, this.#policy.headLimit)
    this.#http.on('request', (req: IncomingMessage, res: ExchangeResponse) => this.#onRequest(req, res))
    this.#http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.#onUpgrade(req, socket, head))
  }

  /** Binds the port; resolves with the address actually bound (port 0 picks one). */
  async listen(): Promise<AddressInfo> {
    const address = await this.#listener.listen()
    this.#listener.onError((error) => this.#logger.error({ entryPoint: this.name, err: error }, `entry point ${this.name}: ${error.message}`))
    // The HTTP server never binds (the listener owns the port), but its timeouts
    // are enforced by a sweep that node:http starts on "listening".
    this.#http.emit('listening')
    return address
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
    const closed = this.#listener.close()
    this.#http.closeIdleConnections()
    this.#http2?.close()
    if (this.#inFlight > 0) {
      const idle = new Promise<void>((resolve) => (this.#idle = resolve))
      const grace = new AbortController()
      await Promise.race([idle, delay(graceTimeOut, undefined, { signal: grace.signal }).catch(() => undefined)])
      grace.abort()
    }
    this.#http.closeAllConnections()
    this.#http2?.destroy()
    for (const socket of this.#upgraded) socket.destroy()
    // Stops node:http's timeout sweep; the server was never bound, so close reports that, harmlessly.
    this.#http.close(() => undefined)
    await closed
  }

  /** TLS connections are terminated, then go to HTTP/2 or HTTP/1.1 as ALPN chose, plain ones to HTTP/1.1; PROXY protocol and TCP routing plug in here. */
  #handoff(socket: Socket, info: ConnectionInfo): void {
    routeByFirstBytes(socket, this.#firstBytesTimeout, {
      plain: (plain) => {
        attachConnection(plain, info)
        this.#http.emit('connection', plain)
        // node:http reads the socket's handle directly from here on; the bytes put back flow to it once resumed.
        plain.resume()
      },
      tls: (raw, hello) => this.#terminate(raw, info, hello),
    })
  }

  /**
   * The TLS handshake, set up from the ClientHello's SNI name before it
   * starts (as Go's GetConfigForClient does): the TLS options the current
   * generation gives that name on this entry point (`default` for a name no
   * router claims), and the certificate its store selects for it. A hello
   * that did not parse, options that did not load, or `sniStrict` without a
   * certificate for the name: the connection is closed. Once the handshake
   * is done, the client certificate is checked against the options'
   * `clientAuthType`, then HTTP starts: HTTP/2 when ALPN chose `h2`,
   * HTTP/1.1 otherwise. A handshake that does not finish within the
   * first-bytes timeout is closed. An ACME CA validating TLS-ALPN-01 (a
   * hello offering only `acme-tls/1`) gets the challenge certificate
   * instead, on any entry point.
   */
  #terminate(raw: Socket, info: ConnectionInfo, hello: ClientHello | undefined): void {
    const table = this.#current()
    const serverName = hello?.serverName
    const name = serverName === undefined ? 'default' : (table.entryPoints.get(this.name)?.tlsOptions?.get(normaliseServerName(serverName)) ?? 'default')
    const options = table.tlsOptions.get(name)
    const certificate = table.certificates.select(serverName)
    const refuse = (why: string, socket: Duplex = raw): void => {
      this.#logger.debug({ entryPoint: this.name }, `entry point ${this.name}: TLS connection from ${info.clientIp} refused: ${why}`)
      socket.destroy()
    }
    if (hello === undefined) return refuse('its ClientHello does not parse')
    if (asksTlsAlpnChallenge(hello)) {
      const context = this.#tlsAlpn.context(serverName)
      if (typeof context === 'string') return refuse(context)
      return answerTlsAlpnChallenge(raw, context, this.#firstBytesTimeout, (error) => refuse(`TLS-ALPN-01 handshake: ${error.message}`))
    }
    if (options === undefined) return refuse(`tls options ${name} did not load`)
    if (options.sniStrict && (serverName === undefined || certificate === table.certificates.default)) return refuse(`sniStrict: no certificate for ${serverName ?? 'a connection without SNI'}`)
    let secureContext
    try {
      secureContext = certificate.context(options)
    } catch (error) {
      return refuse((error as Error).message)
    }
    const { requestCert, rejectUnauthorized, type } = options.clientAuth
    const socket = new TLSSocket(raw, { isServer: true, secureContext, requestCert, rejectUnauthorized, ALPNProtocols: [...options.alpnProtocols] })
    const timer = setTimeout(() => socket.destroy(), this.#firstBytesTimeout)
    // The socket keeps the process alive while it is open; a handshake cut short must not leave its deadline behind.
    timer.unref()
    socket.once('close', () => clearTimeout(timer))
    const fail = (error: Error): void => {
      clearTimeout(timer)
      this.#logger.debug({ entryPoint: this.name, err: error }, `entry point ${this.name}: TLS connection from ${info.clientIp} failed: ${error.message}`)
      socket.destroy()
    }
    raw.on('error', fail)
    socket.on('error', fail)
    socket.once('secure', () => {
      clearTimeout(timer)
      const peer = peerCertificate(socket)
      if (!clientAuthSatisfied(type, peer)) return refuse(`tls options ${name} ask ${type}: ${peer.error ?? 'no client certificate'}`, socket)
      const alpn = socket.alpnProtocol
      const connection: ConnectionInfo = { ...info, secure: true, tlsOptions: name, ...(alpn && { alpnProtocol: alpn }) }
      if (alpn === 'h2') return this.#sessions().serve(socket, connection)
      attachConnection(socket, connection)
      this.#http.emit('connection', socket)
    })
  }

  #onRequest(req: IncomingMessage, res: ExchangeResponse): void {
    const table = this.#enter()
    const writeTimer = this.#options.writeTimeout > 0 ? setTimeout(() => res.destroy(), this.#options.writeTimeout) : undefined
    res.once('close', () => {
      clearTimeout(writeTimer)
      this.#leave(table)
    })
    const ctx = this.#context(connectionOf(req.socket), res, undefined)
    if (this.#draining || this.#lastOnConnection(req.socket, ctx)) res.shouldKeepAlive = false
    this.#finish(ctx, res, dispatch(table.entryPoints.get(this.name), req, res, ctx, this.#logger, this.#policy))
  }

  /**
   * An HTTP/2 stream, on the request path HTTP/1.1 takes: its response is
   * written as a `ServerResponse` is (see {@link Http2ExchangeResponse}),
   * and `:authority` is its Host. The session is told to go away (GOAWAY,
   * streams in flight finish) where an HTTP/1.1 connection would be closed
   * after its response: on shutdown, or once it reached keepAliveMaxTime or
   * keepAliveMaxRequests, as Go's server does for `Connection: close`.
   */
  #onHttp2Request(req: Http2ServerRequest, res: Http2ExchangeResponse, session: ServerHttp2Session): void {
    const table = this.#enter()
    const writeTimer = this.#options.writeTimeout > 0 ? setTimeout(() => res.destroy(), this.#options.writeTimeout) : undefined
    res.once('close', () => {
      clearTimeout(writeTimer)
      this.#leave(table)
    })
    const ctx = this.#context(connectionOf(session), res, undefined)
    if (this.#draining || this.#lastOnConnection(session, ctx)) session.close()
    // The compatibility API's request and response stand in for node:http's on the request path.
    const request = req as unknown as IncomingMessage
    const response = res as unknown as ServerResponse
    const problem = hostFromAuthority(req.headers)
    if (problem !== undefined) {
      respondError(response, problem)
      this.#finish(ctx, res, Promise.resolve(answered(response, ctx)))
      return
    }
    this.#finish(ctx, res, dispatch(table.entryPoints.get(this.name), request, response, ctx, this.#logger, this.#policy))
  }

  /** The HTTP/2 sessions, made with the first connection that chooses `h2`. */
  #sessions(): Http2Sessions {
    this.#http2 ??= new Http2Sessions(
      {
        entryPoint: this.name,
        ...this.#options.http2,
        maxHeaderListSize: this.#policy.headLimit,
        readTimeout: this.#options.readTimeout,
        idleTimeout: this.#options.idleTimeout,
      },
      (req, res, session) => this.#onHttp2Request(req, res, session),
      this.#logger,
    )
    return this.#http2
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
    const res = new ExchangeResponse(req)
    res.shouldKeepAlive = false
    res.assignSocket(socket as Socket)
    res.once('finish', () => socket.end())
    const ctx = this.#context(connectionOf(req.socket), res, { socket, head })
    this.#finish(ctx, res, dispatch(table.entryPoints.get(this.name), req, res, ctx, this.#logger, this.#policy))
  }

  /**
   * Whether this request is the last its connection carries. Node's own
   * maxRequestsPerSocket only says `Connection: close` and keeps the socket
   * open; here the connection is closed after the response, as Go's server does.
   */
  #lastOnConnection(connection: object, ctx: RequestContext): boolean {
    const { keepAliveMaxTime, keepAliveMaxRequests } = this.#options
    if (keepAliveMaxTime > 0 && ctx.start - ctx.connection.openedAt >= keepAliveMaxTime) return true
    if (keepAliveMaxRequests <= 0) return false
    const served = (this.#served.get(connection) ?? 0) + 1
    this.#served.set(connection, served)
    return served >= keepAliveMaxRequests
  }

  #context(connection: Readonly<ConnectionInfo>, res: ExchangeResponse | Http2ExchangeResponse, upgrade: RequestContext['upgrade']): RequestContext {
    return {
      entryPoint: this.name,
      connection,
      appendForwardedFor: this.#appendForwardedFor,
      start: performance.now(),
      router: '',
      service: '',
      server: '',
      upgrade,
      response: res,
    }
  }

  #finish(ctx: RequestContext, res: ExchangeResponse | Http2ExchangeResponse, pending: Promise<Outcome>): void {
    const account = this.#account
    if (account === undefined) return
    void pending.then((outcome) => account(ctx, outcome, res.headersSent ? res.statusCode : outcome.status, res.bytesOut))
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

function createHttpServer(options: EntryPointOptions, headLimit: number): Server {
  const readTimeout = options.readTimeout
  const server = createServer({
    ServerResponse: ExchangeResponse,
    requestTimeout: readTimeout,
    headersTimeout: readTimeout > 0 ? Math.min(readTimeout, 60_000) : 60_000,
    keepAliveTimeout: options.idleTimeout,
    // Node counts only the target, names and values, and refuses a count equal to its limit: one
    // byte above Go's limit lets every head Go accepts through, and dispatch counts as Go does.
    maxHeaderSize: headLimit + 1,
    // Node enforces both timeouts from a periodic sweep (30 s by default):
    // sweep often enough that a short readTimeout holds within half of itself.
    connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor((readTimeout || 60_000) / 2))),
  })
  server.timeout = 0
  return server
}

/**
 * The client certificate of a server-side TLS socket once its handshake is
 * done: whether one came and whether it verified against the options' CAs.
 * `tls.Server` computes `authorized` in its own 'secure' listener, which a
 * socket made here (options chosen per SNI name, before the handshake) does
 * not get; the verification result it reads is the same, from the handle.
 */
function peerCertificate(socket: TLSSocket): { present: boolean; authorized: boolean; error: string | undefined } {
  const present = socket.getPeerX509Certificate() !== undefined
  if (!present) return { present, authorized: false, error: undefined }
  const handle = (socket as unknown as { _handle?: { verifyError?: () => Error | null } })._handle
  // Fail closed: a Node.js without this check never counts a certificate as verified.
  if (typeof handle?.verifyError !== 'function') return { present, authorized: false, error: 'this Node.js does not say whether the certificate verified' }
  const error = handle.verifyError()
  return { present, authorized: error === null, error: error === null ? undefined : error.message || (error as NodeJS.ErrnoException).code }
}

