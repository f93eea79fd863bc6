import { acceptsArgCount, describeArity, type MatcherSpec, type MatcherTable } from './matcher-table.ts'
import { ruleError } from './rule-error.ts'

/** One matcher call. Columns are 1-based, in the whole rule, for error messages. */
export interface MatcherNode<S extends MatcherSpec = MatcherSpec> {
  readonly kind: 'matcher'
  /** The matcher's name as its table spells it, whatever spelling the rule used. */
  readonly name: string
  readonly matcher: S
  readonly args: readonly string[]
  readonly column: number
  readonly argColumns: readonly number[]
}

export interface NotNode<S extends MatcherSpec = MatcherSpec> {
  readonly kind: 'not'
  readonly operand: RuleNode<S>
}

export interface BinaryNode<S extends MatcherSpec = MatcherSpec> {
  readonly kind: 'and' | 'or'
  readonly left: RuleNode<S>
  readonly right: RuleNode<S>
}

/** The parsed form of a rule. */
export type RuleNode<S extends MatcherSpec = MatcherSpec> = MatcherNode<S> | NotNode<S> | BinaryNode<S>

/**
 * The operands of a chain of one operator, left to right: the parser leans
 * `a && b && c` to the left, one node per operator, so code that walks a
 * rule flattens chains with this rather than recursing once per term.
 *
 * @example
 * chainOperands(parseRule('Host(`a`) && Path(`/`) && Method(`GET`)', httpMatchersV3)) // the three matchers
 */
export function chainOperands<S extends MatcherSpec>(chain: BinaryNode<S>): RuleNode<S>[] {
  const reversed: RuleNode<S>[] = []
  let node: RuleNode<S> = chain
  while (node.kind === chain.kind && (node.kind === 'and' || node.kind === 'or')) {
    reversed.push(node.right)
    node = node.left
  }
  reversed.push(node)
  return reversed.reverse()
}

type TokenType = 'ident' | 'string' | '(' | ')' | ',' | '&&' | '||' | '!' | 'end'

interface Token {
  readonly type: TokenType
  /** Identifier name or decoded string value. */
  readonly value: string
  readonly column: number
  readonly end: number
}

const simpleEscapes: Readonly<Record<string, string>> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"',
}
const hexEscapeLength: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 }

/**
 * Deeper nesting of `!` and parentheses than this is refused: the parser
 * recurses once per level, and Go's parser refuses deep nesting too.
 */
export const maxRuleDepth = 100

/** How a caller other than the router reads the grammar (the `constraints` option). */
export interface ParseOptions {
  /** Accept empty string arguments (constraints compare with the empty string); rules refuse them, as Traefik does. */
  readonly allowEmptyArgs?: boolean
  /** What messages call the text (`found end of rule`); `rule` by default. */
  readonly noun?: string
  /** Builds the error to throw; by default a `JCT_ERR_RULE_SYNTAX` {@link ruleError}. */
  readonly error?: (column: number, problem: string, detail?: string) => Error
}

/**
 * Parses a rule (a Go expression, as Traefik reads it: matcher calls with
 * string arguments in backticks or double quotes, `!`, `&&`, `||` and
 * parentheses; `!` binds tighter than `&&`, which binds tighter than `||`)
 * against a dialect's matcher table. Checks matcher names, argument counts
 * and empty arguments; the meaning of each argument is checked when the rule
 * is compiled. `!` and parentheses nest at most {@link maxRuleDepth} deep;
 * chains of `&&` and `||` are not limited (see {@link chainOperands}).
 *
 * @throws JunctionError `JCT_ERR_RULE_SYNTAX` naming the column at fault, or what `options.error` builds.
 * @example
 * parseRule('Host(`a.test`) && !Method(`POST`)', httpMatchersV3)
 */
