import { clientIpMatcher } from './client-ip.ts'
import { normaliseHost, type Predicate } from './http-request.ts'
import { argKind, type MatcherSpec } from './matcher-table.ts'
import type { MatcherNode } from './parser.ts'
import { compileRegexp, type LinearRegexp } from './regexp.ts'
import { ruleError } from './rule-error.ts'
import { canonicalRulePath } from './sanitize-path.ts'

/** An HTTP matcher: its entry in a dialect's table and how one call of it compiles. */
export interface HttpMatcher extends MatcherSpec {
  /** Builds the predicate; the arguments have passed {@link checkArgs}. */
  readonly build: (node: HttpNode, rule: string) => Predicate
}

/** A parsed call of an HTTP matcher. */
export type HttpNode = MatcherNode<HttpMatcher>

const never: Predicate = () => false

/**
 * Checks what every dialect checks the same way, by argument kind: hosts
 * and host patterns are ASCII (Traefik refuses Unicode: the wire carries
 * punycode), a host is not empty once normalised, a path starts with `/`.
 */
export function checkArgs(node: HttpNode, rule: string): void {
  node.args.forEach((value, index) => {
    const kind = argKind(node.matcher, index)
    if ((kind === 'host' || kind === 'hostPattern') && !/^[\x00-\x7f]*$/.test(value)) {
      throw valueError(node, rule, index, 'has non-ASCII characters (use the punycode form)')
    }
    if (kind === 'host' && normaliseHost(value) === '') throw valueError(node, rule, index, 'has no host name')
    if (kind === 'path' && !value.startsWith('/')) throw valueError(node, rule, index, 'does not start with "/"')
  })
}

/** Argument `index` of a call, which the parser guarantees exists. */
export function arg(node: HttpNode, index: number): string {
  return node.args[index] as string
}

/** A `JCT_ERR_RULE_SYNTAX` error about argument `index`, at its column. */
export function valueError(node: HttpNode, rule: string, index: number, problem: string): Error {
  return ruleError(rule, node.argColumns[index] ?? node.column, `${node.name} value ${JSON.stringify(arg(node, index))} ${problem}`)
}

/**
 * Compiles argument `index` (or `pattern`, built from it) as a Go regexp on
 * the linear engine; a host pattern matches case-insensitively.
 *
 * @throws JunctionError `JCT_ERR_RULE_SYNTAX` at the argument's column.
 * @example
 * regexpArg(node, rule, 1).test('application/json') // for HeaderRegexp(`Content-Type`, `json$`)
 */
export function regexpArg(node: HttpNode, rule: string, index: number, pattern = arg(node, index)): LinearRegexp {
  try {
    // Hosts reach the matcher lower-cased; case-insensitivity keeps `Example\.com` meaningful.
    return compileRegexp(pattern, { ignoreCase: argKind(node.matcher, index) === 'hostPattern' })
  } catch (error) {
    const column = node.argColumns[index] ?? node.column
    throw ruleError(rule, column, `${node.name} value is not a valid regexp`, (error as Error).message, error)
  }
}

/**
 * The request's host is this host, both normalised (case, port, trailing dot).
 *
 * @example
 * hostIs('API.test:443')(req) // true for Host: api.test
 */
export function hostIs(value: string): Predicate {
  const wanted = normaliseHost(value)
  return (req) => req.host === wanted
}

/**
 * The sanitised request path is this path, compared in encoded form so that
 * `/foo bar` matches `/foo%20bar` without decoding per request.
 *
 * @example
 * pathIs('/api')(req) // true for /api and /%61pi, false for /api/
 */
export function pathIs(value: string): Predicate {
  const path = canonicalRulePath(value)
  return (req) => req.path === path
}

/**
 * The sanitised request path starts with this path (a plain string prefix,
 * as in Traefik: `/api` takes `/apifoo`).
 *
 * @example
 * pathStartsWith('/api')(req) // true for /api/users
 */
export function pathStartsWith(value: string): Predicate {
  const prefix = canonicalRulePath(value)
  return (req) => hasPrefix(req.path, prefix)
}

/**
 * The rule's method is upper-cased; the request's is compared as sent, as Go does.
 *
 * @example
 * methodIs('post')(req) // true for POST, false for post
 */
export function methodIs(value: string): Predicate {
  const method = value.toUpperCase()
  return (req) => req.method === method
}

/**
 * The client address is argument `index` (an IP) or inside it (a CIDR).
 *
 * @throws JunctionError `JCT_ERR_RULE_SYNTAX` when the argument is neither.
 * @example
 * clientIpIn(node, rule, 0) // for ClientIP(`10.0.0.0/8`)
 */
export function clientIpIn(node: HttpNode, rule: string, index: number): Predicate {
  const contains = clientIpMatcher(arg(node, index))
  if (contains === null) throw valueError(node, rule, index, 'is not an IP or CIDR')
  return (req) => contains(req.clientIp)
}

/** Whether a header (absent, one value, or several) has a value that passes. */
export function headerMatches(value: string | string[] | undefined, test: (v: string) => boolean): boolean {
  if (value === undefined) return false
  if (typeof value === 'string') return test(value)
  return value.some(test)
}

/** True when one of the predicates is; a single predicate comes back as it is. */
export function anyOf(predicates: readonly Predicate[]): Predicate {
  if (predicates.length === 1) return predicates[0] as Predicate
  if (predicates.length === 0) return never
  return (req) => {
    for (const predicate of predicates) if (predicate(req)) return true
    return false
  }
}

/** True when every predicate is; a single predicate comes back as it is. */
export function allOf(predicates: readonly Predicate[]): Predicate {
  if (predicates.length === 1) return predicates[0] as Predicate
  return (req) => {
    for (const predicate of predicates) if (!predicate(req)) return false
    return true
  }
}

/** `startsWith` runs an IsRegExp check per call; this loop is twice as fast on the hot path. */
function hasPrefix(value: string, prefix: string): boolean {
  if (value.length < prefix.length) return false
  for (let i = 0; i < prefix.length; i++) if (value.charCodeAt(i) !== prefix.charCodeAt(i)) return false
  return true
}
