import { compileHttpRule, type CompiledRule } from '../rules/http-matcher.ts'
import { ruleError } from '../rules/rule-error.ts'

/** The rule dialects a router may ask for with `ruleSyntax`. */
export type RuleSyntax = 'default' | 'v3' | 'v2'

/**
 * Compiles a router's rule in the dialect it asks for.
 *
 * @throws JunctionError `JCT_ERR_RULE_SYNTAX` saying what is wrong and where.
 */
export function compileRouterRule(rule: string, priority: number | undefined, syntax: RuleSyntax): CompiledRule {
  if (syntax === 'v2') throw ruleError(rule, 1, 'ruleSyntax v2 is not supported yet')
  return compileHttpRule(rule, priority)
}
