import { OutgoingMessage, ServerResponse, type OutgoingHttpHeaders } from 'node:http'
import type { ResponseHead, ResponseInterceptor, ResponseSeam, ResponseWriter, SeamControl } from './response-seam.ts'

type Callback = (error?: Error | null) => void
type Encoding = BufferEncoding | undefined

const writeHead = ServerResponse.prototype.writeHead as (this: ServerResponse, status: number, reason: string | undefined, headers: OutgoingHttpHeaders) => ServerResponse
const write = ServerResponse.prototype.write as (this: ServerResponse, chunk: unknown, encoding?: unknown, callback?: unknown) => boolean
/** Node's own answer: the head was written to the connection. */
const wireHeadersSent = Object.getOwnPropertyDescriptor(OutgoingMessage.prototype, 'headersSent')?.get as (this: ServerResponse) => boolean
const end = ServerResponse.prototype.end as (this: ServerResponse, chunk?: unknown, encoding?: unknown, callback?: unknown) => ServerResponse

/**
 * The response object of every HTTP exchange Junction serves (given to
 * `http.createServer` as its `ServerResponse` class). Writers use it as a
 * plain `ServerResponse`; it counts the body bytes sent and, once a
 * middleware registers an interceptor, routes the head and body through the
 * interceptor chain. Without interceptors it costs one check per call.
 */
export class ExchangeResponse extends ServerResponse implements ResponseSeam {
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

  override writeHead(statusCode: number, reason?: unknown, headers?: unknown): this {
    if (this.#interceptors === undefined || this.#interceptors.length === 0) {
      return super.writeHead(statusCode, reason as string, headers as OutgoingHttpHeaders)
    }
    // Node throws ERR_HTTP_HEADERS_SENT for a second head; inside the seam it is dropped.
    if (this.#writer !== undefined) return this
    const given = typeof reason === 'string' ? headers : reason
    const head: ResponseHead = {
      status: statusCode,
      statusText: typeof reason === 'string' ? reason : this.statusMessage || undefined,
      headers: mergeHeaders(this.getHeaders(), given),
    }
    // Headers set with setHeader are in `head` now; the wire writes only what comes out of the chain.
    for (const name of this.getHeaderNames()) this.removeHeader(name)
    this.#writer = this.#chain(this.#interceptors)
    this.#writer.head(head)
    return this
  }

  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
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

  override end(chunk?: unknown, encoding?: unknown, callback?: unknown): this {
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
Object.defineProperty(ExchangeResponse.prototype, 'headersSent', {
  get(this: ExchangeResponse) {
    return this.headStarted
  },
})

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
