import { routingPath } from './sanitize-path.ts'
import {
  arg,
  clientIpIn,
  headerMatches,
  hostIs,
  methodIs,
  pathIs,
  pathStartsWith,
  regexpArg,
  type HttpMatcher,
  type HttpNode,
} from './http-predicates.ts'
import type { Predicate } from './http-request.ts'
import { matcherTable, type MatcherTable } from './matcher-table.ts'

/**
 * The HTTP matchers of Traefik v3's default rule syntax. Regexps are Go
 * regexps, unanchored unless they anchor themselves.
 *
 * @example
 * parseRule('Host(`a.test`) && PathPrefix(`/api`)', httpMatchersV3)
 */
export const httpMatchersV3: MatcherTable<HttpMatcher> = matcherTable<HttpMatcher>([
  { name: 'Host', arity: [1], args: ['host'], build: (node) => hostIs(arg(node, 0)) },
  { name: 'HostRegexp', arity: [1], args: ['hostPattern'], build: hostRegexp },
  { name: 'Path', arity: [1], args: ['path'], build: (node) => pathIs(arg(node, 0)) },
  { name: 'PathPrefix', arity: [1], args: ['path'], build: (node) => pathStartsWith(arg(node, 0)) },
  { name: 'PathRegexp', arity: [1], args: ['regexp'], build: pathRegexp },
  { name: 'Method', arity: [1], args: ['text'], build: (node) => methodIs(arg(node, 0)) },
  { name: 'Header', arity: [2], args: ['text', 'text'], build: header },
  { name: 'HeaderRegexp', arity: [2], args: ['text', 'regexp'], build: headerRegexp },
  { name: 'Query', arity: [1, 2], args: ['text', 'text'], build: query },
  { name: 'QueryRegexp', arity: [2], args: ['text', 'regexp'], build: queryRegexp },
  { name: 'ClientIP', arity: [1], args: ['ip'], build: (node, rule) => clientIpIn(node, rule, 0) },
])

function hostRegexp(node: HttpNode, rule: string): Predicate {
  const re = regexpArg(node, rule, 0)
  return (req) => re.test(req.host)
}

/** Matched against the path with its non-reserved characters decoded, as Traefik does. */
function pathRegexp(node: HttpNode, rule: string): Predicate {
  const re = regexpArg(node, rule, 0)
  return (req) => re.test(routingPath(req.path))
}

function header(node: HttpNode): Predicate {
  const name = arg(node, 0).toLowerCase()
  const value = arg(node, 1)
  const equals = (v: string): boolean => v === value
  return (req) => headerMatches(req.headers[name], equals)
}

function headerRegexp(node: HttpNode, rule: string): Predicate {
  const name = arg(node, 0).toLowerCase()
  const re = regexpArg(node, rule, 1)
  const test = (v: string): boolean => re.test(v)
  return (req) => headerMatches(req.headers[name], test)
}

function query(node: HttpNode): Predicate {
  const key = arg(node, 0)
  const value = node.args[1]
  if (value === undefined) return (req) => req.query().has(key)
  return (req) => req.query().has(key, value)
}

function queryRegexp(node: HttpNode, rule: string): Predicate {
  const key = arg(node, 0)
  const re = regexpArg(node, rule, 1)
  const test = (v: string): boolean => re.test(v)
  return (req) => req.query().getAll(key).some(test)
}
