import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http'
import { isForwardedHeader } from './forwarded-headers.ts'

/** Response headers as Node's and undici's parsers both deliver them: lowercased names. */
export type ParsedHeaders = Readonly<Record<string, string | string[] | undefined>>

/**
 * Connection-specific fields (RFC 9110 §7.6.1) plus the legacy ones proxies
 * still meet (Keep-Alive, Proxy-Connection). They describe one hop and must
 * never be relayed to the next.
 */
const hopByHop: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
])

/**
 * The option a Connection value holds when it is only `keep-alive`,
 * `close` or `upgrade` (any case), else undefined. Nearly every client
 * and server sends one of the first two, and every upgrade the third: the
 * spellings seen in practice cost a comparison, no allocation.
 */
function soleOption(value: string): 'keep-alive' | 'close' | 'upgrade' | undefined {
  if (value === 'keep-alive' || value === 'Keep-Alive') return 'keep-alive'
  if (value === 'close' || value === 'Close') return 'close'
  if (value === 'Upgrade' || value === 'upgrade') return 'upgrade'
  if (value.length !== 10 && value.length !== 5 && value.length !== 7) return undefined
  const lower = value.toLowerCase()
  return lower === 'keep-alive' || lower === 'close' || lower === 'upgrade' ? lower : undefined
}

/**
 * The field names a Connection header lists, beyond the hop-by-hop ones every
 * proxy removes anyway, or undefined when it lists none.
 */
function listedFields(value: string | string[] | number | undefined): Set<string> | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'string' && soleOption(value) !== undefined) return undefined
  return new Set(connectionTokens(value))
}

/** The lowercased field names a Connection header lists (`keep-alive, X-Foo` → `keep-alive`, `x-foo`). */
export function connectionTokens(value: string | string[] | number | undefined): string[] {
  if (value === undefined) return []
  const text = Array.isArray(value) ? value.join(',') : String(value)
  const tokens: string[] = []
  for (const part of text.split(',')) {
    const token = part.trim().toLowerCase()
    if (token !== '') tokens.push(token)
  }
  return tokens
}

/**
 * `forwardedHeaders.connection`: the names (lowercased) a client's
 * Connection header may list without their header being removed before
 * routing, each with the spelling Connection then carries (Go's canonical
 * form, as Traefik writes it: `x-debug` → `X-Debug`).
 */
export type ConnectionKept = ReadonlyMap<string, string>

/** Builds {@link ConnectionKept} from the configured names. */
export function connectionKept(names: readonly string[]): ConnectionKept {
  return new Map(names.map((name) => [name.toLowerCase(), canonicalHeaderKey(name)]))
}

/**
 * Fields a Connection option never removes at the entry point: Go's server
 * keeps Host outside its header map and frames the body from its own
 * reading of Content-Length and Transfer-Encoding, so in Traefik listing
 * them changes nothing the request carries to the server.
 */
const messageFields: ReadonlySet<string> = new Set(['host', 'content-length', 'transfer-encoding'])

/**
 * Applies the client's Connection options to the request as soon as the
 * entry point has it, before routing, as Traefik's entry point does
 * (RFC 9110 §7.6.1): each header Connection lists is removed, so no rule or
 * middleware sees it, and a header a middleware sets later reaches the
 * server even if the client listed its name. Then Connection itself goes,
 * unless something below stays listed in it.
 *
 * Never removed: the X-Forwarded family and X-Real-Ip (a client must not
 * strip what the proxy vouches for; they are not listed again either), the
 * fields in `messageFields`, and the names in `kept`, which stay and stay
 * listed, so the forwarder removes them after the middlewares. An upgrade
 * keeps its Upgrade header, listed last.
 *
 * A removed header keeps its name with an undefined value, which every
 * reader (rules, middlewares, the forwarder) takes as absent: deleting a
 * property would turn the headers object into a slow dictionary for the
 * rest of the request. `Connection: keep-alive` or `close` alone, what
 * nearly every client sends, allocates nothing.
 */
export function applyConnectionOptions(headers: IncomingHttpHeaders, kept: ConnectionKept): void {
  const value = headers.connection
  if (value === undefined) return
  const sole = soleOption(value)
  if ((sole === 'keep-alive' || sole === 'close') && (kept.size === 0 || !kept.has(sole))) {
    headers.connection = undefined
    if (headers[sole] !== undefined) headers[sole] = undefined
    return
  }
  const upgrade = headers.upgrade
  let upgrading = false
  let listed: string | undefined
  for (const token of connectionTokens(value)) {
    if (token === 'upgrade') upgrading = true
    if (isForwardedHeader(token)) continue
    const name = kept.get(token)
    if (name !== undefined) listed = listed === undefined ? name : `${listed},${name}`
    else if (!messageFields.has(token) && isHeaderValue(headers[token])) headers[token] = undefined
  }
  if (upgrading && upgrade) {
    headers.upgrade = upgrade
    listed = listed === undefined ? 'Upgrade' : `${listed},Upgrade`
  }
  headers.connection = listed
}

