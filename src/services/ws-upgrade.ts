import { ServerResponse, type ClientRequest, type IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { createProxyServer, type ProxyServer, type ServerOptions } from 'http-proxy-3'
import { stream as wsStream } from 'http-proxy-3/dist/lib/http-proxy/passes/ws-incoming.js'
import { respondError } from '../engine/responder.ts'
import type { RequestContext } from '../engine/types.ts'
import { forwardErrorCode } from './forward-errors.ts'
import type { Target } from './forwarder.ts'
import { proxyTargetOf } from './http-proxy-target.ts'
import { outgoingHeaders, outgoingPath } from './outgoing-request.ts'

/** Whether the server answered (101 or a plain response) before an error: then the socket is no longer ours to answer on. */
interface UpgradeState {
  answered: boolean
}

/**
 * Proxies upgrades (WebSocket) through http-proxy-3's `ws`, for both
 * forwarders. Its pass pipeline is cut to `stream`: Junction checks the
 * request and sets X-Forwarded-* itself, so `checkMethodAndHeader` and
 * `XHeaders` are skipped through the library's own `before()` hook (a pass
 * returning true ends the pipeline).
 */
export class WebSocketUpgrader {
  readonly #proxy: ProxyServer
  readonly #states = new WeakMap<IncomingMessage, UpgradeState>()

  constructor() {
    this.#proxy = createProxyServer({ xfwd: false, toProxy: true, prependPath: false })
    this.#proxy.before('ws', 'checkMethodAndHeader', (req, socket, options, head, server, cb) => {
      wsStream(req, socket, options, head, server, cb)
      return true
    })
    this.#proxy.on('proxyReqWs', (proxyReq: ClientRequest, req: IncomingMessage) => {
      const state = this.#states.get(req)
      if (state === undefined) return
      const answered = (): void => {
        state.answered = true
      }
      proxyReq.once('upgrade', answered).once('response', answered)
    })
    // Socket errors after the splice reach this emitter; without a listener
    // http-proxy-3 rethrows them. Exchange errors go to the per-call callback.
    this.#proxy.on('error', () => undefined)
  }

  upgrade(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, target: Target): void {
    const upgrade = ctx.upgrade
    if (upgrade === undefined) {
      respondError(res, 'JCT_ERR_BAD_REQUEST')
      return
    }
    const socket = upgrade.socket as Socket
    const state: UpgradeState = { answered: false }
    this.#states.set(req, state)
    const headers = outgoingHeaders(req, ctx, target, true)
    const path = outgoingPath(req.url, target)
    res.detachSocket(socket)
    const onError = (error: unknown): void => {
      if (!state.answered) answerOnSocket(req, socket, forwardErrorCode(error) === 'JCT_ERR_GATEWAY_TIMEOUT' ? 'JCT_ERR_GATEWAY_TIMEOUT' : 'JCT_ERR_BAD_GATEWAY')
    }
    // http-proxy-3 reads the request target and headers from `req` while it
    // builds the outgoing request, synchronously; `req` is restored right after.
    const saved = { headers: req.headers, url: req.url }
    req.headers = headers
    req.url = path
    try {
      this.#proxy.ws(req, socket, upgrade.head, upgradeOptions(target), onError)
    } finally {
      req.headers = saved.headers
      req.url = saved.url
    }
  }
}

/** Upgrade sockets are never reused, so no agent: one connection per upgrade. */
function upgradeOptions(target: Target): ServerOptions {
  const tls = target.tls
  return {
    target: proxyTargetOf(target),
    connectTimeout: target.transport.dialTimeout,
    // A fresh `ssl` object per call: http-proxy-3 builds the request options on it.
    // '' rather than undefined: Node would otherwise take SNI from the Host header.
    ...(tls && { secure: tls.rejectUnauthorized, ssl: { servername: tls.servername ?? '' } }),
  }
}

let shared: WebSocketUpgrader | undefined

/**
 * Proxies one upgrade through the process's one upgrader. It holds no
 * per-server state (upgrade sockets are never pooled), so one serves every
 * service, and none is made until the first upgrade arrives: a generation of
 * 10,000 services does not build 10,000 proxy instances.
 */
export function upgradeThroughProxy(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, target: Target): void {
  shared ??= new WebSocketUpgrader()
  shared.upgrade(req, res, ctx, target)
}

/**
 * The entry point's response object is detached by now; a fresh one bound to
 * the socket lets the one responder render the error, then the socket closes.
 */
function answerOnSocket(req: IncomingMessage, socket: Socket, code: 'JCT_ERR_BAD_GATEWAY' | 'JCT_ERR_GATEWAY_TIMEOUT'): void {
  if (socket.destroyed || !socket.writable) return
  const res = new ServerResponse(req)
  res.shouldKeepAlive = false
  res.assignSocket(socket)
  res.once('finish', () => socket.end())
  respondError(res, code)
}
