import type { IncomingMessage, ServerResponse } from 'node:http'
import { buildConnector, Pool, type Dispatcher } from 'undici'
import type { RequestContext } from '../engine/types.ts'
import { JunctionError } from '../errors.ts'
import { failForward } from './forward-errors.ts'
import type { Forwarder, Target } from './forwarder.ts'
import { responseHeadersForClient, type ParsedHeaders } from './hop-by-hop.ts'
import { outgoingHeaders, outgoingPath } from './outgoing-request.ts'
import { upgradeThroughProxy } from './ws-upgrade.ts'

/** Largest timer Node accepts: "never" for an idleConnTimeout of 0. */
const forever = 2 ** 31 - 1

/**
 * Forwards through undici: one keep-alive `Pool` per server and the raw
 * `dispatch` API, whose handler writes straight into `res`. Nothing is
 * buffered: the request body is `req` itself, and the response pauses the
 * socket whenever `res.write` says the client is behind.
 */
export class UndiciForwarder implements Forwarder {
  readonly #pools = new Map<Target, Pool>()
  #closed = false

  forward(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, target: Target): void {
    const relay = new ResponseRelay(res)
    if (this.#closed) {
      relay.onResponseError(null, new JunctionError('JCT_ERR_BAD_GATEWAY', 'forwarder is closed'))
      return
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
    this.#pool(target).dispatch(options, relay)
  }

  upgrade(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, target: Target): void {
    upgradeThroughProxy(req, res, ctx, target)
  }

  /** Lets in-flight exchanges finish, then closes every connection. */
  async close(): Promise<void> {
    this.#closed = true
    const pools = [...this.#pools.values()]
    this.#pools.clear()
    await Promise.all(pools.map((pool) => pool.close()))
  }

  #pool(target: Target): Pool {
    let pool = this.#pools.get(target)
    if (pool === undefined) {
      pool = createPool(target)
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
    connectTimeout: transport.dialTimeout,
    allowH2,
  }
  if (tls !== undefined) {
    const connect = buildConnector({
      rejectUnauthorized: tls.rejectUnauthorized,
      ...(tls.ca && { ca: tls.ca }),
      ...(tls.cert && { cert: tls.cert, key: tls.key }),
      timeout: transport.dialTimeout,
      allowH2,
    })
    // '' = no SNI for an IP server; undici would otherwise fall back to the request's name.
    options.connect = (opts, callback) => connect({ ...opts, servername: tls.servername ?? '' }, callback)
  }
  return new Pool(target.origin, options)
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length']
  if (length !== undefined) return length !== '0'
  return req.headers['transfer-encoding'] !== undefined
}

/**
 * Writes one server response into `res` as it arrives. It owns the exchange's
 * lifetime: a client that leaves aborts the server request; a server that
 * fails is answered through the responder (or, mid-body, by destroying `res`).
 */
class ResponseRelay implements Dispatcher.DispatchHandler {
  readonly #res: ServerResponse
  #controller: Dispatcher.DispatchController | undefined
  #clientGone = false

  constructor(res: ServerResponse) {
    this.#res = res
    res.once('close', this.#onClose)
  }

  readonly #onClose = (): void => {
    if (this.#res.writableFinished) return
    this.#clientGone = true
    this.#controller?.abort(clientClosed())
  }

  readonly #onDrain = (): void => {
    this.#controller?.resume()
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller
    if (this.#clientGone) controller.abort(clientClosed())
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: ParsedHeaders, statusMessage?: string): void {
    const res = this.#res
    if (statusCode < 200) {
      // 100 was answered by Node already; 103 Early Hints are worth relaying.
      const link = headers['link']
      if (statusCode === 103 && link !== undefined) res.writeEarlyHints({ link })
      return
    }
    const out = responseHeadersForClient(headers)
    if (statusMessage) res.writeHead(statusCode, statusMessage, out)
    else res.writeHead(statusCode, out)
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.#res.write(chunk)) {
      controller.pause()
      this.#res.once('drain', this.#onDrain)
    }
  }

  onResponseEnd(): void {
    this.#res.end()
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    failForward(this.#res, error)
  }
}

function clientClosed(): JunctionError {
  return new JunctionError('JCT_ERR_CLIENT_CLOSED', 'client closed the connection')
}
