import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { canonicalHeaderKey } from '../../../src/services/hop-by-hop.ts'

/** A response as Go's client would hand it to a Traefik test: header values per canonical name. */
export interface Received {
  readonly status: number
  /** Values per name in Go's canonical form (`Content-Type`), one entry per header line, in order. */
  readonly headers: Readonly<Record<string, readonly string[]>>
  readonly body: string
}

function headerMap(raw: readonly string[]): Record<string, string[]> {
  const headers: Record<string, string[]> = {}
  for (let i = 0; i < raw.length; i += 2) (headers[canonicalHeaderKey(raw[i]!)] ??= []).push(raw[i + 1]!)
  return headers
}

/**
 * One request on a new connection to 127.0.0.1:`port`. `headers` may give a
 * name several values (sent as several lines); `host` replaces the Host header.
 */
export function send(
  port: number,
  { method = 'GET', path = '/', host, headers = {} }: { method?: string; path?: string; host?: string; headers?: Record<string, string | string[]> } = {},
): Promise<Received> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent: false, setHost: host === undefined }, (res) => {
      let body = ''
      res.setEncoding('latin1').on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: headerMap(res.rawHeaders), body }))
      res.on('error', reject)
    })
    if (host !== undefined) req.setHeader('Host', host)
    for (const [name, value] of Object.entries(headers)) req.setHeader(name, value)
    req.on('error', reject).end()
  })
}

/**
 * Writes `bytes` as they are on a new connection and reads one response, as
 * Traefik's tests do with `net.Dial` and `http.ReadResponse`: for requests a
 * client library would refuse to send (absolute-form targets, fragments,
 * bare LF line ends).
 */
export function rawExchange(port: number, bytes: string): Promise<Received> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let data = Buffer.alloc(0)
    const settle = (closed: boolean): void => {
      const response = parseResponse(data, closed)
      if (response === undefined) {
        if (closed) reject(new Error(`connection closed before a whole response: ${JSON.stringify(data.toString('latin1'))}`))
        return
      }
      socket.destroy()
      resolve(response)
    }
    socket.on('connect', () => socket.write(bytes, 'latin1'))
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk])
      settle(false)
    })
    socket.on('end', () => settle(true))
    socket.on('error', reject)
  })
}

/** One HTTP/1.1 response from `data`, or undefined while it is incomplete. */
function parseResponse(data: Buffer, closed: boolean): Received | undefined {
  const end = data.indexOf('\r\n\r\n')
  if (end === -1) return undefined
  const [statusLine = '', ...lines] = data.subarray(0, end).toString('latin1').split('\r\n')
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)
  if (status === null) throw new Error(`not an HTTP/1.1 status line: ${JSON.stringify(statusLine)}`)
  const raw = lines.flatMap((line) => {
    const colon = line.indexOf(':')
    return [line.slice(0, colon), line.slice(colon + 1).trim()]
  })
  const headers = headerMap(raw)
  const rest = data.subarray(end + 4)
  const length = headers['Content-Length']?.[0]
  let body: Buffer | undefined
  if (headers['Transfer-Encoding']?.[0]?.toLowerCase() === 'chunked') body = dechunk(rest)
  else if (length !== undefined) body = rest.length >= Number(length) ? rest.subarray(0, Number(length)) : undefined
  else body = closed ? rest : undefined
  return body === undefined ? undefined : { status: Number(status[1]), headers, body: body.toString('latin1') }
}

/** The body of a complete chunked encoding, or undefined while the last chunk has not arrived. */
function dechunk(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = []
  let at = 0
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at)
    if (lineEnd === -1) return undefined
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16)
    if (size === 0) return Buffer.concat(parts)
    if (data.length < lineEnd + 2 + size + 2) return undefined
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size))
    at = lineEnd + 2 + size + 2
  }
}
