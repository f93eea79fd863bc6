import { JunctionError } from '../../errors.ts'
import { compileRegexp } from '../../rules/regexp.ts'
import type { MatcherSpec, MatcherTable } from '../../rules/matcher-table.ts'
import { chainOperands, maxRuleDepth, parseRule, type MatcherNode, type RuleNode } from '../../rules/parser.ts'

/**
 * The `constraints` option of discovery providers: a boolean expression over
 * a workload's labels (Docker) or tags (Consul Catalog), written as Traefik
 * writes it (a Go expression, read by vulcand/predicate): matcher calls with
 * string arguments in backticks or double quotes, `!`, `&&`, `||` and
 * parentheses. Each provider brings its matcher table; the grammar is
 * shared with rules: {@link parseRule} reads it. Parsing is one pass over
 * the text, nesting is capped, and
 * regexps run on the linear-time engine rules use, so an expression costs
 * time linear in its length and in the subject it is matched against.
 */

/** One function an expression may call, with a fixed number of string arguments. */
export interface ConstraintMatcher<T> {
  /** As Traefik registers it, matched exactly: `Label`, `LabelRegex`, `Tag`, `TagRegex`. */
  readonly name: string
  readonly arity: number
  /** Builds the test; throws an Error whose message says what is wrong with an argument (a regexp that does not compile). */
  build(args: readonly string[]): (subject: T) => boolean
}

/** A compiled expression. */
export type Constraint<T> = (subject: T) => boolean

/** Deeper nesting than this is refused: Go's parser refuses deep nesting too, and recursion must stay bounded. */
export const maxConstraintDepth = maxRuleDepth

/**
 * Compiles a constraints expression against a matcher table. An empty
 * expression matches everything, as in Traefik.
 *
 * Beyond Traefik: a regexp that does not compile is refused here, with the
 * rest of the static configuration, where Traefik would silently match
 * nothing with it.
 *
 * @throws JunctionError `JCT_ERR_STATIC_CONFIG`: `constraints "Label(`a`)": Label takes 2 arguments, got 1 at column 1`.
 * @example
 * const keep = compileExpression("Label(`env`, `prod`) && !LabelRegex(`team`, `^qa-`)", labelMatchers)
 * keep({ env: 'prod', team: 'web' }) // true
 */
export function compileExpression<T>(expression: string, matchers: readonly ConstraintMatcher<T>[]): Constraint<T> {
  if (expression.trim() === '') return () => true
  const error = constraintError(expression)
  const tree = parseRule(expression, constraintTable(matchers), { allowEmptyArgs: true, noun: 'expression', error })
  return compileTree(tree, (node) => {
    try {
      return node.matcher.constraint.build(node.args)
    } catch (cause) {
      throw error(node.column, `${node.name}: ${(cause as Error).message}`, undefined, cause)
    }
  })
}

/**
 * Docker's (and every label provider's) matchers: ``Label(`name`, `value`)``
 * is true when the label has exactly that value, ``LabelRegex(`name`, `re`)``
 * when its value matches the Go regexp anywhere (anchor it with `^…$`). A
 * missing label reads as the empty string, as a Go map lookup does.
 */
export const labelMatchers: readonly ConstraintMatcher<Readonly<Record<string, string>>>[] = [
  { name: 'Label', arity: 2, build: ([name = '', value = '']) => (labels) => labelValue(labels, name) === value },
  {
    name: 'LabelRegex',
    arity: 2,
    build: ([name = '', pattern = '']) => {
      const regexp = compileRegexp(pattern)
      return (labels) => regexp.test(labelValue(labels, name))
    },
  },
]

/** Consul Catalog's matchers: ``Tag(`value`)`` is true when one tag is exactly that, ``TagRegex(`re`)`` when one matches. */
export const tagMatchers: readonly ConstraintMatcher<readonly string[]>[] = [
  { name: 'Tag', arity: 1, build: ([value = '']) => (tags) => tags.includes(value) },
  {
    name: 'TagRegex',
    arity: 1,
    build: ([pattern = '']) => {
      const regexp = compileRegexp(pattern)
      return (tags) => tags.some((tag) => regexp.test(tag))
    },
  },
]

function labelValue(labels: Readonly<Record<string, string>>, name: string): string {
  return Object.hasOwn(labels, name) ? (labels[name] ?? '') : ''
}

/** Errors in the static configuration's wording, for the parser and for matchers that refuse an argument. */
function constraintError(expression: string) {
  const text = JSON.stringify(expression.length > 60 ? `${expression.slice(0, 57)}…` : expression)
  return (column: number, problem: string, detail?: string, cause?: unknown): JunctionError => {
    const message = `constraints ${text}: ${problem} at column ${column}${detail === undefined ? '' : `: ${detail}`}`
    return new JunctionError('JCT_ERR_STATIC_CONFIG', message, cause === undefined ? undefined : { cause })
  }
}

/** A constraint matcher as the rule parser sees it. */
interface ConstraintSpec<T> extends MatcherSpec {
  readonly constraint: ConstraintMatcher<T>
}

// Built by hand rather than with matcherTable: Traefik's constraints take
// matcher names exactly as registered, without the rule spellings.
function constraintTable<T>(matchers: readonly ConstraintMatcher<T>[]): MatcherTable<ConstraintSpec<T>> {
  return new Map(matchers.map((constraint) => [constraint.name, { name: constraint.name, arity: [constraint.arity], args: ['text'], constraint }]))
}

/**
 * Compiles a parsed expression. The parser leans a chain `a || b || c`
 * to the left, one node per operator; it is flattened here into one list of
 * operands, so neither compiling nor evaluating a long chain recurses per
 * term. What recursion remains follows `!` and parentheses, which the
 * parser caps.
 */
function compileTree<T, S extends MatcherSpec>(node: RuleNode<S>, leaf: (node: MatcherNode<S>) => Constraint<T>): Constraint<T> {
  if (node.kind === 'matcher') return leaf(node)
  if (node.kind === 'not') {
    const operand = compileTree(node.operand, leaf)
    return (subject) => !operand(subject)
  }
  const terms = chainOperands(node).map((operand) => compileTree(operand, leaf))
  return node.kind === 'and' ? (subject) => terms.every((term) => term(subject)) : (subject) => terms.some((term) => term(subject))
}
