import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { Http2ServerRequest } from 'node:http2'
import type { Socket } from 'node:net'
import type { Dispatcher } from 'undici'
import { buildConnector, Pool } from './undici-parts.ts'
import type { RequestContext } from '../core/context.ts'
import type { ExchangeFailure, Outcome } from '../core/outcome.ts'
import { clientClosedError, dialTimeoutError, exchangeFailure } from './forward-errors.ts'
import type { Forwarder, Target } from './forwarder.ts'
import { H2cServer, type ServerConnections } from './h2c-server.ts'
import { responseHeadersForClient, trailerFields, type ParsedHeaders } from './hop-by-hop.ts'
import { outgoingHeaders, outgoingPath } from './outgoing-request.ts'
import { upgradeThroughProxy } from './ws-upgrade.ts'

/** Largest timer Node accepts: "never" for an idleConnTimeout of 0. */
const forever = 2 ** 31 - 1

/**
 * Forwards through undici: one keep-alive `Pool` per server (an
 * {@link H2cServer} for an `h2c://` one) and the raw `dispatch` API, whose
 * handler writes straight into `res`. Nothing is buffered: the request body
 * is `req` itself, and the response pauses the socket whenever `res.write`
 * says the client is behind. The server's trailers follow the body.
 */
export class UndiciForwarder implements Forwarder {
  readonly #pools = new Map<Target, ServerConnections>()
  #closed = false

  forward(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, target: Target): Promise<Outcome> {
    const exchange = new Exchange(res, ctx, target.href)
    if (this.#closed) {
      exchange.onResponseError(null, Object.assign(new Error('forwarder is closed'), { code: 'UND_ERR_CLOSED' }))
      return exchange.outcome
    }
    const options: Dispatcher.DispatchOptions & { servername?: string } = {
      path: outgoingPath(req.url, target),
      method: req.method ?? 'GET',
      headers: outgoingHeaders(req, ctx, target, false),
      body: hasBody(req) ? req : null,
      // Go's negative MaxIdleConnsPerHost: no connection is reused.
      reset: target.transport.maxIdleConnsPerHost < 0,
    }
    // undici takes SNI from the Host header otherwise, and reconnects each
    // time it changes: with passHostHeader every client name would churn.
    if (target.tls !== undefined) options.servername = target.tls.servername ?? target.url.hostname
    this.#pool(target).dispatch(options, exchange)
    return exchange.outcome
  }

  upgrade(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, target: Target): Promise<Outcome> {
    return upgradeThroughProxy(req, res, ctx, target)
  }

  /** Lets in-flight exchanges finish, then closes every connection. */
  async close(): Promise<void> {
    this.#closed = true
    const pools = [...this.#pools.values()]
    this.#pools.clear()
    await Promise.all(pools.map((pool) => pool.close()))
  }

  #pool(target: Target): ServerConnections {
    let pool = this.#pools.get(target)
    if (pool === undefined) {
      pool = target.h2c ? new H2cServer(target) : createPool(target)
      this.#pools.set(target, pool)
    }
    return pool
  }
}

/**
 * No `connections` cap: undici's is a cap on concurrent connections, not on
 * idle ones as Go's MaxIdleConnsPerHost is, and would queue requests. Idle
 * connections are closed after idleConnTimeout instead (or sooner, when the
 * server's Keep-Alive hint says so).
 */
function createPool(target: Target): Pool {
  const { transport, tls } = target
  const idle = transport.idleConnTimeout > 0 ? transport.idleConnTimeout : forever
  const allowH2 = tls !== undefined && !transport.disableHTTP2
  const options: Pool.Options = {
    keepAliveTimeout: idle,
    keepAliveMaxTimeout: idle,
    headersTimeout: transport.responseHeaderTimeout,
    // Streams (SSE, long polls) may stay silent for long: no body timeout, as in Traefik.
    bodyTimeout: 0,
    allowH2,
  }
  const connect = buildConnector({
    ...(tls && {
      rejectUnauthorized: tls.rejectUnauthorized,
      ...(tls.ca && { ca: tls.ca }),
      ...(tls.cert && { cert: tls.cert, key: tls.key }),
    }),
    // The dial timeout is kept below, on time.
    timeout: 0,
    allowH2,
  })
  // '' = no SNI for an IP server; undici would otherwise fall back to the request's name.
  const servername = tls === undefined ? undefined : (tls.servername ?? '')
  options.connect = timedConnector(connect, transport.dialTimeout, servername)
  return new Pool(target.origin, options)
}

/**
 * Wraps a connector with the dial timeout (`dialTimeout`, the TCP connect
 * and, for HTTPS, the TLS handshake; 0: none). undici's own connect timeout
 * runs on its coarse timers, which tick about every half second: a 300 ms
 * dialTimeout answered after about a second, where Traefik answers at 300
 * ms. Only a new connection pays for this timer, never a request on a kept-alive one.
 */
