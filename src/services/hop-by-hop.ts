import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http'

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
 * The field names a Connection header lists, beyond the hop-by-hop ones every
 * proxy removes anyway, or undefined when it lists none: `keep-alive` and
 * `close`, what nearly every client and server sends, cost no allocation.
 */
function listedFields(value: string | string[] | number | undefined): Set<string> | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'string') {
    const lower = value.length <= 10 ? value.toLowerCase() : ''
    if (lower === 'keep-alive' || lower === 'close') return undefined
  }
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
 * A copy of request headers fit for the next hop: hop-by-hop fields and every
 * field the client's Connection header lists are gone, except names `keep`
 * protects (the X-Forwarded-* family: a client must not be able to strip what
 * a middleware or Junction set, RFC 9110 §7.6.1 lets the proxy replace the
 * Connection options with its own). For an upgrade, Upgrade survives and
 * Connection becomes exactly `upgrade`.
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
    if (value === undefined || hopByHop.has(name) || name === 'expect' || name.charCodeAt(0) === 58 /* ':' */) continue
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
 * own framing (Transfer-Encoding) and keep-alive from Node.
 */
export function responseHeadersForClient(headers: ParsedHeaders): OutgoingHttpHeaders {
  const listed = listedFields(headers['connection'])
  const out: OutgoingHttpHeaders = {}
  for (const name in headers) {
    const value = headers[name]
    if (value === undefined || hopByHop.has(name) || listed?.has(name) === true) continue
    out[name] = value
  }
  return out
}
