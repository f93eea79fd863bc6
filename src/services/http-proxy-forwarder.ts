import { Agent as HttpAgent, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import type { Socket } from 'node:net'
import { pipeline } from 'node:stream'
import { createProxyServer, type ProxyServer, type ServerOptions } from 'http-proxy-3'
import { stream as webStream } from 'http-proxy-3/dist/lib/http-proxy/passes/web-incoming.js'
import { respondError } from '../engine/responder.ts'
import type { RequestContext } from '../engine/types.ts'
import { failForward, headerTimeoutError } from './forward-errors.ts'
import type { Forwarder, Target } from './forwarder.ts'
import { responseHeadersForClient } from './hop-by-hop.ts'
import { proxyTargetOf } from './http-proxy-target.ts'
import { outgoingHeaders, outgoingPath } from './outgoing-request.ts'
import { upgradeThroughProxy } from './ws-upgrade.ts'

/** What the `proxyReq` listener needs to know about the exchange it belongs to. */
interface Exchange {
  readonly res: ServerResponse
  readonly responseHeaderTimeout: number
}

/**
 * Forwards through http-proxy-3 with its pipeline cut to the one pass that
 * moves bytes (`stream`): its `deleteLength`, `timeout` and `XHeaders` passes
 * do work Junction does itself (or must not have done), so a pass inserted
 * with the library's `before()` hook runs `stream` and ends the pipeline.
 * `selfHandleResponse` skips its five response passes; Junction writes the
 * status and headers itself. One keep-alive agent per server.
 */
export class HttpProxyForwarder implements Forwarder {
  readonly #proxy: ProxyServer
  readonly #agents = new Map<Target, HttpAgent>()
  readonly #options = new Map<Target, ServerOptions>()
  readonly #exchanges = new WeakMap<IncomingMessage, Exchange>()
  #closed = false

  constructor() {
    this.#proxy = createProxyServer({ xfwd: false, toProxy: true, prependPath: false, selfHandleResponse: true })
    this.#proxy.before('web', 'deleteLength', (req, res, options, head, server, cb) => {
      void webStream(req, res, options, head, server, cb)
      return true
    })
    this.#proxy.on('proxyReq', (proxyReq: ClientRequest, req: IncomingMessage) => {
      const exchange = this.#exchanges.get(req)
      if (exchange !== undefined) relay(proxyReq, exchange)
    })
    // Exchange errors reach the per-call callback; without a listener here
    // http-proxy-3 would rethrow the ones it emits.
    this.#proxy.on('error', () => undefined)
  }

  forward(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, target: Target): void {
    if (this.#closed) {
      respondError(res, 'JCT_ERR_BAD_GATEWAY')
      return
    }
    const headers = outgoingHeaders(req, ctx, target, false)
    // Node frames a body of unknown length only for methods it expects one
    // on; a chunked DELETE would go out unframed. Chunking is this hop's own.
    if (req.headers['transfer-encoding'] !== undefined && req.headers['content-length'] === undefined) headers['transfer-encoding'] = 'chunked'
    const path = outgoingPath(req.url, target)
    this.#exchanges.set(req, { res, responseHeaderTimeout: target.transport.responseHeaderTimeout })
    // http-proxy-3 reads the request target and headers from `req` while it
    // builds the outgoing request, synchronously; `req` is restored right after.
    const saved = { headers: req.headers, url: req.url }
    req.headers = headers
    req.url = path
    try {
      this.#proxy.web(req, res, this.#optionsFor(target), (error) => failForward(res, error))
    } finally {
      req.headers = saved.headers
      req.url = saved.url
    }
  }

  upgrade(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, target: Target): void {
    upgradeThroughProxy(req, res, ctx, target)
  }

  /** Lets in-flight exchanges finish: idle sockets close now, busy ones when their exchange ends. */
  async close(): Promise<void> {
    this.#closed = true
    const agents = [...this.#agents.values()]
    this.#agents.clear()
    this.#options.clear()
    await Promise.all(agents.map(drain))
  }

  #optionsFor(target: Target): ServerOptions {
    let options = this.#options.get(target)
    if (options === undefined) {
      const agent = createAgent(target)
      this.#agents.set(target, agent)
      options = {
        target: proxyTargetOf(target),
        agent,
        connectTimeout: target.transport.dialTimeout,
        ...(target.tls && { secure: target.tls.rejectUnauthorized }),
      }
      this.#options.set(target, options)
    }
    return options
  }
}

