import type { IncomingMessage } from 'node:http'
import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2'
import type { Readable } from 'node:stream'
import type { Dispatcher } from 'undici'
import { dialTimeoutError, headerTimeoutError } from './forward-errors.ts'
import type { Target } from './forwarder.ts'
import { trailerFields, type ParsedHeaders } from './hop-by-hop.ts'

/** What the forwarder asks of the connections to one server: undici's `Pool` has it, and so does {@link H2cServer}. */
export interface ServerConnections {
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean
  close(): Promise<void>
}

/** Largest timer Node accepts: "never" for an idleConnTimeout of 0. */
const forever = 2 ** 31 - 1

/** One session and how many of its streams are open. */
interface Slot {
  readonly session: ClientHttp2Session
  open: number
}

/**
 * Cleartext HTTP/2 with prior knowledge to one server (Traefik's `h2c://`
 * server URLs), driven through undici's dispatch-handler interface so the
 * forwarder's exchange runs on it as on a `Pool`. One session carries every
 * stream; it is opened on first use, again once it closes or the server
 * sends GOAWAY, and closed after `idleConnTimeout` without a stream (at
 * once when `maxIdleConnsPerHost` is negative, as Go reuses nothing then).
 *
 * node:http2 rather than undici's h2c client, which sends no request
 * trailers (client-h2.js leaves them to do): here the trailers a request
 * body ends with reach the server, and the server's reach the exchange.
 */
export class H2cServer implements ServerConnections {
  readonly #target: Target
  #slot: Slot | undefined

