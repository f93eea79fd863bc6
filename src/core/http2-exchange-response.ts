import type { OutgoingHttpHeaders } from 'node:http'
import { Http2ServerResponse } from 'node:http2'
import { withResponseSeam, wireGetter, type ResponseWire, type SeamBase } from './exchange-response.ts'

type Method = (this: Http2ServerResponse, ...args: unknown[]) => unknown
const nodeWriteHead = Http2ServerResponse.prototype.writeHead as Method
const nodeWrite = Http2ServerResponse.prototype.write as Method
const nodeEnd = Http2ServerResponse.prototype.end as Method
const nodeHeadersSent = wireGetter(Http2ServerResponse.prototype, 'headersSent')

/**
 * Connection-specific fields, which HTTP/2 forbids (RFC 9113 §8.2.2: an
 * intermediary removes them when it turns a message into HTTP/2) and
 * node:http2 refuses to send, failing the whole response.
 */
const connectionSpecific: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te'])

/** Beneath the seam: node:http2's compatibility methods, with the head held back (see below). */
const wire: ResponseWire = {
  writeHead(status, reason, headers) {
    // writeHead(status, headers), or (status, reason, headers) with a reason, or none (the seam passes undefined).
    Http2ExchangeResponse.holdHead(this, status, reason !== null && typeof reason === 'object' ? reason : headers)
  },
  write(chunk, encoding, callback) {
    Http2ExchangeResponse.sendHead(this)
    return nodeWrite.call(this as Http2ServerResponse, chunk, encoding, callback) as boolean
  },
  end(chunk, encoding, callback) {
    return Http2ExchangeResponse.finish(this, chunk, encoding, callback)
  },
  headersSent() {
    return Http2ExchangeResponse.headHeld(this) || nodeHeadersSent.call(this)
  },
  statusText: () => undefined,
}

/**
 * The response object of every HTTP/2 exchange Junction serves (given to
 * the HTTP/2 server as its `Http2ServerResponse` class), with the same seam
 * as HTTP/1.1's `ExchangeResponse`. Writers use it as a `ServerResponse`,
 * and it behaves as one where node:http2's compatibility layer does not:
 *
 * - The head waits for the first body byte or the end, as node:http's
 *   does, rather than going out at `writeHead`. A response that ends
 *   without a body or trailers is then one HEADERS frame that ends the
 *   stream: the form a gRPC error takes ("trailers-only"), which gRPC
 *   clients read their status from only when it ends the stream.
 * - There is no reason phrase in HTTP/2 (RFC 9113 §8.3.2): one given to
 *   `writeHead` or `statusMessage` is dropped, without Node's warning.
 * - `destroyed` says whether the stream is gone.
 */
export class Http2ExchangeResponse extends withResponseSeam(Http2ServerResponse, wire) {
  /** A head written, not yet on the wire. */
  #held = false
  /** Trailers were added: the head must go out on its own, for them to follow the body. */
  #trailers = false

  override addTrailers(headers: OutgoingHttpHeaders): void {
    super.addTrailers(headers)
    this.#trailers = true
  }

  // The wire's steps (above), here for this class's private state.

  static headHeld(seamed: SeamBase): boolean {
    return (seamed as unknown as Http2ExchangeResponse).#held
  }

  /** `writeHead`: the status and headers are kept on the response until the body or the end sends them. */
  static holdHead(seamed: SeamBase, status: number, headers: unknown): void {
    const res = seamed as unknown as Http2ExchangeResponse
    const stream = res.stream
    if (stream.destroyed || stream.closed) return
    if (res.#held || stream.headersSent) throw Object.assign(new Error('response head already written'), { code: 'ERR_HTTP2_HEADERS_SENT' })
    if (Array.isArray(headers)) {
      // The raw `[name, value, ...]` forms: node:http2 merges them with what setHeader set, and the head goes now.
      nodeWriteHead.call(res, status, headers)
      return
    }
    res.statusCode = status
    if (headers !== null && typeof headers === 'object') {
      for (const [name, value] of Object.entries(headers as OutgoingHttpHeaders)) {
        if (value !== undefined && !connectionSpecific.has(name.toLowerCase())) res.setHeader(name, value)
      }
    }
    res.#held = true
  }

  /** Puts a held head on the wire, the stream left open for the body. */
  static sendHead(seamed: SeamBase): void {
    const res = seamed as unknown as Http2ExchangeResponse
    if (!res.#held) return
    res.#held = false
    nodeWriteHead.call(res, res.statusCode)
  }

  /**
   * `end`: a held head goes out first, ending the stream itself when
   * neither a body nor trailers follow. The body is written here rather
   * than handed to node:http2's `end`, which would write it through this
   * class's `write` and count it twice.
   */
  static finish(seamed: SeamBase, chunk: unknown, encoding: unknown, callback: unknown): unknown {
    const res = seamed as unknown as Http2ExchangeResponse
    const [data, done] = typeof chunk === 'function' ? [undefined, chunk] : typeof encoding === 'function' ? [chunk, encoding] : [chunk, callback]
    const empty = data === undefined || data === null || (data as { length: number }).length === 0
    if (res.#held && empty && !res.#trailers) {
      res.#held = false
      // `sendDate` is node:http2's own option (as its compatibility layer passes it), missing from its types.
      const options = { endStream: true, sendDate: res.sendDate }
      res.stream.respond({ ...res.getHeaders(), ':status': res.statusCode }, options)
    } else {
      Http2ExchangeResponse.sendHead(res)
      if (!empty) nodeWrite.call(res, data, typeof encoding === 'string' ? encoding : undefined)
    }
    return nodeEnd.call(res, done)
  }
}

// Accessors over what @types/node declares as plain properties.
Object.defineProperties(Http2ExchangeResponse.prototype, {
  statusMessage: { get: () => '', set: () => undefined },
  destroyed: {
    get(this: Http2ExchangeResponse) {
      return this.stream.destroyed
    },
  },
})