export function parseRule<S extends MatcherSpec>(rule: string, matchers: MatcherTable<S>, options: ParseOptions = {}): RuleNode<S> {
  const error = options.error ?? ((column, problem, detail) => ruleError(rule, column, problem, detail))
  if (rule.trim() === '') throw error(1, 'empty rule')
  return new Parser(rule, matchers, error, options).parse()
}

class Parser<S extends MatcherSpec> {
  readonly #rule: string
  readonly #matchers: MatcherTable<S>
  readonly #error: NonNullable<ParseOptions['error']>
  readonly #allowEmptyArgs: boolean
  readonly #noun: string
  #pos = 0
  #peeked: Token | undefined
  /** Open `!` and `(` around the current token; see {@link maxRuleDepth}. */
  #depth = 0

  constructor(rule: string, matchers: MatcherTable<S>, error: NonNullable<ParseOptions['error']>, options: ParseOptions) {
    this.#rule = rule
    this.#matchers = matchers
    this.#error = error
    this.#allowEmptyArgs = options.allowEmptyArgs ?? false
    this.#noun = options.noun ?? 'rule'
  }

  parse(): RuleNode<S> {
    const node = this.#or()
    const next = this.#next()
    if (next.type === 'end') return node
    const joinable = next.type === 'ident' || next.type === '(' || next.type === '!'
    throw this.#fail(next, `unexpected ${this.#show(next)}`, joinable ? 'missing "&&" or "||"?' : undefined)
  }

  #or(): RuleNode<S> {
    let left = this.#and()
    while (this.#peek().type === '||') {
      this.#next()
      left = { kind: 'or', left, right: this.#and() }
    }
    return left
  }

  #and(): RuleNode<S> {
    let left = this.#unary()
    while (this.#peek().type === '&&') {
      this.#next()
      left = { kind: 'and', left, right: this.#unary() }
    }
    return left
  }

  #unary(): RuleNode<S> {
    const token = this.#next()
    if (token.type === 'ident') return this.#matcher(token)
    if (token.type !== '!' && token.type !== '(') throw this.#fail(token, `expected a matcher, found ${this.#show(token)}`)
    // Only `!` and `(` recurse (chains of && and || loop), so capping them bounds the stack.
    if (++this.#depth > maxRuleDepth) throw this.#fail(token, `nesting deeper than ${maxRuleDepth}`)
    let node: RuleNode<S>
    if (token.type === '!') {
      node = { kind: 'not', operand: this.#unary() }
    } else {
      node = this.#or()
      const close = this.#next()
      if (close.type !== ')') throw this.#unclosed(close, `to close "(" at column ${token.column}`)
    }
    this.#depth--
    return node
  }

  #matcher(ident: Token): MatcherNode<S> {
    const matcher = this.#matchers.get(ident.value)
    if (matcher === undefined) throw this.#fail(ident, `unknown matcher "${ident.value}"`)
    const name = matcher.name
    const open = this.#next()
    if (open.type !== '(') throw this.#fail(open, `expected "(" after ${name}, found ${this.#show(open)}`)
    const args: string[] = []
    const argColumns: number[] = []
    let token = this.#next()
    while (token.type !== ')') {
      if (token.type !== 'string') {
        if (token.type === 'end') throw this.#unclosed(token, `to close "(" at column ${open.column}`)
        throw this.#fail(token, `expected a string argument for ${name}, found ${this.#show(token)}`)
      }
      if (token.value === '' && !this.#allowEmptyArgs) throw this.#fail(token, `empty argument for ${name}`)
      args.push(token.value)
      argColumns.push(token.column)
      token = this.#next()
      if (token.type === ',') token = this.#next()
      else if (token.type === 'end') throw this.#unclosed(token, `to close "(" at column ${open.column}`)
      else if (token.type !== ')') throw this.#fail(token, `expected "," or ")", found ${this.#show(token)}`)
    }
    if (!acceptsArgCount(matcher.arity, args.length)) {
      throw this.#fail(ident, `${name} takes ${describeArity(matcher.arity)}, got ${args.length}`)
    }
    return { kind: 'matcher', name, matcher, args, column: ident.column, argColumns }
  }

  #fail(token: Token, problem: string, detail?: string): Error {
    return this.#error(token.column, problem, detail)
  }

