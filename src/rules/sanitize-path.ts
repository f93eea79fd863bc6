/**
 * Characters a path may carry unencoded (RFC 3986 `pchar` plus `/`, and the
 * brackets Go leaves as they are); anything else is percent-encoded.
 */
const rawAllowed = new Uint8Array(128)
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/[]") rawAllowed[c.charCodeAt(0)] = 1

/** RFC 3986 §2.3: encoded unreserved characters mean the same as the characters. */
const unreserved = new Uint8Array(128)
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~') unreserved[c.charCodeAt(0)] = 1

/** Reserved characters (and `%`) stay encoded even in the routing path: decoding them changes the meaning. */
const reserved = new Uint8Array(128)
for (const c of ":/?#[]@!$&'()*+,;=%") reserved[c.charCodeAt(0)] = 1

/**
 * A path no step would change: non-empty segments of raw-allowed characters,
 * none of them `.` or `..`. Most requests take this way out.
 */
const cleanPath = /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9\-._~!$&'()*+,;=:@[\]]+)*\/?$/

/**
 * Normalises a request path before routing, as Traefik's `normalizePath` and
 * `sanitizePath` do together: encoded unreserved characters are decoded
 * (so `%2e` is a dot and `/public/%2e%2e/admin` becomes `/admin`), other
 * encodings are upper-cased but kept (`%2f` stays an encoded `%2F`), bytes
 * that may not appear raw are encoded, `.` and `..` segments are resolved
 * (never above the root), duplicate slashes collapse, and a trailing slash
 * stays. A `?query`, if given, is kept as it is.
 *
 * Returns `*` for `*`, and null (the caller answers 400) for anything that is
 * not origin-form, for a malformed percent-encoding and for a raw `#`.
 * A clean path without a query comes back as the same string, unallocated.
 *
 * @example
 * sanitizePath('/a/./b/../%2E%2e/c//d/') // '/c/d/'
 */
export function sanitizePath(rawPath: string): string | null {
  if (rawPath === '*') return rawPath
  if (rawPath.charCodeAt(0) !== 0x2f) return null
  const at = rawPath.indexOf('?')
  const path = at === -1 ? rawPath : rawPath.slice(0, at)
  if (cleanPath.test(path)) return rawPath
  const encoded = normaliseEncoding(path, true)
  if (encoded === null) return null
  const clean = removeDotSegments(encoded)
  return at === -1 ? clean : clean + rawPath.slice(at)
}

/**
 * The form a `Path` or `PathPrefix` argument is compared in: the encoding of
 * a sanitised request path. `Path(\`/foo bar\`)` thus matches `/foo%20bar`,
 * as in Traefik, without decoding anything per request.
 */
export function canonicalRulePath(value: string): string {
  return normaliseEncoding(value, false) ?? value
}

/**
 * The path `PathRegexp` is matched against, as in Traefik: a sanitised path
 * with its encoded non-reserved characters decoded (`%20` is a space, UTF-8
 * sequences become their characters), reserved ones still encoded.
 */
export function routingPath(path: string): string {
  if (!path.includes('%')) return path
  let out = ''
  let run = ''
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i)
    const code = c === 0x25 ? Number.parseInt(path.slice(i + 1, i + 3), 16) : -1
    if (code >= 0 && !(code < 0x80 && reserved[code] === 1)) {
      run += path.slice(i, i + 3)
      i += 2
      continue
    }
    out += decodeRun(run) + path[i]
    run = ''
  }
  return out + decodeRun(run)
}

/**
 * How many characters of a sanitised path make up its first `length`
 * characters in {@link routingPath}'s form: what a prefix matched on the
 * routing form (`stripPrefixRegex`) covers of the path itself. Walks the
 * path as `routingPath` decodes it (a run of encoded non-reserved bytes
 * counts as the characters it decodes to, a run that is not UTF-8 and an
 * encoded reserved character as written). Returns -1 when `length` falls
 * inside one decoded character or one encoding left as it is.
 *
 * @example
 * escapedPrefixLength('/caf%C3%A9/x', 5) // 10: `/café` is `/caf%C3%A9`
 */