  constructor(target: Target) {
    this.#target = target
  }

  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const call = new H2cCall(handler, this.#target.transport.responseHeaderTimeout)
    handler.onRequestStart?.(call, {})
    if (call.aborted) return true
    const slot = this.#current()
    slot.open++
    slot.session.ref()
    call.start(slot.session, options, () => {
      slot.open--
      if (slot.open > 0) return
      if (this.#target.transport.maxIdleConnsPerHost < 0) slot.session.close()
      else slot.session.unref()
    })
    return true
  }

  /** Lets the streams in flight finish, then closes the session. */
  close(): Promise<void> {
    const slot = this.#slot
    this.#slot = undefined
    if (slot === undefined || slot.session.destroyed) return Promise.resolve()
    return new Promise((resolve) => slot.session.close(() => resolve()))
  }

  /** The session new streams go to, opened when there is none that takes them. */
  #current(): Slot {
    const current = this.#slot
    if (current !== undefined && !current.session.closed && !current.session.destroyed) return current
    const { dialTimeout, idleConnTimeout } = this.#target.transport
    const session = connect(this.#target.origin, { settings: { enablePush: false } })
    const slot: Slot = { session, open: 0 }
    this.#slot = slot
    // Its streams fail with the session's error, each in its own exchange.
    session.on('error', () => undefined)
    const forget = (): void => {
      if (this.#slot === slot) this.#slot = undefined
    }
    session.once('goaway', forget)
    session.once('close', forget)
    if (dialTimeout > 0) {
      const timer = setTimeout(() => session.destroy(dialTimeoutError(dialTimeout)), dialTimeout)
      session.once('connect', () => clearTimeout(timer))
      session.once('close', () => clearTimeout(timer))
    }
    // node:http2 rearms this on every frame: it fires after idleConnTimeout of silence, and closes only a session without streams.
    session.setTimeout(idleConnTimeout > 0 ? idleConnTimeout : forever, () => {
      if (slot.open === 0) session.close()
    })
    return slot
  }
}

/**
 * One request on an h2c session, as undici's dispatch controller: it
 * reports to the handler what undici would (the response head, body
 * chunks, the end with the trailers, or one error) and takes its pause,
 * resume and abort.
 */
class H2cCall implements Dispatcher.DispatchController {
  readonly #handler: Dispatcher.DispatchHandler
  readonly #headerTimeout: number
  #stream: ClientHttp2Stream | undefined
  #reason: Error | null = null
  #paused = false
  #done = false
  #timer: NodeJS.Timeout | undefined
  #trailers: ParsedHeaders = {}

  constructor(handler: Dispatcher.DispatchHandler, headerTimeout: number) {
    this.#handler = handler
    this.#headerTimeout = headerTimeout
  }

  get aborted(): boolean {
    return this.#reason !== null
  }

  get paused(): boolean {
    return this.#paused
  }

  get reason(): Error | null {
    return this.#reason
  }

  abort(reason: Error): void {
    if (this.#done) return
    this.#reason = reason
    this.#stream?.close(constants.NGHTTP2_CANCEL)
    this.#fail(reason)
  }

  pause(): void {
    this.#paused = true
    this.#stream?.pause()
  }

  resume(): void {
    this.#paused = false
    this.#stream?.resume()
  }

  /** Opens the stream and sends the request; `closed` runs once the stream is gone. */
  start(session: ClientHttp2Session, options: Dispatcher.DispatchOptions, closed: () => void): void {
    const body = options.body as Readable | null | undefined
    let stream: ClientHttp2Stream
    try {
      stream = session.request(requestHeaders(options), { endStream: !body, waitForTrailers: !!body })
    } catch (error) {
      // Headers node:http2 refuses to send (a connection-specific field a middleware set).
      closed()
      this.#fail(error as Error)
      return
    }
    this.#stream = stream
    stream.once('close', () => {
      clearTimeout(this.#timer)
      closed()
      if (!this.#done) this.#fail(Object.assign(new Error(`server closed the stream (HTTP/2 error code ${stream.rstCode ?? 0})`), { code: 'ERR_HTTP2_STREAM_ERROR' }))
    })
    stream.on('error', (error: Error) => this.#fail(error))
    if (this.#headerTimeout > 0) {
      const timeout = this.#headerTimeout
      this.#timer = setTimeout(() => this.abort(headerTimeoutError(timeout)), timeout)
    }
    stream.on('headers', (headers: IncomingHttpHeaders) => this.#handler.onResponseStart?.(this, Number(headers[':status']), fields(headers), ''))
    stream.once('response', (headers: IncomingHttpHeaders) => {
      clearTimeout(this.#timer)
      if (!this.#done) this.#handler.onResponseStart?.(this, Number(headers[':status']), fields(headers), '')
    })
    stream.on('data', (chunk: Buffer) => this.#handler.onResponseData?.(this, chunk))
    stream.once('trailers', (trailers: IncomingHttpHeaders) => (this.#trailers = fields(trailers)))
    stream.once('end', () => {
      if (this.#done) return
      this.#done = true
      this.#handler.onResponseEnd?.(this, this.#trailers as IncomingHttpHeaders)
    })
    if (this.#paused) stream.pause()
    if (body) this.#send(stream, body)
  }

  /**
   * Streams the request body, then its trailers (none: an empty DATA frame
   * ends the stream). `trailers` is where node:http and node:http2 leave a
   * request's once its body has ended.
   */
  #send(stream: ClientHttp2Stream, body: Readable): void {
    const onData = (chunk: Buffer): void => {
      if (stream.destroyed || stream.writableEnded) return
      this.#handler.onBodySent?.(chunk)
      if (!stream.write(chunk)) {
        body.pause()
        stream.once('drain', () => body.resume())
      }
    }
    body.on('data', onData)
    body.once('end', () => {
      if (!stream.destroyed) stream.end()
    })
    stream.once('wantTrailers', () => {
      const trailers = trailerFields((body as Partial<IncomingMessage>).trailers ?? {})
      try {
        stream.sendTrailers(trailers ?? {})
      } catch {
        // A value node:http2 will not send: the stream ends without the trailers.
        stream.close()
      }
    })
    stream.once('close', () => body.off('data', onData))
  }

  #fail(error: Error): void {
    if (this.#done) return
    this.#done = true
    clearTimeout(this.#timer)
    this.#handler.onResponseError?.(this, error)
  }
}

/** The request's head as HTTP/2 writes it: the pseudo-headers, then every header but Host, which `:authority` replaces. */
function requestHeaders(options: Dispatcher.DispatchOptions): OutgoingHttpHeaders {
  const { host, ...headers } = options.headers as Record<string, string | string[]>
  return { ':method': options.method, ':path': options.path, ':scheme': 'http', ':authority': host, ...headers }
}

/** Response headers or trailers without their pseudo-headers (`:status`), as undici hands them on. */
function fields(headers: IncomingHttpHeaders): ParsedHeaders {
  const out: Record<string, string | string[] | undefined> = {}
  for (const name in headers) if (name.charCodeAt(0) !== 58 /* ':' */) out[name] = headers[name]
  return out
}
