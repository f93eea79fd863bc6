import { httpMatchersV2 } from './http-matchers-v2.ts'
import { httpMatchersV3 } from './http-matchers-v3.ts'
import { normaliseHost } from './http-request.ts'
import type { RuleSyntax } from './http-matcher.ts'
import { chainOperands, parseRule, type RuleNode } from './parser.ts'

/**
 * The domains a router's rule names for a certificate resolver: every
 * argument of every `Host()` in it, lower-cased, first use first (Traefik's
 * `ParseDomains`, which reads `Host` alone: not `HostRegexp`, not v2's
 * `HostHeader`). Unlike Traefik, a negated `Host()` names no domain: a
 * router never serves `!Host(`a.test`)`'s host, so no certificate is
 * ordered for it.
 *
 * @throws JunctionError `JCT_ERR_RULE_SYNTAX` when the rule does not parse.
 * @example
 * ruleDomains('Host(`a.test`) || (Host(`B.test`) && Path(`/x`))') // ['a.test', 'b.test']
 */
export function ruleDomains(rule: string, syntax: RuleSyntax = 'default'): string[] {
  const tree = parseRule(rule, syntax === 'v2' ? httpMatchersV2 : httpMatchersV3)
  const domains = new Set<string>()
  collect(tree, false, domains)
  return [...domains]
}

/** Recurses only through `!` and parentheses, whose depth the parser bounds; chains are walked flat. */
function collect(node: RuleNode, negated: boolean, into: Set<string>): void {
  if (node.kind === 'not') return collect(node.operand, !negated, into)
  if (node.kind === 'matcher') {
    if (node.name === 'Host' && !negated) for (const host of node.args) into.add(normaliseHost(host))
    return
  }
  for (const operand of chainOperands(node)) collect(operand, negated, into)
}
