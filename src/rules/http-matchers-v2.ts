import {
  allOf,
  anyOf,
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
import { muxTemplate, type TemplateKind } from './mux-template.ts'
import type { LinearRegexp } from './regexp.ts'
import { ruleError } from './rule-error.ts'
import { routingPath } from './sanitize-path.ts'

const oneOrMore = { atLeast: 1 }
const pairs = { atLeast: 2, step: 2 }

/**
 * The HTTP matchers of Traefik v2's rule syntax, which Traefik v3 still reads
 * for a router with `ruleSyntax: v2` (pkg/muxer/http/matcher_v2.go). Most
 * take several arguments, any of which may match; `Headers` and
 * `HeadersRegexp` take name/value pairs, all of which must match. `HostRegexp`,
 * `Path`, `PathPrefix` and `Query` take gorilla/mux templates
 * (`{sub:[a-z]+}.example.com`), whose regexps run on the same linear engine.
 *
 * @example
 * parseRule('Host(`a.test`, `b.test`) && Path(`/users/{id:[0-9]+}`)', httpMatchersV2)
 */
export const httpMatchersV2: MatcherTable<HttpMatcher> = matcherTable<HttpMatcher>([
  { name: 'Host', arity: oneOrMore, args: ['host'], build: (node) => anyOf(node.args.map((host) => hostIs(host))) },
  { name: 'HostHeader', arity: oneOrMore, args: ['host'], build: (node) => anyOf(node.args.map((host) => hostIs(host))) },
  { name: 'HostRegexp', arity: oneOrMore, args: ['hostPattern'], build: hostRegexp },
  { name: 'Path', arity: oneOrMore, args: ['path'], build: (node, rule) => anyOf(node.args.map((_, i) => path(node, rule, i, 'path'))) },
  { name: 'PathPrefix', arity: oneOrMore, args: ['path'], build: (node, rule) => anyOf(node.args.map((_, i) => path(node, rule, i, 'pathPrefix'))) },
  { name: 'Method', arity: oneOrMore, args: ['text'], build: (node) => anyOf(node.args.map((method) => methodIs(method))) },
  { name: 'Headers', arity: pairs, args: ['text', 'text'], build: headers },
  { name: 'HeadersRegexp', arity: pairs, args: ['text', 'regexp'], build: headersRegexp },
  { name: 'Query', arity: oneOrMore, args: ['text'], build: query },
  { name: 'ClientIP', arity: oneOrMore, args: ['ip'], build: (node, rule) => anyOf(node.args.map((_, i) => clientIpIn(node, rule, i))) },
])

/** Matched case-insensitively against the host without its port, as mux does. */
function hostRegexp(node: HttpNode, rule: string): Predicate {
  return anyOf(node.args.map((template, i) => {
    const re = templateRegexp(node, rule, i, template, 'host')
    return (req) => re.test(req.host)
  }))
}

/** Without braces a template is the path itself, which the v3 matchers compare without a regexp. */
function path(node: HttpNode, rule: string, index: number, kind: 'path' | 'pathPrefix'): Predicate {
  const template = arg(node, index)
  if (!/[{}]/.test(template)) return kind === 'path' ? pathIs(template) : pathStartsWith(template)
  const re = templateRegexp(node, rule, index, template, kind)
  return (req) => re.test(routingPath(req.path))
}

/** mux keeps one value per header name given (Go map): a name given twice keeps its last value. */
function headers(node: HttpNode): Predicate {
  const wanted = new Map<string, string>()
  for (let i = 0; i < node.args.length; i += 2) wanted.set(arg(node, i), arg(node, i + 1))
  return allOf([...wanted].map(([name, value]) => {
    const key = name.toLowerCase()
    const equals = (v: string): boolean => v === value
    return (req) => headerMatches(req.headers[key], equals)
  }))
}

function headersRegexp(node: HttpNode, rule: string): Predicate {
  const wanted = new Map<string, LinearRegexp>()
  for (let i = 0; i < node.args.length; i += 2) wanted.set(arg(node, i), regexpArg(node, rule, i + 1))
  return allOf([...wanted].map(([name, re]) => {
    const key = name.toLowerCase()
    const test = (v: string): boolean => re.test(v)
    return (req) => headerMatches(req.headers[key], test)
  }))
}

/**
 * Each argument splits at its first `=`, and the pieces pair up in order
 * (Traefik flattens them into mux's `Queries(k1, v1, k2, v2…)`): `k=v`
 * tests the first value of `k`, and `k=` any value. A key without `=` is
 * only valid if the next piece can be its value: ``Query(`a`, `b`)`` means a=b.
 */
function query(node: HttpNode, rule: string): Predicate {
  const pieces = node.args.flatMap((value, index) => {
    const eq = value.indexOf('=')
    return eq === -1 ? [{ text: value, index }] : [{ text: value.slice(0, eq), index }, { text: value.slice(eq + 1), index }]
  })
  if (pieces.length % 2 !== 0) {
    throw ruleError(rule, node.column, `Query takes key=value pairs, got ${pieces.length} keys and values`, 'write `key=` to match any value')
  }
  const seen = new Set<string>()
  const checks: Predicate[] = []
  for (let p = 0; p < pieces.length; p += 2) {
    const { text: key, index } = pieces[p] as { text: string; index: number }
    const re = templateRegexp(node, rule, index, `${key}=${pieces[p + 1]?.text ?? ''}`, 'query', seen)
    // mux matches "key=first value"; the string is built only for rules that test the query.
    checks.push((req) => {
      const value = req.query().get(key)
      return value !== null && re.test(`${key}=${value}`)
    })
  }
  return allOf(checks)
}

/**
 * Compiles a template as mux does: each variable's pattern alone, anchored,
 * then the whole; `seen` holds the variable names of the same route's other
 * query templates, which must differ.
 */
function templateRegexp(node: HttpNode, rule: string, index: number, text: string, kind: TemplateKind, seen?: Set<string>): LinearRegexp {
  const column = node.argColumns[index] ?? node.column
  let template
  try {
    template = muxTemplate(text, kind)
  } catch (error) {
    throw ruleError(rule, column, `${node.name} value is not a valid template`, (error as Error).message)
  }
  for (const variable of template.variables) {
    if (seen?.has(variable.name) === true) {
      throw ruleError(rule, column, `${node.name} value is not a valid template`, `mux: duplicated route variable ${JSON.stringify(variable.name)}`)
    }
    regexpArg(node, rule, index, `^${variable.pattern}$`)
  }
  for (const variable of template.variables) seen?.add(variable.name)
  return regexpArg(node, rule, index, template.pattern)
}
