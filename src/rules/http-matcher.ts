import type { IncomingHttpHeaders } from 'node:http'
import { clientIpMatcher } from './client-ip.ts'
import { parseRule, type MatcherName, type MatcherNode, type RuleNode } from './parser.ts'
import { rulePriority } from './priority.ts'
import { compileRegexp, type LinearRegexp } from './regexp.ts'
import { ruleError } from './rule-error.ts'
import { canonicalRulePath, routingPath } from './sanitize-path.ts'

/** What a rule sees of a request; the engine builds it once per request. */
export interface RouteRequest {
  /** Lower-cased, without port or trailing dot: see {@link normaliseHost}. */
  readonly host: string
  /** The sanitised path (see `sanitizePath`), without the query. */
  readonly path: string
  readonly method: string
  readonly headers: IncomingHttpHeaders
  /** Parsed on first use and cached by the caller: most rules never look at the query. */
  readonly query: () => URLSearchParams
  /** The socket's address; IPv4-mapped IPv6 is accepted. */
  readonly clientIp: string
}

/** A rule ready for the request path. */
export interface CompiledRule {
  match(req: RouteRequest): boolean
  /** The explicit priority when above 0, else the rule's length. */
  readonly priority: number
  /**
   * The exact hosts one of which every match requires (normalised), or null
   * when the rule can match some other host. The engine indexes by it.
   */
  readonly hosts: readonly string[] | null
}

type Predicate = (req: RouteRequest) => boolean
type Builder = (node: MatcherNode, rule: string) => Predicate

const builders: Readonly<Record<MatcherName, Builder>> = {
  Host: host,
  HostRegexp: (node, rule) => regexpOn(node, rule, 0, true, (re) => (req) => re.test(req.host)),
  Path: (node, rule) => {
    const path = canonicalRulePath(pathArgument(node, rule))
    return (req) => req.path === path
  },
  PathPrefix: (node, rule) => {
    const prefix = canonicalRulePath(pathArgument(node, rule))
    return (req) => hasPrefix(req.path, prefix)
  },
  PathRegexp: (node, rule) => regexpOn(node, rule, 0, false, (re) => (req) => re.test(routingPath(req.path))),
  Method: (node) => {
    const method = arg(node, 0).toUpperCase()
    return (req) => req.method === method
  },
  Header: (node) => {
    const name = arg(node, 0).toLowerCase()
    const value = arg(node, 1)
    const equals = (v: string): boolean => v === value
    return (req) => headerMatches(req.headers[name], equals)
  },
  HeaderRegexp: (node, rule) => {
    const name = arg(node, 0).toLowerCase()
    return regexpOn(node, rule, 1, false, (re) => {
      const test = (v: string): boolean => re.test(v)
      return (req) => headerMatches(req.headers[name], test)
    })
  },
  Query: (node) => {
    const key = arg(node, 0)
    const value = node.args[1]
    if (value === undefined) return (req) => req.query().has(key)
    return (req) => req.query().has(key, value)
  },
  QueryRegexp: (node, rule) => {
    const key = arg(node, 0)
    return regexpOn(node, rule, 1, false, (re) => {
      const test = (v: string): boolean => re.test(v)
      return (req) => req.query().getAll(key).some(test)
    })
  },
  ClientIP: (node, rule) => {
    const contains = clientIpMatcher(arg(node, 0))
    if (contains === null) throw valueError(node, rule, 0, 'is not an IP or CIDR')
    return (req) => contains(req.clientIp)
  },
}

/**
 * Compiles a rule in Traefik v3's syntax into a predicate over a request.
 * Matching allocates nothing, except the query, parsed on first use.
 *
 * @throws JunctionError `JCT_ERR_RULE_SYNTAX` saying where the rule is wrong.
 * @example
 * const rule = compileHttpRule('Host(`api.test`) && PathPrefix(`/v1`)')
 * rule.hosts // ['api.test']
 */
export function compileHttpRule(rule: string, priority?: number): CompiledRule {
  const tree = parseRule(rule)
  return { match: compile(tree, rule), priority: rulePriority(rule, priority), hosts: hostsOf(tree, false) }
}

/**
 * The host a request is routed by: lower-cased, without `:port` (IPv6
 * `[::1]:80` gives `::1`) and without a trailing dot. A header Junction
 * cannot split is kept whole, as Traefik keeps it.
 */