function timedConnector(connect: buildConnector.connector, dialTimeout: number, servername: string | undefined): buildConnector.connector {
  return (opts, callback) => {
    let timer: NodeJS.Timeout | undefined
    const socket = (connect as unknown as (o: buildConnector.Options, c: buildConnector.Callback) => Socket)(
      servername === undefined ? opts : { ...opts, servername },
      (...args) => {
        clearTimeout(timer)
        callback(...args)
      },
    )
    if (dialTimeout > 0) timer = setTimeout(() => socket.destroy(dialTimeoutError(dialTimeout)), dialTimeout)
  }
}

/**
 * Whether the request carries a body to stream to the server. HTTP/1.1
 * frames one with Content-Length or Transfer-Encoding; an HTTP/2 stream
 * has one unless its HEADERS frame ended it, whatever its headers say.
 */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length']
  if (length !== undefined) return length !== '0'
  return req.headers['transfer-encoding'] !== undefined || (req.httpVersionMajor === 2 && !(req as unknown as Http2ServerRequest).stream.endAfterHeaders)
}

/**
 * Whether the client's connection can carry trailers after this response:
 * HTTP/2 always; HTTP/1.1 only in chunked framing, which Node uses for an
 * HTTP/1.1 client, a response that may have a body and no Content-Length
 * (and refuses a `Trailer` announcement with any other).
 */
function carriesTrailers(res: ServerResponse, status: number, headers: OutgoingHttpHeaders): boolean {
  if (res.req.httpVersionMajor === 2) return true
  return res.useChunkedEncodingByDefault && res.req.method !== 'HEAD' && status !== 204 && status !== 304 && headers['content-length'] === undefined
}

/** The server's trailers to the client; a value Node will not send (a control character) leaves them all off. */
function addTrailers(res: ServerResponse, fields: Record<string, string | string[]>): void {
  try {
    res.addTrailers(fields)
  } catch {
    // Nothing reached the client yet: the body ends without trailers.
  }
}

/**
 * One exchange with a server, written into `res` as it arrives. It owns the
 * exchange's lifetime: a client that leaves aborts the server request; a
 * server that fails is reported in the outcome (never answered here), and a
 * failure after the head breaks the client connection.
 */
class Exchange implements Dispatcher.DispatchHandler {
  readonly outcome: Promise<Outcome>
  readonly #res: ServerResponse
  readonly #ctx: RequestContext
  readonly #server: string
  #resolve!: (outcome: Outcome) => void
  #controller: Dispatcher.DispatchController | undefined
  #clientGone = false
  #serverStatus = 0
  #headersAt = 0
  #requestBytes = 0
  #responseBytes = 0

  constructor(res: ServerResponse, ctx: RequestContext, server: string) {
    this.#res = res
    this.#ctx = ctx
    this.#server = server
    this.outcome = new Promise((resolve) => (this.#resolve = resolve))
    res.once('close', this.#onClose)
  }

  readonly #onClose = (): void => {
    if (this.#res.writableFinished) return
    this.#clientGone = true
    this.#controller?.abort(clientClosedError())
  }

  readonly #onDrain = (): void => {
    this.#controller?.resume()
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller
    if (this.#clientGone) controller.abort(clientClosedError())
  }

  onBodySent(chunk: Uint8Array | string): void {
    this.#requestBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: ParsedHeaders, statusMessage?: string): void {
    const res = this.#res
    if (statusCode < 200) {
      // 100 was answered by Node already; 103 Early Hints are worth relaying.
      const link = headers['link']
      if (statusCode === 103 && link !== undefined) res.writeEarlyHints({ link })
      return
    }
    this.#serverStatus = statusCode
    const out = responseHeadersForClient(headers)
    if (out['trailer'] !== undefined && !carriesTrailers(res, statusCode, out)) delete out['trailer']
    try {
      if (statusMessage) res.writeHead(statusCode, statusMessage, out)
      else res.writeHead(statusCode, out)
    } catch (error) {
      // A value Node refuses to send (a control character): nothing reached the client yet.
      controller.abort(Object.assign(error as Error, { code: 'ERR_HTTP_INVALID_HEADER_VALUE' }))
      return
    }
    this.#headersAt = performance.now()
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#responseBytes += chunk.byteLength
    if (!this.#res.write(chunk)) {
      controller.pause()
      this.#res.once('drain', this.#onDrain)
    }
  }

  onResponseEnd(_controller: Dispatcher.DispatchController, trailers: ParsedHeaders): void {
    const fields = trailerFields(trailers)
    if (fields !== undefined) addTrailers(this.#res, fields)
    this.#res.end()
    this.#finish(undefined)
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    const failure = exchangeFailure(error, this.#headersAt !== 0)
    // Mid-body, the status line is gone: a broken connection is the only honest signal left.
    if (failure.phase === 'after-headers' && !this.#res.destroyed) this.#res.destroy()
    this.#finish(failure)
  }

  #finish(failure: ExchangeFailure | undefined): void {
    const res = this.#res
    this.#resolve({
      status: this.#headersAt !== 0 ? res.statusCode : 0,
      serverStatus: this.#serverStatus,
      headersSent: this.#headersAt !== 0,
      failure,
      requestBytes: this.#requestBytes,
      responseBytes: this.#responseBytes,
      server: this.#server,
      start: this.#ctx.start,
      headersAt: this.#headersAt,
      end: performance.now(),
      upgraded: false,
    })
  }
}
