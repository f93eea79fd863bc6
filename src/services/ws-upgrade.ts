import { ServerResponse, type ClientRequest, type IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { createRequire } from 'node:module'
import type { ProxyServer, ServerOptions } from 'http-proxy-3'
import type { RequestContext } from '../core/context.ts'
import type { ExchangeFailure, Outcome } from '../core/outcome.ts'
import { respondError } from '../core/responder.ts'
import { exchangeFailure, failureCode } from './forward-errors.ts'
import type { Target } from './forwarder.ts'
import { proxyTargetOf } from './http-proxy-target.ts'
import { outgoingHeaders, outgoingPath } from './outgoing-request.ts'

/** One upgrade in flight: what the server answered, and how to report the end. */
interface UpgradeState {
  /** The server's status (101, or a plain response refusing the upgrade); 0 before it answered. */
  serverStatus: number
  headersAt: number
  settled: boolean
  settle(failure: ExchangeFailure | undefined): void
}

/**
 * Proxies upgrades (WebSocket) through http-proxy-3's `ws`. Its pass pipeline
 * is cut to `stream`: Junction checks the request and sets X-Forwarded-*
 * itself, so `checkMethodAndHeader` and `XHeaders` are skipped through the
 * library's own `before()` hook (a pass returning true ends the pipeline).
 */
export class WebSocketUpgrader {
  readonly #proxy: ProxyServer
  readonly #states = new WeakMap<IncomingMessage, UpgradeState>()

  constructor() {
    // Loaded with the first upgrade, not with the data plane: http-proxy-3 and its dependencies cost each
    // worker thread some 7 MB of RSS, which a Junction that proxies no WebSocket never pays.
    const load = createRequire(import.meta.url)
    const { createProxyServer } = load('http-proxy-3') as typeof import('http-proxy-3')
    const { stream: wsStream } = load('http-proxy-3/dist/lib/http-proxy/passes/ws-incoming.js') as typeof import('http-proxy-3/dist/lib/http-proxy/passes/ws-incoming.js')
    this.#proxy = createProxyServer({ xfwd: false, toProxy: true, prependPath: false })
    this.#proxy.before('ws', 'checkMethodAndHeader', (req, socket, options, head, server, cb) => {
      wsStream(req, socket, options, head, server, cb)
      return true
    })
    this.#proxy.on('proxyReqWs', (proxyReq: ClientRequest, req: IncomingMessage) => {
      const state = this.#states.get(req)
      if (state === undefined) return
      proxyReq.once('upgrade', (response: IncomingMessage) => answered(state, response.statusCode ?? 101))
      proxyReq.once('response', (response: IncomingMessage) => answered(state, response.statusCode ?? 0))
    })
    // Socket errors after the splice reach this emitter; without a listener
    // http-proxy-3 rethrows them. Exchange errors go to the per-call callback.
    this.#proxy.on('error', () => undefined)
  }

  upgrade(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, target: Target): Promise<Outcome> {
    const upgrade = ctx.upgrade
    if (upgrade === undefined) {
      respondError(res, 'JCT_ERR_BAD_REQUEST')
      return Promise.resolve(localOutcome(res, ctx))
    }
    const socket = upgrade.socket as Socket
    const server = target.href
    let resolve!: (outcome: Outcome) => void
    const outcome = new Promise<Outcome>((done) => (resolve = done))
    const state: UpgradeState = {
      serverStatus: 0,
      headersAt: 0,
      settled: false,
      settle(failure) {
        if (this.settled) return
        this.settled = true
        resolve(upgradeOutcome(ctx, server, this, failure))
      },
    }
    this.#states.set(req, state)
    socket.once('close', () => state.settle(undefined))
    const headers = outgoingHeaders(req, ctx, target, true)
    const path = outgoingPath(req.url, target)
    res.detachSocket(socket)
    const onError = (error: unknown): void => {
      const failure = exchangeFailure(error, state.serverStatus !== 0)
      if (failure.phase === 'before-headers' && failure.kind !== 'client-closed') {
        answerOnSocket(req, socket, failureCode(failure.kind) === 'JCT_ERR_GATEWAY_TIMEOUT' ? 'JCT_ERR_GATEWAY_TIMEOUT' : 'JCT_ERR_BAD_GATEWAY')
      }
      state.settle(failure)
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
    return outcome
  }
}

function answered(state: UpgradeState, status: number): void {
  state.serverStatus = status
  state.headersAt = performance.now()
}

function upgradeOutcome(ctx: RequestContext, server: string, state: UpgradeState, failure: ExchangeFailure | undefined): Outcome {
  // A failure before the server answered was answered on the socket with its own status.
  const status = state.serverStatus !== 0 ? state.serverStatus : failure?.phase === 'before-headers' && failure.kind !== 'client-closed' ? (failure.code === 'JCT_ERR_GATEWAY_TIMEOUT' ? 504 : 502) : 0
  return {
    status,
    serverStatus: state.serverStatus,
    headersSent: status !== 0,
    // headersSent: a failure before the server answered was answered on the socket already.
    failure,
    requestBytes: 0,
    responseBytes: 0,
    server,
    start: ctx.start,
    headersAt: state.headersAt,
    end: performance.now(),
    upgraded: state.serverStatus === 101,
  }
}

function localOutcome(res: ServerResponse, ctx: RequestContext): Outcome {
  const now = performance.now()
  return {
    status: res.statusCode,
    serverStatus: 0,
    headersSent: true,
    failure: undefined,
    requestBytes: 0,
    responseBytes: 0,
    server: '',
    start: ctx.start,
    headersAt: now,
    end: now,
    upgraded: false,
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
export function upgradeThroughProxy(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, target: Target): Promise<Outcome> {
  shared ??= new WebSocketUpgrader()
  return shared.upgrade(req, res, ctx, target)
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
