import { Http2ServerResponse } from 'node:http2'
import { withResponseSeam, wireGetter, type ResponseWire } from './exchange-response.ts'

const writeHead = Http2ServerResponse.prototype.writeHead as (this: unknown, status: number, headers?: unknown) => unknown

/**
 * The response object of every HTTP/2 exchange Junction serves (given to
 * the HTTP/2 server as its `Http2ServerResponse` class), with the same seam
 * as HTTP/1.1's {@link ExchangeResponse}. Writers use it as a
 * `ServerResponse`: HTTP/2 has no reason phrase (RFC 9113 §8.3.2), so one
 * given to `writeHead` or `statusMessage` is dropped here rather than
 * making Node warn, and `destroyed` says whether the stream is gone.
 */
export class Http2ExchangeResponse extends withResponseSeam(Http2ServerResponse, {
  writeHead(status, reason, headers) {
    return writeHead.call(this, status, typeof reason === 'string' ? headers : reason)
  },
  write: Http2ServerResponse.prototype.write as ResponseWire['write'],
  end: Http2ServerResponse.prototype.end as ResponseWire['end'],
  headersSent: wireGetter(Http2ServerResponse.prototype, 'headersSent'),
  statusText: () => undefined,
}) {}

// Accessors over what @types/node declares as plain properties.
Object.defineProperties(Http2ExchangeResponse.prototype, {
  statusMessage: { get: () => '', set: () => undefined },
  destroyed: {
    get(this: Http2ExchangeResponse) {
      return this.stream.destroyed
    },
  },
})