  #unclosed(token: Token, detail: string): Error {
    return this.#fail(token, 'missing ")"', detail)
  }

  #show(token: Token): string {
    if (token.type === 'end') return `end of ${this.#noun}`
    const text = this.#rule.slice(token.column - 1, token.end - 1)
    return `"${text.length > 20 ? `${text.slice(0, 20)}…` : text}"`
  }

  #peek(): Token {
    this.#peeked ??= this.#scan()
    return this.#peeked
  }

  #next(): Token {
    const token = this.#peek()
    this.#peeked = undefined
    return token
  }

  #scan(): Token {
    const rule = this.#rule
    while (this.#pos < rule.length && ' \t\r\n'.includes(rule[this.#pos] as string)) this.#pos++
    const start = this.#pos
    const column = start + 1
    if (start >= rule.length) return { type: 'end', value: '', column, end: column }
    const char = rule[start] as string
    const pair = rule.slice(start, start + 2)
    if (pair === '&&' || pair === '||') return this.#token(pair, pair, start, 2)
    if ('(),!'.includes(char)) return this.#token(char as TokenType, char, start, 1)
    if (char === '`') return this.#rawString(start)
    if (char === '"') return this.#quotedString(start)
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rule.slice(start))
    if (ident !== null) return this.#token('ident', ident[0], start, ident[0].length)
    const hint = char === "'" ? 'strings use backticks or double quotes' : char === '&' || char === '|' ? `did you mean "${char}${char}"?` : undefined
    throw this.#error(column, `unexpected "${char}"`, hint)
  }

  #token(type: TokenType, value: string, start: number, length: number): Token {
    this.#pos = start + length
    return { type, value, column: start + 1, end: start + length + 1 }
  }

  #rawString(start: number): Token {
    const close = this.#rule.indexOf('`', start + 1)
    if (close === -1) throw this.#error(start + 1, 'unterminated string')
    // Go drops carriage returns from raw strings.
    return this.#token('string', this.#rule.slice(start + 1, close).replaceAll('\r', ''), start, close - start + 1)
  }

  #quotedString(start: number): Token {
    const rule = this.#rule
    let value = ''
    let i = start + 1
    while (i < rule.length && rule[i] !== '"' && rule[i] !== '\n') {
      if (rule[i] !== '\\') {
        value += rule[i]
        i++
        continue
      }
      const [decoded, length] = this.#escape(i)
      value += decoded
      i += length
    }
    if (i >= rule.length || rule[i] === '\n') throw this.#error(start + 1, 'unterminated string')
    return this.#token('string', value, start, i - start + 1)
  }

  /** Go's escapes in interpreted strings; returns the text and the length consumed. */
  #escape(at: number): [string, number] {
    const rule = this.#rule
    const kind = rule[at + 1] ?? ''
    const simple = simpleEscapes[kind]
    if (simple !== undefined) return [simple, 2]
    const hexLength = hexEscapeLength[kind]
    const digits = hexLength === undefined ? rule.slice(at + 1, at + 4) : rule.slice(at + 2, at + 2 + hexLength)
    const valid = hexLength === undefined ? /^[0-7]{3}$/.test(digits) : new RegExp(`^[0-9A-Fa-f]{${hexLength}}$`).test(digits)
    const code = valid ? Number.parseInt(digits, hexLength === undefined ? 8 : 16) : -1
    if (code < 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || (hexLength === undefined && code > 0xff)) {
      throw this.#error(at + 1, `unknown escape sequence "${rule.slice(at, at + 2)}"`)
    }
    return [String.fromCodePoint(code), hexLength === undefined ? 4 : hexLength + 2]
  }
}
