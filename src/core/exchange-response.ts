import { OutgoingMessage, ServerResponse, type OutgoingHttpHeaders } from 'node:http'
import type { ResponseHead, ResponseInterceptor, ResponseSeam, ResponseWriter, SeamControl } from './response-seam.ts'

type Callback = (error?: Error | null) => void
type Encoding = BufferEncoding | undefined

/** What the seam needs of the response class it extends: node:http's `ServerResponse` and node:http2's compatibility `Http2ServerResponse` both have it. */
export interface SeamBase {
  statusCode: number
  getHeaders(): OutgoingHttpHeaders
  getHeaderNames(): string[]
  removeHeader(name: string): void
  destroy(error?: Error): unknown
  emit(event: string | symbol, ...args: unknown[]): boolean
  once(event: string | symbol, listener: (...args: unknown[]) => void): unknown
}

/**
 * How a response class writes to its connection beneath the seam: its own
 * prototype methods (or thin adapters of them), called with the response as `this`.
 */
export interface ResponseWire {
  writeHead(this: SeamBase, status: number, reason: unknown, headers: unknown): unknown
  write(this: SeamBase, chunk: unknown, encoding?: unknown, callback?: unknown): boolean
  end(this: SeamBase, chunk?: unknown, encoding?: unknown, callback?: unknown): unknown
  /** Node's own answer: the head was written to the connection. */
  headersSent(this: SeamBase): boolean
  /** The reason phrase a writer set (`statusMessage`), for the head interceptors see; undefined lets the wire choose. */
  statusText(this: SeamBase): string | undefined
}

// A mixin's base: TypeScript asks for a constructor taking `any[]`.
type Constructor<T> = new (...args: any[]) => T

/**
 * Adds the response seam to a response class: the class counts the body
 * bytes sent and, once a middleware registers an interceptor, routes the
 * head and body through the interceptor chain. Without interceptors it
 * costs one check per call. Each call makes a class of its own (one for
 * HTTP/1.1, one for HTTP/2), so each keeps its own call sites and neither
 * pays for the other.
 */
