import type { IncomingHttpHeaders } from 'node:http'

/**
 * `req.url` in its two parts: the path (normalised by the entry point, maybe
 * rewritten by a middleware; '' once `stripPrefix` took all of it) and the
 * query with its `?` ('' when there is none).
 *
 * @example
 * splitUrl('/api/users?x=1') // { path: '/api/users', query: '?x=1' }
 */
export function splitUrl(url: string | undefined): { path: string; query: string } {
  const raw = url ?? '/'
  const at = raw.indexOf('?')
  return at === -1 ? { path: raw, query: '' } : { path: raw.slice(0, at), query: raw.slice(at) }
}

/**
 * Adds a value to a request header, after any it already has, as Go's
 * `Header.Add` does for the headers Traefik's path middlewares set
 * (`X-Forwarded-Prefix`, `X-Replaced-Path`): the server receives one
 * header line per value. `name` is lower-case.
 */
export function appendHeader(headers: IncomingHttpHeaders, name: string, value: string): void {
  const current = headers[name]
  if (current === undefined) headers[name] = value
  else headers[name] = Array.isArray(current) ? [...current, value] : [current, value]
}

/**
 * The request target as Go's `URL.RequestURI` writes it: `req.url`, with
 * `/` for an empty path (what `stripPrefix` leaves of `/api`).
 *
 * @example
 * requestUri('?x=1') // '/?x=1'
 */
export function requestUri(url: string | undefined): string {
  const raw = url ?? '/'
  return raw === '' || raw.charCodeAt(0) === 0x3f /* ? */ ? `/${raw}` : raw
}

/** Characters a header value may hold as Node sends it (no control character but tab). */
const headerText = /^[\t\x20-\x7e\x80-\xff]*$/

/** Whether Node would send `value` as a header value rather than throw. */
export function isHeaderValue(value: string): boolean {
  return headerText.test(value)
}

const printableAscii = /^[\x20-\x7e]*$/

/** Whether `value` is printable ASCII: a header value every server reads the same way (no Latin-1 or UTF-8 guess). */
export function isPrintableAscii(value: string): boolean {
  return printableAscii.test(value)
}
