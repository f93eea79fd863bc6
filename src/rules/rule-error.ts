import { JunctionError } from '../errors.ts'

/** Rules longer than this are shown as a window around the faulty column. */
const maxExcerpt = 60
const context = 25

/**
 * A `JCT_ERR_RULE_SYNTAX` error that says where: the rule (or a window of it
 * around the column), the problem, and the 1-based column in the whole rule.
 *
 * @example
 * ruleError('Host(`a`) && Pathh(`/`)', 14, 'unknown matcher "Pathh"')
 * // rule "Host(`a`) && Pathh(`/`)": unknown matcher "Pathh" at column 14
 */
export function ruleError(rule: string, column: number, problem: string, detail?: string, cause?: unknown): JunctionError {
  const suffix = detail === undefined ? '' : `: ${detail}`
  const message = `rule "${excerpt(rule, column)}": ${problem} at column ${column}${suffix}`
  return new JunctionError('JCT_ERR_RULE_SYNTAX', message, cause === undefined ? undefined : { cause })
}

function excerpt(rule: string, column: number): string {
  if (rule.length <= maxExcerpt) return rule
  const start = Math.max(0, column - 1 - context)
  const end = Math.min(rule.length, column - 1 + context)
  return `${start > 0 ? '…' : ''}${rule.slice(start, end)}${end < rule.length ? '…' : ''}`
}
