import type { OutgoingHttpHeaders } from 'node:http'
import type { Duplex } from 'node:stream'

/** A response's status line and headers on their way to the client. Header names are lower case. */
export interface ResponseHead {
  status: number
  /** The reason phrase; undefined lets Node send the standard one. */
  statusText: string | undefined
  headers: OutgoingHttpHeaders
}

/**
 * One layer of the response on its way out: the head once, then body
 * chunks, then the end. `write` returning false asks the producer to wait
 * for the response's `drain` event, as `ServerResponse.write` does.
 */
export interface ResponseWriter {
  head(head: ResponseHead): void
  write(chunk: Buffer): boolean
  end(): void
}

/** What a layer needs from the response besides the next layer. */
export interface SeamControl {
  /** Tells the producer it may write again (this layer's buffer emptied). */
  drained(): void
  /** Calls `listener` once the layers closer to the client can take more. */
  onDrain(listener: () => void): void
  /** Breaks the client connection: the only honest signal once the head is gone. */
  abort(error: Error): void
}

/**
 * Wraps the writer closer to the client with one that sees the response
 * first. Interceptors registered by a middleware run on the response of the
 * request that passed through it; the one registered last (the innermost
 * middleware) sees the server's response first, as the response travels
 * back up the chain.
 */
export type ResponseInterceptor = (downstream: ResponseWriter, control: SeamControl) => ResponseWriter

/**
 * The one mechanism through which a middleware sees and changes a response:
 * status, headers and body. Whoever writes the response (the forwarder, the
 * error responder, another middleware, the API) writes to `res` as usual;
 * the response object routes it through the registered interceptors.
 */
export interface ResponseSeam {
  /**
   * Registers an interceptor for this response.
   *
   * @throws Error when the response head has already started out.
   */
  intercept(interceptor: ResponseInterceptor): void
  /** How many interceptors are registered: a retry marks before an attempt... */
  mark(): number
  /** ...and rewinds to the mark after a failed one, dropping what that attempt registered. */
  rewind(mark: number): void
}

/**
 * An interceptor that sees (and may change) the head, and passes the body on untouched.
 *
 * @example
 * const served = onResponseHead((head) => { head.headers['x-served-by'] = 'junction' })
 * ctx.response.intercept(served)
 */
export function onResponseHead(change: (head: ResponseHead) => void): ResponseInterceptor {
  return (downstream) => ({
    head(head) {
      change(head)
      downstream.head(head)
    },
    write: (chunk) => downstream.write(chunk),
    end: () => downstream.end(),
  })
}

/**
 * An interceptor that runs the body through a stream chosen from the head
 * (a compressor, say), with back-pressure both ways. `choose` may change the
 * head (drop `content-length`, set `content-encoding`) and returns undefined
 * to leave this response's body alone.
 *
 * @example
 * ctx.response.intercept(transformBody((head) => {
 *   delete head.headers['content-length']
 *   head.headers['content-encoding'] = 'gzip'
 *   return createGzip()
 * }))
 */
export function transformBody(choose: (head: ResponseHead) => Duplex | undefined): ResponseInterceptor {
  return (downstream, control) => {
    let stream: Duplex | undefined
    return {
      head(head) {
        stream = choose(head)
        downstream.head(head)
        if (stream === undefined) return
        const through = stream
        through.on('data', (chunk: Buffer) => {
          if (!downstream.write(chunk)) {
            through.pause()
            control.onDrain(() => through.resume())
          }
        })
        through.once('end', () => downstream.end())
        through.on('drain', () => control.drained())
        through.once('error', (error: Error) => control.abort(error))
      },
      write: (chunk) => (stream === undefined ? downstream.write(chunk) : stream.write(chunk)),
      end: () => (stream === undefined ? downstream.end() : stream.end()),
    }
  }
}
