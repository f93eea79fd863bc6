import { JunctionError } from '../../errors.ts'
import { compileRegexp } from '../../rules/regexp.ts'
import { scanExpression, type ExpressionToken } from './expression-scanner.ts'

/**
 * The `constraints` option of discovery providers: a boolean expression over
 * a workload's labels (Docker) or tags (Consul Catalog), written as Traefik
 * writes it (a Go expression, read by vulcand/predicate): matcher calls with
 * string arguments in backticks or double quotes, `!`, `&&`, `||` and
 * parentheses. Each provider brings its matcher table; the grammar is
 * shared. Parsing is one pass over the text, nesting is capped, and
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
export const maxConstraintDepth = 100

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
  return new ExpressionParser(expression, new Map(matchers.map((matcher) => [matcher.name, matcher]))).parse()
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

/** Recursive descent over the scanned tokens; `!` binds tighter than `&&`, which binds tighter than `||`. */
class ExpressionParser<T> {
  readonly #expression: string
  readonly #matchers: ReadonlyMap<string, ConstraintMatcher<T>>
  readonly #tokens: readonly ExpressionToken[]
  #at = 0
  #depth = 0

  constructor(expression: string, matchers: ReadonlyMap<string, ConstraintMatcher<T>>) {
    this.#expression = expression
    this.#matchers = matchers
    const scanned = scanExpression(expression)
    if ('problem' in scanned) throw this.#error(scanned.column, scanned.problem)
    this.#tokens = scanned.tokens
  }

  parse(): Constraint<T> {
    const result = this.#or()
    const next = this.#next()
    if (next.type !== 'end') throw this.#error(next.column, `unexpected ${this.#show(next)}`)
    return result
  }

  // Chains are kept flat (a list of operands, not a left-leaning tree), so a
  // long `a || b || c …` costs no deeper recursion to evaluate than one term.
  #or(): Constraint<T> {
    const terms = [this.#and()]
    while (this.#peek().type === '||') {
      this.#next()
      terms.push(this.#and())
    }
    return terms.length === 1 ? (terms[0] as Constraint<T>) : (subject) => terms.some((term) => term(subject))
  }

  #and(): Constraint<T> {
    const terms = [this.#unary()]
    while (this.#peek().type === '&&') {
      this.#next()
      terms.push(this.#unary())
    }
    return terms.length === 1 ? (terms[0] as Constraint<T>) : (subject) => terms.every((term) => term(subject))
  }

  #unary(): Constraint<T> {
    const token = this.#next()
    if (token.type !== '!' && token.type !== '(') {
      if (token.type === 'ident') return this.#call(token)
      throw this.#error(token.column, `expected a matcher, found ${this.#show(token)}`)
    }
    if (++this.#depth > maxConstraintDepth) throw this.#error(token.column, `nested more than ${maxConstraintDepth} levels deep`)
    let result: Constraint<T>
    if (token.type === '!') {
      const operand = this.#unary()
      result = (subject) => !operand(subject)
    } else {
      result = this.#or()
      const close = this.#next()
      if (close.type !== ')') throw this.#error(close.column, `missing ")" to close "(" at column ${token.column}`)
    }
    this.#depth--
    return result
  }

  #call(ident: ExpressionToken): Constraint<T> {
    const matcher = this.#matchers.get(ident.value)
    if (matcher === undefined) {
      const known = [...this.#matchers.keys()].join(', ')
      throw this.#error(ident.column, `unknown matcher "${ident.value}" (known: ${known})`)
    }
    const open = this.#next()
    if (open.type !== '(') throw this.#error(open.column, `expected "(" after ${matcher.name}, found ${this.#show(open)}`)
    const args: string[] = []
    for (let token = this.#next(); token.type !== ')'; ) {
      if (token.type !== 'string') throw this.#error(token.column, `expected a string argument for ${matcher.name}, found ${this.#show(token)}`)
      args.push(token.value)
      token = this.#next()
      if (token.type === ',') token = this.#next()
      else if (token.type !== ')') throw this.#error(token.column, `expected "," or ")", found ${this.#show(token)}`)
    }
    if (args.length !== matcher.arity) {
      throw this.#error(ident.column, `${matcher.name} takes ${matcher.arity} argument${matcher.arity === 1 ? '' : 's'}, got ${args.length}`)
    }
    try {
      return matcher.build(args)
    } catch (error) {
      throw this.#error(ident.column, `${matcher.name}: ${(error as Error).message}`, error)
    }
  }

  #peek(): ExpressionToken {
    return this.#tokens[this.#at] as ExpressionToken
  }

  #next(): ExpressionToken {
    const token = this.#peek()
    if (token.type !== 'end') this.#at++
    return token
  }

  #show(token: ExpressionToken): string {
    if (token.type === 'end') return 'end of expression'
    const text = this.#expression.slice(token.column - 1, token.end - 1)
    return `"${text.length > 20 ? `${text.slice(0, 20)}…` : text}"`
  }

  #error(column: number, problem: string, cause?: unknown): JunctionError {
    const text = this.#expression.length > 60 ? `${this.#expression.slice(0, 57)}…` : this.#expression
    const options = cause === undefined ? undefined : { cause }
    return new JunctionError('JCT_ERR_STATIC_CONFIG', `constraints ${JSON.stringify(text)}: ${problem} at column ${column}`, options)
  }
}
