import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import type { ErrorCode } from '../errors.ts'

/**
 * Go's HTTP server reads at most `MaxHeaderBytes` plus 4096 bytes of a
 * request head (its read buffer's allowance) before it answers 431, and
 * Traefik's `http.maxHeaderBytes` is that `MaxHeaderBytes`. 0 means Go's
 * default, 1 MiB.
 *
 * @example
 * headLimit(4096) // 8192: a head of 8192 bytes passes, 8193 is answered 431
 */
export function headLimit(maxHeaderBytes: number): number {
  return (maxHeaderBytes > 0 ? maxHeaderBytes : 1 << 20) + 4096
}

/**
 * The bytes Go allows in a Host header (golang.org/x/net/http/httpguts,
 * ValidHostHeader): letters, digits and the URI characters a host, an IPv6
 * literal or a port can hold. Anything else (a space, `/`, `@`, a byte above
 * 0x7e) is a malformed Host, answered 400 before routing.
 */
const hostBytes = new Uint8Array(128)
for (const char of "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!$%&()*+,-.:;=[]_~'") hostBytes[char.charCodeAt(0)] = 1

function validHost(host: string): boolean {
  for (let i = 0; i < host.length; i++) {
    const code = host.charCodeAt(i)
    if (code > 127 || hostBytes[code] === 0) return false
  }
  return true
}

/** `Host` in any case, compared without allocating a lower-cased copy (it runs once per header line). */
function isHostName(name: string): boolean {
  return (
    name.length === 4 &&
    (name.charCodeAt(0) | 0x20) === 0x68 /* h */ &&
    (name.charCodeAt(1) | 0x20) === 0x6f /* o */ &&
    (name.charCodeAt(2) | 0x20) === 0x73 /* s */ &&
    (name.charCodeAt(3) | 0x20) === 0x74 /* t */
  )
}

/**
 * What Go's HTTP/1 server refuses before any handler runs, and Node lets
 * through: more than one Host header (Node keeps the first and drops the
 * rest, so a request could be routed by one Host and read by the server
 * behind by another), a Host with a byte Go does not allow, and a head
 * longer than `limit` as Go counts it (request line and every header line
 * with its `: ` and CRLF; Node's own parser, sized one byte above `limit`,
 * counts only the target, names and values). One pass over the raw header
 * list Node already holds; no allocation. A missing Host on HTTP/1.1 is
 * refused by Node itself, as by Go; an empty one is accepted by both.
 *
 * @example
 * headProblem(req, headLimit(1 << 20)) // undefined, or the code to answer with
 */
export function headProblem(req: IncomingMessage, limit: number): ErrorCode | undefined {
  const raw = req.rawHeaders
  // "METHOD SP target SP HTTP/1.1 CRLF", then the empty line closing the head.
  let bytes = (req.method?.length ?? 0) + (req.url?.length ?? 0) + 12 + 2
  let host: string | undefined
  let hosts = 0
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string
    const value = raw[i + 1] as string
    bytes += name.length + value.length + 4
    if (isHostName(name)) {
      hosts++
      host = value
    }
  }
  if (bytes > limit) return 'JCT_ERR_HEADERS_TOO_LARGE'
  if (hosts > 1 || (host !== undefined && !validHost(host))) return 'JCT_ERR_BAD_REQUEST'
  return undefined
}

/**
 * HTTP/2 carries the host in `:authority` (RFC 9113 §8.3.1), which rules,
 * middlewares and the server read as `Host`: it replaces a Host header the
 * client may also have sent (RFC 9113 forbids the two to differ), after the
 * check Go makes of a Host. Returns the code to answer with when it fails.
 */
export function hostFromAuthority(headers: IncomingHttpHeaders): ErrorCode | undefined {
  const authority = headers[':authority']
  if (typeof authority !== 'string') return undefined
  if (!validHost(authority)) return 'JCT_ERR_BAD_REQUEST'
  headers.host = authority
  return undefined
}

/**
 * The host of an absolute-form request target (`http://user@Host:8080/p`
 * gives `Host:8080`), as written: Go's server takes it as the request's
 * host and ignores the Host header (RFC 9112 §3.2.2).
 */
export function authorityOf(url: string): string {
  const start = url.indexOf('//') + 2
  const end = authorityEnd(url, start)
  const at = url.lastIndexOf('@', end - 1)
  return url.slice(at >= start ? at + 1 : start, end)
}

/** Where the authority of an absolute-form target that starts at `start` ends: its path, query or fragment. */
export function authorityEnd(url: string, start = url.indexOf('//') + 2): number {
  let end = start
  while (end < url.length) {
    const code = url.charCodeAt(end)
    if (code === 0x2f /* / */ || code === 0x3f /* ? */ || code === 0x23 /* # */) break
    end++
  }
  return end
}

/**
 * The query with its semicolons replaced, as Traefik's entry point does
 * before routing: `&` by default (Go's `http.AllowQuerySemicolons`, so
 * `a=1;b=2` is two parameters), `%3B` with `http.encodeQuerySemicolons`
 * (one parameter whose value holds a semicolon). `query` keeps its `?`.
 */
export function querySemicolons(query: string, encode: boolean): string {
  return query.includes(';') ? query.replaceAll(';', encode ? '%3B' : '&') : query
}

/** An Upgrade header that names WebSocket (`websocket`, or in a list), as Traefik tests it for X-Forwarded-Proto. */
export function upgradesToWebSocket(upgrade: string | undefined): boolean {
  if (upgrade === undefined) return false
  for (const token of upgrade.split(',')) {
    if (token.trim().toLowerCase() === 'websocket') return true
  }
  return false
}
