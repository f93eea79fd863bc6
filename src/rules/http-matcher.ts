import { checkArgs, type HttpMatcher } from './http-predicates.ts'
import { httpMatchersV2 } from './http-matchers-v2.ts'
import { httpMatchersV3 } from './http-matchers-v3.ts'
import { normaliseHost, type Predicate, type RouteRequest } from './http-request.ts'
import { argKind } from './matcher-table.ts'
import { chainOperands, parseRule, type RuleNode } from './parser.ts'
import { rulePriority } from './priority.ts'

export { normaliseHost, type RouteRequest } from './http-request.ts'

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

/**
 * The rule dialect of a router, as its `ruleSyntax` (or the static
 * `core.defaultRuleSyntax`) names it. `default` is v3; so is any other value,
 * as in Traefik, which falls back to v3 for a syntax it has no parser for.
 */
export type RuleSyntax = 'default' | 'v3' | 'v2'

/**
 * Compiles a rule into a predicate over a request, in Traefik v3's syntax
 * or, for `syntax: 'v2'`, in Traefik v2's. Priorities are the rule's length
 * in both, as in Traefik. Matching allocates nothing, except the query,
 * parsed on first use, and what the regexp engine allocates for regexp
 * matchers.
 *
 * @throws JunctionError `JCT_ERR_RULE_SYNTAX` saying where the rule is wrong.
 * @example
 * const rule = compileHttpRule('Host(`api.test`) && PathPrefix(`/v1`)')
 * rule.hosts // ['api.test']
 * compileHttpRule('Host(`a.test`, `b.test`)', 0, 'v2').hosts // ['a.test', 'b.test']
 */
export function compileHttpRule(rule: string, priority?: number, syntax: RuleSyntax = 'default'): CompiledRule {
  const tree = parseRule(rule, syntax === 'v2' ? httpMatchersV2 : httpMatchersV3)
  return { match: compile(tree, rule), priority: rulePriority(rule, priority), hosts: hostsOf(tree, false) }
}

function compile(node: RuleNode<HttpMatcher>, rule: string): Predicate {
  switch (node.kind) {
    // Chains are compiled flat, so a long `a && b && …` recurses neither here nor when matching.
    case 'and': {
      const terms = chainOperands(node).map((operand) => compile(operand, rule))
      return allOf(terms)
    }
    case 'or': {
      const terms = chainOperands(node).map((operand) => compile(operand, rule))
      return anyOf(terms)
    }
    case 'not': {
      const operand = compile(node.operand, rule)
      return (req) => !operand(req)
    }
    case 'matcher':
      checkArgs(node, rule)
      return node.matcher.build(node, rule)
  }
}

/**
 * The finite set of hosts every match needs, walking the tree with the
 * negations pushed down (De Morgan): `and` keeps the hosts both sides allow,
 * `or` needs both sides bounded, a negated matcher bounds nothing. A matcher
 * whose arguments are all exact hosts (`Host`, v2's `Host(a, b)`) matches
 * one of them.
 */
function hostsOf(node: RuleNode, negated: boolean): string[] | null {
  if (node.kind === 'not') return hostsOf(node.operand, !negated)
  if (node.kind === 'matcher') {
    const exactHosts = node.args.length > 0 && node.args.every((_, i) => argKind(node.matcher, i) === 'host')
    return exactHosts && !negated ? [...new Set(node.args.map((host) => normaliseHost(host)))] : null
  }
  // A left fold over the flattened chain, as the left-leaning tree would combine it, without recursing per term.
  const conjunction = (node.kind === 'and') !== negated
  const [first, ...rest] = chainOperands(node).map((operand) => hostsOf(operand, negated))
  let hosts = first ?? null
  for (const right of rest) hosts = conjunction ? bothHosts(hosts, right) : eitherHosts(hosts, right)
  return hosts
}

// The common rule (`Host(…) && PathPrefix(…)`) keeps one direct call per side on the request path; longer chains loop.
function allOf(terms: readonly Predicate[]): Predicate {
  const [left, right] = terms
  if (terms.length === 2 && left !== undefined && right !== undefined) return (req) => left(req) && right(req)
  return (req) => {
    for (const term of terms) if (!term(req)) return false
    return true
  }
}

function anyOf(terms: readonly Predicate[]): Predicate {
  const [left, right] = terms
  if (terms.length === 2 && left !== undefined && right !== undefined) return (req) => left(req) || right(req)
  return (req) => {
    for (const term of terms) if (term(req)) return true
    return false
  }
}

function bothHosts(left: string[] | null, right: string[] | null): string[] | null {
  if (left === null || right === null) return left ?? right
  return left.filter((h, i) => right.includes(h) && left.indexOf(h) === i)
}

function eitherHosts(left: string[] | null, right: string[] | null): string[] | null {
  if (left === null || right === null) return null
  return [...new Set([...left, ...right])]
}