/** A header's own value, never an inherited property a token could name (`constructor`). */
function isHeaderValue(value: unknown): boolean {
  return typeof value === 'string' || Array.isArray(value)
}

/**
 * Go's `http.CanonicalHeaderKey`: each dash-separated word capitalised
 * (`x-debug` → `X-Debug`); a name with a character no header name may hold
 * is left as it is.
 */
export function canonicalHeaderKey(name: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return name
  let out = ''
  let upper = true
  for (const char of name) {
    out += upper ? char.toUpperCase() : char.toLowerCase()
    upper = char === '-'
  }
  return out
}

/**
 * A copy of request headers fit for the next hop, as Go's reverse proxy
 * makes it: hop-by-hop fields and every field the request's Connection
 * header lists are gone, except names `keep` protects. By now Connection is
 * what the entry point left of the client's (see
 * {@link applyConnectionOptions}: the `forwardedHeaders.connection` names
 * and Upgrade), or one a middleware set. For an upgrade, Upgrade survives
 * and Connection becomes exactly `upgrade`. A TE that names `trailers`
 * reaches the server as `TE: trailers` (the one TE value HTTP/2 allows;
 * gRPC servers require it), the rest of it goes.
 *
 * Also drops `expect` (the entry point already answered `100 Continue`, and a
 * second one from the server would reach nobody) and HTTP/2 pseudo-headers.
 */
export function requestHeadersForNextHop(
  headers: IncomingHttpHeaders,
  upgrade: boolean,
  keep: (name: string) => boolean,
): Record<string, string | string[]> {
  const listed = listedFields(headers.connection)
  const out: Record<string, string | string[]> = {}
  for (const name in headers) {
    const value = headers[name]
    if (value === undefined || name === 'expect' || name.charCodeAt(0) === 58 /* ':' */) continue
    if (hopByHop.has(name)) {
      if (name === 'te' && connectionTokens(value).includes('trailers')) out['te'] = 'trailers'
      continue
    }
    if (listed !== undefined && listed.has(name) && !keep(name)) continue
    out[name] = value
  }
  if (upgrade && headers.upgrade !== undefined) {
    out['upgrade'] = headers.upgrade
    out['connection'] = 'upgrade'
  }
  return out
}

/**
 * A copy of response headers fit for the client: hop-by-hop fields and those
 * the server's Connection header lists removed. The client connection gets its
 * own framing (Transfer-Encoding) and keep-alive from Node. `Trailer`, the
 * announcement of trailer fields, stays: the trailers follow the body (the
 * caller drops it for a client connection that cannot carry them).
 */
export function responseHeadersForClient(headers: ParsedHeaders): OutgoingHttpHeaders {
  const listed = listedFields(headers['connection'])
  const out: OutgoingHttpHeaders = {}
  for (const name in headers) {
    const value = headers[name]
    if (value === undefined || (hopByHop.has(name) && name !== 'trailer') || listed?.has(name) === true) continue
    out[name] = value
  }
  return out
}

/**
 * Fields that never travel as trailers: hop-by-hop ones, and those Go's
 * HTTP library refuses to announce as trailers (`badTrailer`: framing,
 * routing, authentication, request modifiers and content handling, which a
 * recipient must know before the body; RFC 9110 §6.5.1).
 */
const notTrailers: ReadonlySet<string> = new Set([
  ...hopByHop,
  'authorization',
  'cache-control',
  'content-encoding',
  'content-length',
  'content-range',
  'content-type',
  'expect',
  'host',
  'max-forwards',
  'pragma',
  'range',
  'realm',
  'www-authenticate',
])

/**
 * The trailer fields (after a request's or a response's body) fit to pass
 * on, or undefined when none is. Besides {@link notTrailers}, the forwarded
 * headers go (a client must not restate what the proxy vouched for, after
 * routing and middlewares ran on the head), and pseudo-headers.
 *
 * @example
 * trailerFields({ 'grpc-status': '0', 'content-length': '5' }) // { 'grpc-status': '0' }
 */
export function trailerFields(trailers: ParsedHeaders): Record<string, string | string[]> | undefined {
  let out: Record<string, string | string[]> | undefined
  for (const name in trailers) {
    const value = trailers[name]
    if (value === undefined || notTrailers.has(name) || name === 'forwarded' || isForwardedHeader(name) || name.charCodeAt(0) === 58 /* ':' */) continue
    ;(out ??= {})[name] = value
  }
  return out
}