/**
 * Go's MaxIdleConnsPerHost is exactly Node's maxFreeSockets: idle sockets
 * kept, concurrency untouched (maxSockets stays unlimited). As in Go, 0 means
 * the default of 2 and a negative value disables reuse.
 */
function createAgent(target: Target): HttpAgent {
  const { transport, tls } = target
  const idle = transport.maxIdleConnsPerHost
  const options = {
    keepAlive: idle >= 0,
    maxFreeSockets: idle > 0 ? idle : 2,
    // Applies to free sockets: the agent closes those idle this long.
    ...(transport.idleConnTimeout > 0 && { timeout: transport.idleConnTimeout }),
    scheduling: 'lifo' as const,
  }
  if (tls === undefined) return new HttpAgent(options)
  return new HttpsAgent({
    ...options,
    rejectUnauthorized: tls.rejectUnauthorized,
    // '' rather than undefined: Node would otherwise take SNI from the Host header.
    servername: tls.servername ?? '',
    ...(tls.ca && { ca: tls.ca }),
    ...(tls.cert && { cert: tls.cert, key: tls.key }),
  })
}

/**
 * Arms `responseHeaderTimeout` once the request is fully written (Go's
 * definition) and relays the response when it comes.
 */
function relay(proxyReq: ClientRequest, { res, responseHeaderTimeout }: Exchange): void {
  let timer: NodeJS.Timeout | undefined
  if (responseHeaderTimeout > 0) {
    const arm = (): void => {
      timer = setTimeout(() => proxyReq.destroy(headerTimeoutError(responseHeaderTimeout)), responseHeaderTimeout)
    }
    if (proxyReq.writableFinished) arm()
    else proxyReq.once('finish', arm)
  }
  proxyReq.once('close', () => clearTimeout(timer))
  proxyReq.on('information', (info) => {
    const link = info.headers['link']
    if (info.statusCode === 103 && link !== undefined) res.writeEarlyHints({ link })
  })
  proxyReq.once('response', (proxyRes: IncomingMessage) => {
    clearTimeout(timer)
    relayResponse(proxyRes, res)
  })
}

function relayResponse(proxyRes: IncomingMessage, res: ServerResponse): void {
  if (res.destroyed) {
    proxyRes.destroy()
    return
  }
  const status = proxyRes.statusCode ?? 502
  const headers = responseHeadersForClient(proxyRes.headers)
  try {
    if (proxyRes.statusMessage) res.writeHead(status, proxyRes.statusMessage, headers)
    else res.writeHead(status, headers)
  } catch (error) {
    proxyRes.destroy()
    failForward(res, error)
    return
  }
  // A server that breaks mid-body leaves no status to send: the client
  // connection is destroyed. A client that leaves destroys the server stream.
  pipeline(proxyRes, res, (error) => {
    if (error) res.destroy()
  })
}

/** Resolves once every socket of the agent is closed; busy ones close when freed. */
function drain(agent: HttpAgent): Promise<void> {
  agent.maxFreeSockets = 0
  const closing: Promise<void>[] = []
  for (const list of Object.values(agent.freeSockets)) for (const socket of list ?? []) socket.destroy()
  for (const list of Object.values(agent.sockets)) {
    for (const socket of list ?? []) {
      closing.push(new Promise((resolve) => (socket as Socket).once('close', () => resolve())))
    }
  }
  return Promise.all(closing).then(() => undefined)
}