export function normaliseHost(hostHeader: string): string {
  let host = hostHeader
  if (host.charCodeAt(0) === 0x5b) {
    const end = host.indexOf(']')
    if (end !== -1 && (end === host.length - 1 || host.charCodeAt(end + 1) === 0x3a)) host = host.slice(1, end)
  } else {
    const colon = host.indexOf(':')
    if (colon !== -1 && host.indexOf(':', colon + 1) === -1) host = host.slice(0, colon)
  }
  if (host.charCodeAt(host.length - 1) === 0x2e) host = host.slice(0, -1)
  return host.toLowerCase()
}

function compile(node: RuleNode, rule: string): Predicate {
  switch (node.kind) {
    case 'and': {
      const left = compile(node.left, rule)
      const right = compile(node.right, rule)
      return (req) => left(req) && right(req)
    }
    case 'or': {
      const left = compile(node.left, rule)
      const right = compile(node.right, rule)
      return (req) => left(req) || right(req)
    }
    case 'not': {
      const operand = compile(node.operand, rule)
      return (req) => !operand(req)
    }
    case 'matcher':
      return builders[node.name](node, rule)
  }
}

/**
 * The finite set of hosts every match needs, walking the tree with the
 * negations pushed down (De Morgan): `and` keeps the hosts both sides allow,
 * `or` needs both sides bounded, a negated matcher bounds nothing.
 */
function hostsOf(node: RuleNode, negated: boolean): string[] | null {
  if (node.kind === 'not') return hostsOf(node.operand, !negated)
  if (node.kind === 'matcher') return node.name === 'Host' && !negated ? [normaliseHost(arg(node, 0))] : null
  const left = hostsOf(node.left, negated)
  const right = hostsOf(node.right, negated)
  const conjunction = (node.kind === 'and') !== negated
  if (conjunction) {
    if (left === null || right === null) return left ?? right
    return left.filter((h, i) => right.includes(h) && left.indexOf(h) === i)
  }
  if (left === null || right === null) return null
  return [...new Set([...left, ...right])]
}

function host(node: MatcherNode, rule: string): Predicate {
  const value = arg(node, 0)
  // Traefik refuses non-ASCII hosts: the wire carries punycode, never Unicode.
  if (!isAscii(value)) throw valueError(node, rule, 0, 'has non-ASCII characters (use the punycode form)')
  const wanted = normaliseHost(value)
  if (wanted === '') throw valueError(node, rule, 0, 'has no host name')
  return (req) => req.host === wanted
}

function pathArgument(node: MatcherNode, rule: string): string {
  const value = arg(node, 0)
  if (!value.startsWith('/')) throw valueError(node, rule, 0, 'does not start with "/"')
  return value
}

function regexpOn(node: MatcherNode, rule: string, index: number, isHost: boolean, build: (re: LinearRegexp) => Predicate): Predicate {
  const pattern = arg(node, index)
  if (isHost && !isAscii(pattern)) throw valueError(node, rule, index, 'has non-ASCII characters (use the punycode form)')
  try {
    // Hosts reach the matcher lower-cased; case-insensitivity keeps `Example\.com` meaningful.
    return build(compileRegexp(pattern, { ignoreCase: isHost }))
  } catch (error) {
    const column = node.argColumns[index] ?? node.column
    throw ruleError(rule, column, `${node.name} value is not a valid regexp`, (error as Error).message, error)
  }
}

function headerMatches(value: string | string[] | undefined, test: (v: string) => boolean): boolean {
  if (value === undefined) return false
  if (typeof value === 'string') return test(value)
  return value.some(test)
}

/** `startsWith` runs an IsRegExp check per call; this loop is twice as fast on the hot path. */
function hasPrefix(value: string, prefix: string): boolean {
  if (value.length < prefix.length) return false
  for (let i = 0; i < prefix.length; i++) if (value.charCodeAt(i) !== prefix.charCodeAt(i)) return false
  return true
}

function valueError(node: MatcherNode, rule: string, index: number, problem: string): Error {
  const value = arg(node, index)
  return ruleError(rule, node.argColumns[index] ?? node.column, `${node.name} value ${JSON.stringify(value)} ${problem}`)
}

function arg(node: MatcherNode, index: number): string {
  return node.args[index] as string
}

function isAscii(value: string): boolean {
  return /^[\x00-\x7f]*$/.test(value)
}
