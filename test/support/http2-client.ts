import { connect, type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2'
import type { Readable } from 'node:stream'

/** What one HTTP/2 stream received. */
export interface Http2Answer {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
  /** Trailers, or {} when none came. */
  readonly trailers: IncomingHttpHeaders
}

/** An HTTP/2 session over TLS to 127.0.0.1:`port`, trusting `ca`, with `servername` as SNI. */
export function connectHttp2(port: number, servername: string, ca: string): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connect(`https://127.0.0.1:${port}`, { ca, servername })
    session.once('connect', () => {
      session.off('error', reject)
      resolve(session)
    })
    session.once('error', reject)
  })
}

/**
 * One request on `session`: `headers` hold the pseudo-headers wanted
 * (`:path`, `:authority`...); `body` is written and ended, or piped when a
 * stream; `trailers` are sent after it.
 */
export function http2Request(
  session: ClientHttp2Session,
  headers: OutgoingHttpHeaders,
  body?: string | Readable,
  trailers?: OutgoingHttpHeaders,
): Promise<Http2Answer> {
  return new Promise((resolve, reject) => {
    const ends = body === undefined && trailers === undefined
    const stream = session.request(headers, { endStream: ends, waitForTrailers: trailers !== undefined })
    if (trailers !== undefined) stream.once('wantTrailers', () => stream.sendTrailers(trailers))
    let status = 0
    let received: IncomingHttpHeaders = {}
    let got: IncomingHttpHeaders = {}
    let text = ''
    stream.once('response', (head) => {
      status = Number(head[':status'])
      received = head
    })
    stream.once('trailers', (tail) => (got = tail))
    stream.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
    stream.once('end', () => resolve({ status, headers: received, body: text, trailers: Object.fromEntries(Object.entries(got)) }))
    stream.once('error', reject)
    if (typeof body === 'string') stream.end(body)
    else if (body !== undefined) body.pipe(stream)
    else if (!ends) stream.end()
  })
}