export function escapedPrefixLength(path: string, length: number): number {
  let decoded = 0
  let i = 0
  while (decoded < length && i < path.length) {
    const code = path.charCodeAt(i) === 0x25 ? Number.parseInt(path.slice(i + 1, i + 3), 16) : -1
    if (code < 0) {
      decoded++
      i++
      continue
    }
    if (code < 0x80 && reserved[code] === 1) {
      // Stays encoded: three characters that only go together.
      if (length - decoded < 3) return -1
      decoded += 3
      i += 3
      continue
    }
    let end = i
    while (end < path.length && path.charCodeAt(end) === 0x25) {
      const next = Number.parseInt(path.slice(end + 1, end + 3), 16)
      if (next < 0x80 && reserved[next] === 1) break
      end += 3
    }
    const run = path.slice(i, end)
    if (decodeRun(run) === run) {
      // Not UTF-8: routingPath leaves the whole run encoded, three characters a byte.
      const take = Math.min(run.length, length - decoded)
      if (take % 3 !== 0) return -1
      decoded += take
      i += take
      continue
    }
    for (const char of decodeRun(run)) {
      if (decoded >= length) break
      decoded += char.length
      i += 3 * Buffer.byteLength(char)
    }
  }
  return decoded === length ? i : -1
}

function decodeRun(run: string): string {
  if (run === '') return ''
  try {
    return decodeURIComponent(run)
  } catch {
    return run // not UTF-8: leave the bytes encoded
  }
}

/**
 * A path's encoding as a request path is normalised ({@link sanitizePath}
 * without resolving dot segments): encoded unreserved characters decoded
 * (`%2e` is a dot), other encodings upper-cased, bytes that may not appear
 * raw encoded. Null for a malformed percent-encoding or a raw `#`.
 *
 * @example
 * normalisePathEncoding('/a%2e%2fb c') // '/a.%2Fb%20c'
 */
export function normalisePathEncoding(path: string): string | null {
  return normaliseEncoding(path, true)
}

/**
 * Decodes encoded unreserved characters, upper-cases other encodings and
 * encodes what may not appear raw. `strict` (request paths) refuses a `%`
 * without two hex digits and a raw `#`; otherwise (rule values) they are
 * encoded.
 */
function normaliseEncoding(path: string, strict: boolean): string | null {
  let out = ''
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i)
    if (c === 0x25) {
      const hex = path.slice(i + 1, i + 3)
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        const code = Number.parseInt(hex, 16)
        out += code < 0x80 && unreserved[code] === 1 ? String.fromCharCode(code) : `%${hex.toUpperCase()}`
        i += 2
        continue
      }
      if (strict) return null
      out += '%25'
    } else if (c < 0x80 && rawAllowed[c] === 1) {
      out += path[i]
    } else if (c === 0x23 && strict) {
      return null // a fragment has no place in a request target; Traefik answers 400 too
    } else {
      const encoded = encodeCodePoint(path, i)
      if (encoded === null) return strict ? null : out + path.slice(i)
      out += encoded
      if (c >= 0xd800 && c <= 0xdbff) i++
    }
  }
  return out
}

function encodeCodePoint(path: string, at: number): string | null {
  const point = path.codePointAt(at) as number
  try {
    return encodeURIComponent(String.fromCodePoint(point))
  } catch {
    return null // a lone surrogate has no UTF-8 form
  }
}

/** Go's `path.Clean` on an absolute path, keeping one trailing slash as `URL.JoinPath` does. */
function removeDotSegments(path: string): string {
  const kept: string[] = []
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') kept.pop()
    else kept.push(segment)
  }
  const clean = `/${kept.join('/')}`
  return path.endsWith('/') && clean !== '/' ? `${clean}/` : clean
}
