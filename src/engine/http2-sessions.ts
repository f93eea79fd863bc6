import { constants, createServer, type Http2Server, type Http2ServerRequest, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2'
import type { TLSSocket } from 'node:tls'
import { attachConnection } from '../connection/connection-info.ts'
import type { ConnectionInfo } from '../core/context.ts'
import { Http2ExchangeResponse } from '../core/http2-exchange-response.ts'
import type { Logger } from '../observability/logger.ts'

/** An entry point's `http2` section and the timeouts that apply to its sessions (ms; 0 disables). */
export interface Http2SessionOptions {
  readonly entryPoint: string
  /** Streams a client may have open at once on a session (SETTINGS_MAX_CONCURRENT_STREAMS). */
  readonly maxConcurrentStreams: number
  /** The HPACK table Junction decodes request headers with (SETTINGS_HEADER_TABLE_SIZE it announces). */
  readonly maxDecoderHeaderTableSize: number
  /** The most of the client's announced table Junction's encoder uses for response headers. */
  readonly maxEncoderHeaderTableSize: number
  /** Largest header list a request may carry (SETTINGS_MAX_HEADER_LIST_SIZE). */
  readonly maxHeaderListSize: number
  /** A stream's request (head and body) must have arrived within this. */
  readonly readTimeout: number
  /** A session without open streams is closed (GOAWAY) after this. */
  readonly idleTimeout: number
}

/** Go's x/net/http2 defaults, which Traefik's 250 / 4096 / 4096 restate: 0 means the default there. */
const defaults = { maxConcurrentStreams: 250, headerTableSize: 4096 } as const

/** Where each HTTP/2 request goes, with the connection its session runs on. */
export type Http2RequestListener = (req: Http2ServerRequest, res: Http2ExchangeResponse, session: ServerHttp2Session) => void

/**
 * The HTTP/2 side of an entry point: a node:http2 server that never binds,
 * fed TLS connections whose handshake chose `h2`, as node:http is fed the
 * others. Its compatibility API turns each stream into a request and a
 * response (Junction's {@link Http2ExchangeResponse}), so the request path
 * is the one HTTP/1.1 takes. Each session carries the connection's
 * {@link ConnectionInfo} (`connectionOf(session)`), holds its streams to
 * `readTimeout`, and is closed with a GOAWAY after `idleTimeout` without a
 * stream, or on shutdown, letting the streams it has finish.
 */
export class Http2Sessions {
  readonly #options: Http2SessionOptions
  readonly #server: Http2Server
  readonly #sessions = new Set<ServerHttp2Session>()
  readonly #logger: Logger
  /** The connection of the session being created: the server emits 'session' while `serve` hands the socket over. */
  #arriving: ConnectionInfo | undefined
  #closing = false

  constructor(options: Http2SessionOptions, onRequest: Http2RequestListener, logger: Logger) {
    this.#options = options
    this.#logger = logger
    this.#server = createServer({
      Http2ServerResponse: Http2ExchangeResponse,
      maxDeflateDynamicTableSize: options.maxEncoderHeaderTableSize || defaults.headerTableSize,
      settings: {
        maxConcurrentStreams: options.maxConcurrentStreams || defaults.maxConcurrentStreams,
        headerTableSize: options.maxDecoderHeaderTableSize || defaults.headerTableSize,
        maxHeaderListSize: options.maxHeaderListSize,
      },
    })
    this.#server.on('session', (session: ServerHttp2Session) => this.#open(session))
    this.#server.on('request', (req: Http2ServerRequest, res: Http2ExchangeResponse) => onRequest(req, res, req.stream.session as ServerHttp2Session))
    this.#server.on('sessionError', (error: Error) => this.#logger.debug({ entryPoint: options.entryPoint, err: error }, `entry point ${options.entryPoint}: HTTP/2 session failed: ${error.message}`))
  }

  /**
   * Starts HTTP/2 on a TLS socket whose handshake is done. node:http2 waits
   * for 'secureConnect' on a socket still marked as connecting, which a
   * server-side socket made without a `tls.Server` never emits: the mark is
   * cleared here, as `tls.Server` does before 'secureConnection'.
   */
  serve(socket: TLSSocket, info: ConnectionInfo): void {
    (socket as TLSSocket & { secureConnecting: boolean }).secureConnecting = false
    this.#arriving = info
    try {
      this.#server.emit('connection', socket)
    } finally {
      this.#arriving = undefined
    }
  }

  /** Sends every session a GOAWAY: streams already open finish, no new ones start; sessions opened from now on are closed at once. */
  close(): void {
    this.#closing = true
    for (const session of this.#sessions) session.close()
  }

  /** Ends every session still open, and its streams. */
  destroy(): void {
    for (const session of this.#sessions) session.destroy()
  }

  #open(session: ServerHttp2Session): void {
    const info = this.#arriving
    if (info !== undefined) attachConnection(session, info)
    this.#sessions.add(session)
    session.once('close', () => this.#sessions.delete(session))
    if (this.#closing) {
      session.close()
      return
    }
    const { readTimeout, idleTimeout } = this.#options
    let open = 0
    session.on('stream', (stream: ServerHttp2Stream) => {
      open++
      const timer = readTimeout > 0 && !stream.endAfterHeaders ? setTimeout(() => stream.close(constants.NGHTTP2_CANCEL), readTimeout) : undefined
      // The session's socket keeps the process alive while it is open; the deadline alone should not.
      timer?.unref()
      if (timer !== undefined) stream.once('end', () => clearTimeout(timer))
      stream.once('close', () => {
        clearTimeout(timer)
        open--
      })
    })
    // node:http2 rearms this on every frame in or out: it fires only after idleTimeout of silence, and closes only a session without streams.
    if (idleTimeout > 0) {
      session.setTimeout(idleTimeout, () => {
        if (open === 0) session.close()
      })
    }
  }
}