export function withResponseSeam<T extends Constructor<SeamBase>>(base: T, wire: ResponseWire) {
  // Read once: the hot path calls them as closure constants, not through `wire`.
  const { writeHead, write, end, headersSent: wireHeadersSent, statusText } = wire

  class Seamed extends base implements ResponseSeam {
    /** Body bytes handed to the client connection (after interceptors). */
    bytesOut = 0
    #interceptors: ResponseInterceptor[] | undefined
    #writer: ResponseWriter | undefined
    #ended = false

    intercept(interceptor: ResponseInterceptor): void {
      if (this.#writer !== undefined || wireHeadersSent.call(this)) throw new Error('response seam: the response head has already started out')
      ;(this.#interceptors ??= []).push(interceptor)
    }

    mark(): number {
      return this.#interceptors?.length ?? 0
    }

    rewind(mark: number): void {
      if (this.#interceptors !== undefined && this.#writer === undefined) this.#interceptors.length = mark
    }

    /** True once the head entered the seam, even if an interceptor still holds it back. */
    get headStarted(): boolean {
      return this.#writer !== undefined || wireHeadersSent.call(this)
    }

    writeHead(statusCode: number, reason?: unknown, headers?: unknown): this {
      if (this.#interceptors === undefined || this.#interceptors.length === 0) {
        writeHead.call(this, statusCode, reason, headers)
        return this
      }
      // Node throws ERR_HTTP_HEADERS_SENT for a second head; inside the seam it is dropped.
      if (this.#writer !== undefined) return this
      const given = typeof reason === 'string' ? headers : reason
      const head: ResponseHead = {
        status: statusCode,
        statusText: typeof reason === 'string' ? reason : statusText.call(this),
        headers: mergeHeaders(this.getHeaders(), given),
      }
      // Headers set with setHeader are in `head` now; the wire writes only what comes out of the chain.
      for (const name of this.getHeaderNames()) this.removeHeader(name)
      this.#writer = this.#chain(this.#interceptors)
      this.#writer.head(head)
      return this
    }

    write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
      const [enc, done] = typeof encoding === 'function' ? [undefined, encoding as Callback] : [encoding as Encoding, callback as Callback | undefined]
      if (this.#interceptors === undefined || this.#interceptors.length === 0) {
        this.bytesOut += byteLength(chunk, enc)
        return write.call(this, chunk, enc, done)
      }
      if (this.#writer === undefined) this.writeHead(this.statusCode)
      const ok = (this.#writer as ResponseWriter).write(toBuffer(chunk, enc))
      if (done !== undefined) process.nextTick(done)
      return ok
    }

    end(chunk?: unknown, encoding?: unknown, callback?: unknown): this {
      let data = chunk
      let enc = encoding as Encoding
      let done = callback as (() => void) | undefined
      if (typeof data === 'function') [data, done] = [undefined, data as () => void]
      else if (typeof encoding === 'function') [enc, done] = [undefined, encoding as () => void]
      if (this.#interceptors === undefined || this.#interceptors.length === 0) {
        if (data !== undefined && data !== null) this.bytesOut += byteLength(data, enc)
        end.call(this, data, enc, done)
        return this
      }
      if (this.#ended) return this
      this.#ended = true
      if (this.#writer === undefined) this.writeHead(this.statusCode)
      const writer = this.#writer as ResponseWriter
      if (data !== undefined && data !== null && byteLength(data, enc) > 0) writer.write(toBuffer(data, enc))
      if (done !== undefined) this.once('finish', done)
      writer.end()
      return this
    }

    /** The interceptors wrapped around the wire, the first registered closest to the client. */
    #chain(interceptors: readonly ResponseInterceptor[]): ResponseWriter {
      const control: SeamControl = {
        drained: () => this.emit('drain'),
        onDrain: (listener) => this.once('drain', listener),
        abort: (error) => this.destroy(error),
      }
      let writer: ResponseWriter = {
        head: (head) => void writeHead.call(this, head.status, head.statusText, head.headers),
        write: (data) => {
          this.bytesOut += data.byteLength
          return write.call(this, data)
        },
        end: () => void end.call(this),
      }
      for (const interceptor of interceptors) writer = interceptor(writer, control)
      return writer
    }
  }

  // What upstream handlers see as "headers sent" is the head entering the seam:
  // after that, an error can no longer be answered with a status of its own.
  Object.defineProperty(Seamed.prototype, 'headersSent', {
    get(this: Seamed) {
      return this.headStarted
    },
  })
  return Seamed
}

/** The prototype getter behind `headersSent` on `proto`'s chain: the response class's own answer, before the seam's. */
export function wireGetter(proto: object, name: string): (this: SeamBase) => boolean {
  for (let at: object | null = proto; at !== null; at = Object.getPrototypeOf(at) as object | null) {
    const getter = Object.getOwnPropertyDescriptor(at, name)?.get
    if (getter !== undefined) return getter as (this: SeamBase) => boolean
  }
  throw new Error(`response seam: ${name} has no getter on this response class`)
}

/**
 * The response object of every HTTP/1.1 exchange Junction serves (given to
 * `http.createServer` as its `ServerResponse` class). Writers use it as a
 * plain `ServerResponse`.
 */
export const ExchangeResponse = withResponseSeam(ServerResponse, {
  writeHead: ServerResponse.prototype.writeHead as ResponseWire['writeHead'],
  write: ServerResponse.prototype.write as ResponseWire['write'],
  end: ServerResponse.prototype.end as ResponseWire['end'],
  headersSent: wireGetter(OutgoingMessage.prototype, 'headersSent'),
  statusText() {
    return (this as ServerResponse).statusMessage || undefined
  },
})
export type ExchangeResponse = InstanceType<typeof ExchangeResponse>

function byteLength(chunk: unknown, encoding: Encoding): number {
  if (typeof chunk === 'string') return Buffer.byteLength(chunk, encoding)
  return (chunk as Uint8Array).byteLength
}

function toBuffer(chunk: unknown, encoding: Encoding): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, encoding)
  if (Buffer.isBuffer(chunk)) return chunk
  const view = chunk as Uint8Array
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength)
}

/** Headers set with `setHeader` and those given to `writeHead` (which win), as one object with lower-case names. */
export function mergeHeaders(own: OutgoingHttpHeaders, given: unknown): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = { ...own }
  if (Array.isArray(given)) {
    // Both `[[k, v], ...]` and the flat raw `[k, v, k, v]` forms writeHead accepts.
    const flat = Array.isArray(given[0]) ? (given as unknown[][]).flat() : (given as unknown[])
    const seen = new Set<string>()
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const name = String(flat[i]).toLowerCase()
      const value = flat[i + 1] as string | number | string[]
      const prior = seen.has(name) ? out[name] : undefined
      out[name] = prior === undefined ? value : [...[prior].flat().map(String), ...[value].flat().map(String)]
      seen.add(name)
    }
  } else if (given !== null && typeof given === 'object') {
    for (const [name, value] of Object.entries(given as OutgoingHttpHeaders)) if (value !== undefined) out[name.toLowerCase()] = value
  }
  return out
}
