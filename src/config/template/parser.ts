import type { BranchNode, Command, Node, Operand, Pipeline, RangeNode, TemplateCallNode } from './ast.ts'
import { Lexer, type Token, type TokenKind } from './lexer.ts'
import { LiteralError, parseNumber, unquoteChar, unquoteString } from './literals.ts'
import { TemplateFault } from './template-error.ts'
import { VarScope } from './variables.ts'

/** A template's main tree and the trees it defines (`define`, `block`). */
export interface ParsedTemplate {
  readonly root: readonly Node[]
  readonly templates: ReadonlyMap<string, readonly Node[]>
}

/**
 * Control structures and parentheses nest at most this deep. Real
 * templates nest a handful of levels; the cap keeps the recursive descent
 * (and the evaluator after it) far from the end of the stack.
 */
export const maxNesting = 100

/**
 * Counts of the parser's work, for tests to check that parsing stays
 * linear: tokens the lexer produced, and token reads (looking ahead and
 * re-reading after a look-ahead included).
 */
export interface ParseStats {
  tokens: number
  reads: number
}

/** What ends a list: `{{end}}`, or `{{else}}` (with the `if`/`with` of an `else if` left pending). */
type Marker = { readonly type: 'end'; readonly pos: number } | { readonly type: 'else'; readonly pos: number; readonly chain: string | undefined }

const operandStarts = new Set<TokenKind>(['bool', 'char', 'number', 'dot', 'field', 'identifier', 'string', 'rawString', 'variable', 'leftParen'])

/**
 * Parses Go template text, as Go's `text/template/parse` does: a function
 * name must be known (`function "x" not defined`), a variable must be
 * declared before use, `break` and `continue` only inside `range`.
 * Throws a {@link TemplateFault} at the first fault in reading order. Each
 * token is read once and looked ahead of at most three times: linear time.
 */
export function parseTemplate(text: string, hasFunction: (name: string) => boolean, stats: ParseStats = { tokens: 0, reads: 0 }): ParsedTemplate {
  return new Parser(text, hasFunction, stats).parse()
}

class Parser {
  readonly #lexer: Lexer
  readonly #hasFunction: (name: string) => boolean
  readonly #lookahead: Token[] = []
  readonly #templates = new Map<string, readonly Node[]>()
  #vars = new VarScope()
  #rangeDepth = 0
  #depth = 0
  #lastEnd = 0
  readonly #stats: ParseStats

  constructor(text: string, hasFunction: (name: string) => boolean, stats: ParseStats) {
    this.#lexer = new Lexer(text)
    this.#hasFunction = hasFunction
    this.#stats = stats
  }

  parse(): ParsedTemplate {
    const root: Node[] = []
    while (this.#peek().kind !== 'eof') {
      const open = this.#peek()
      if (open.kind === 'open') {
        this.#next()
        const keyword = this.#nextNonSpace()
        if (keyword.kind === 'keyword' && keyword.value === 'define') {
          this.#definition()
          continue
        }
        this.#backup(keyword)
        this.#backup(open)
      }
      const node = this.#textOrAction()
      if ('type' in node && (node.type === 'end' || node.type === 'else')) throw new TemplateFault(node.pos, `unexpected {{${node.type}}}`)
      root.push(node as Node)
    }
    return { root, templates: this.#templates }
  }

  #next(): Token {
    const token = this.#read()
    this.#lastEnd = token.end
    return token
  }

  #read(): Token {
    this.#stats.reads++
    const buffered = this.#lookahead.pop()
    if (buffered !== undefined) return buffered
    this.#stats.tokens++
    return this.#lexer.next()
  }

  #backup(token: Token): void {
    this.#lookahead.push(token)
  }

  #peek(): Token {
    const token = this.#read()
    this.#lookahead.push(token)
    return token
  }

  #nextNonSpace(): Token {
    let token = this.#next()
    while (token.kind === 'space') token = this.#next()
    return token
  }

  #peekNonSpace(): Token {
    const end = this.#lastEnd
    const token = this.#nextNonSpace()
    this.#backup(token)
    // Looking ahead does not extend the span being parsed.
    this.#lastEnd = end
    return token
  }

  #expect(kind: TokenKind, context: string): Token {
    const token = this.#nextNonSpace()
    if (token.kind !== kind) throw unexpected(token, context)
    return token
  }

  #enter(pos: number): void {
    if (++this.#depth > maxNesting) throw new TemplateFault(pos, `nesting deeper than ${maxNesting} levels`)
  }

  #textOrAction(): Node | Marker {
    const token = this.#nextNonSpace()
    if (token.kind === 'text') return { type: 'text', text: token.value }
    if (token.kind === 'open') return this.#action(token.pos)
    throw unexpected(token, 'input')
  }

  /** The nodes up to the `{{end}}` or `{{else}}` that closes them, and that marker. */
  #itemList(): { list: Node[]; marker: Marker } {
    const list: Node[] = []
    for (;;) {
      const token = this.#peekNonSpace()
      if (token.kind === 'eof') throw new TemplateFault(token.pos, 'unexpected EOF')
      const node = this.#textOrAction()
      if ('type' in node && (node.type === 'end' || node.type === 'else')) return { list, marker: node as Marker }
      list.push(node as Node)
    }
  }

  #action(pos: number): Node | Marker {
    const token = this.#nextNonSpace()
    if (token.kind === 'keyword') {
      switch (token.value) {
        case 'if':
        case 'with':
          return this.#branch(token.value, pos)
        case 'range':
          return this.#range(pos)
        case 'else':
          return this.#else(token.pos)
        case 'end':
          this.#expect('close', 'end')
          return { type: 'end', pos: token.pos }
        case 'break':
        case 'continue':
          this.#expect('close', `{{${token.value}}}`)
          if (this.#rangeDepth === 0) throw new TemplateFault(token.pos, `{{${token.value}}} outside {{range}}`)
          return { type: token.value as 'break' | 'continue', pos, end: this.#lastEnd }
        case 'template':
          return this.#templateCall(pos)
        case 'block':
          return this.#block(pos)
        case 'define':
          throw new TemplateFault(token.pos, 'unexpected {{define}}: templates are defined at the top level only')
      }
    }
    this.#backup(token)
    const pipe = this.#pipeline('command', 'close')
    return { type: 'action', pos, end: this.#lastEnd, pipe }
  }

  #else(pos: number): Marker {
    const next = this.#peekNonSpace()
    // `{{else if ...}}`: the `if` stays pending for the branch being parsed.
    if (next.kind === 'keyword' && (next.value === 'if' || next.value === 'with')) return { type: 'else', pos, chain: next.value }
    this.#expect('close', 'else')
    return { type: 'else', pos, chain: undefined }
  }

  /** `if` and `with`, an `else if` chain gathered into one node, variables scoped to the final `{{end}}`. */
  #branch(kind: 'if' | 'with', pos: number): BranchNode {
    const mark = this.#vars.mark()
    this.#enter(pos)
    const branches: Array<BranchNode['branches'][number]> = []
    let elseList: Node[] | undefined
    for (;;) {
      const pipe = this.#pipeline(kind, 'close')
      const { list, marker } = this.#itemList()
      branches.push({ pipe, list })
      if (marker.type === 'end') break
      if (marker.type === 'else' && marker.chain === kind) {
        this.#nextNonSpace()
        continue
      }
      const rest = this.#itemList()
      if (rest.marker.type !== 'end') throw new TemplateFault(rest.marker.pos, 'expected {{end}}; found {{else}}')
      elseList = rest.list
      break
    }
    this.#depth--
    this.#vars.reset(mark)
    return { type: kind, pos, end: this.#lastEnd, branches, elseList }
  }

  #range(pos: number): RangeNode {
    const mark = this.#vars.mark()
    this.#enter(pos)
    const pipe = this.#pipeline('range', 'close')
    this.#rangeDepth++
    const { list, marker } = this.#itemList()
    this.#rangeDepth--
    let elseList: Node[] | undefined
    if (marker.type === 'else') {
      const rest = this.#itemList()
      if (rest.marker.type !== 'end') throw new TemplateFault(rest.marker.pos, 'expected {{end}}; found {{else}}')
      elseList = rest.list
    }
    this.#depth--
    this.#vars.reset(mark)
    return { type: 'range', pos, end: this.#lastEnd, pipe, list, elseList }
  }

  #templateName(context: string): string {
    const token = this.#nextNonSpace()
    if (token.kind !== 'string' && token.kind !== 'rawString') throw unexpected(token, context)
    return this.#literal(token, () => unquoteString(token.value))
  }

  #templateCall(pos: number): TemplateCallNode {
    const name = this.#templateName('template clause')
    const token = this.#nextNonSpace()
    if (token.kind === 'close') return { type: 'template', pos, end: this.#lastEnd, name, pipe: undefined }
    this.#backup(token)
    const pipe = this.#pipeline('template clause', 'close')
    return { type: 'template', pos, end: this.#lastEnd, name, pipe }
  }

  /** `{{block "name" pipeline}}body{{end}}`: defines `name` and calls it in place. */
  #block(pos: number): TemplateCallNode {
    const name = this.#templateName('block clause')
    const pipe = this.#pipeline('block clause', 'close')
    this.#body(name, 'block clause', pos)
    return { type: 'template', pos, end: this.#lastEnd, name, pipe }
  }

  #definition(): void {
    const name = this.#templateName('define clause')
    const close = this.#expect('close', 'define clause')
    this.#body(name, 'define clause', close.pos)
  }

  /** A defined template's body: its own variables (just `$`), outside any range. */
  #body(name: string, context: string, pos: number): void {
    const [vars, rangeDepth] = [this.#vars, this.#rangeDepth]
    this.#vars = new VarScope()
    this.#rangeDepth = 0
    this.#enter(pos)
    const { list, marker } = this.#itemList()
    if (marker.type !== 'end') throw new TemplateFault(marker.pos, `unexpected {{else}} in ${context}`)
    this.#depth--
    ;[this.#vars, this.#rangeDepth] = [vars, rangeDepth]
    // As in Go, an empty redefinition does not replace a template that has a body.
    const blank = list.every((node) => node.type === 'text' && node.text.trim() === '')
    if (!(blank && this.#templates.has(name))) this.#templates.set(name, list)
  }

  #pipeline(context: string, end: 'close' | 'rightParen'): Pipeline {
    const pos = this.#peekNonSpace().pos
    const declarations: string[] = []
    let isAssign = false
    for (;;) {
      const variable = this.#peekNonSpace()
      if (variable.kind !== 'variable') break
      this.#next()
      const after = this.#peek()
      const next = this.#peekNonSpace()
      if (next.kind === 'declare' || next.kind === 'assign') {
        isAssign = next.kind === 'assign'
        this.#nextNonSpace()
        declarations.push(variable.value)
        this.#vars.push(variable.value)
        break
      }
      if (next.kind === 'other' && next.value === ',') {
        this.#nextNonSpace()
        declarations.push(variable.value)
        this.#vars.push(variable.value)
        if (context === 'range' && declarations.length < 2) {
          const second = this.#peekNonSpace()
          if (second.kind === 'variable') continue
          throw new TemplateFault(second.pos, 'range can only initialize variables')
        }
        throw new TemplateFault(next.pos, `too many declarations in ${context}`)
      }
      // Not a declaration: `$x` starts the first command. Put back what was read, spaces included.
      if (after.kind === 'space') this.#backup(after)
      this.#backup(variable)
      break
    }
    const commands: Command[] = []
    let last = this.#lastEnd
    for (;;) {
      const token = this.#nextNonSpace()
      if (token.kind === end) break
      last = token.end
      if (!operandStarts.has(token.kind) && !(token.kind === 'keyword' && token.value === 'nil')) throw unexpected(token, context)
      this.#backup(token)
      commands.push(this.#command())
    }
    if (commands.length === 0) throw new TemplateFault(pos, `missing value for ${context}`)
    commands.forEach((command, index) => {
      const first = command.args[0]
      if (index > 0 && first !== undefined && (first.type === 'constant' || first.type === 'dot' || first.type === 'nil')) {
        throw new TemplateFault(command.pos, `non executable command in pipeline stage ${index + 1}`)
      }
    })
    return { pos, end: commands.at(-1)?.end ?? last, declarations, isAssign, commands }
  }

  #command(): Command {
    const pos = this.#peekNonSpace().pos
    const args: Operand[] = []
    let end = pos
    for (;;) {
      this.#peekNonSpace()
      const operand = this.#operand()
      if (operand !== undefined) {
        args.push(operand)
        end = operand.end
      }
      const token = this.#next()
      if (token.kind === 'space') continue
      if (token.kind === 'close' || token.kind === 'rightParen') this.#backup(token)
      else if (token.kind !== 'pipe') throw unexpected(token, 'operand')
      break
    }
    const [first] = args
    if (first === undefined) throw new TemplateFault(pos, 'empty command')
    if (first.type === 'nil' && args.length === 1) throw new TemplateFault(first.pos, 'nil is not a command')
    return { pos, end, args }
  }

  #operand(): Operand | undefined {
    const term = this.#term()
    if (term === undefined || this.#peek().kind !== 'field') return term
    const fields: string[] = []
    while (this.#peek().kind === 'field') fields.push(this.#next().value)
    const span = { pos: term.pos, end: this.#lastEnd }
    switch (term.type) {
      case 'field':
        return { ...span, type: 'field', names: [...term.names, ...fields] }
      case 'variable':
        return { ...span, type: 'variable', name: term.name, fields: [...term.fields, ...fields] }
      case 'constant':
      case 'nil':
      case 'dot':
        throw new TemplateFault(term.pos, 'unexpected . after a constant, nil or dot')
      default:
        return { ...span, type: 'chain', operand: term, fields }
    }
  }

  #term(): Operand | undefined {
    const token = this.#nextNonSpace()
    const span = { pos: token.pos, end: token.end }
    switch (token.kind) {
      case 'identifier':
        if (!this.#hasFunction(token.value)) throw new TemplateFault(token.pos, `function "${token.value}" not defined`)
        return { ...span, type: 'identifier', name: token.value }
      case 'dot':
        return { ...span, type: 'dot' }
      case 'variable':
        if (!this.#vars.has(token.value)) throw new TemplateFault(token.pos, `undefined variable "${token.value}"`)
        return { ...span, type: 'variable', name: token.value, fields: [] }
      case 'field':
        return { ...span, type: 'field', names: [token.value] }
      case 'bool':
        return { ...span, type: 'constant', value: token.value === 'true' }
      case 'number':
        return { ...span, type: 'constant', value: this.#literal(token, () => parseNumber(token.value)) }
      case 'char':
        return { ...span, type: 'constant', value: this.#literal(token, () => unquoteChar(token.value)) }
      case 'string':
      case 'rawString':
        return { ...span, type: 'constant', value: this.#literal(token, () => unquoteString(token.value)) }
      case 'leftParen': {
        this.#enter(token.pos)
        const pipe = this.#pipeline('parenthesized pipeline', 'rightParen')
        this.#depth--
        return { pos: token.pos, end: this.#lastEnd, type: 'pipeline', pipe }
      }
      case 'keyword':
        if (token.value === 'nil') return { ...span, type: 'nil' }
    }
    this.#backup(token)
    return undefined
  }

  #literal<T>(token: Token, read: () => T): T {
    try {
      return read()
    } catch (error) {
      if (error instanceof LiteralError) throw new TemplateFault(token.pos, error.message)
      throw error
    }
  }
}

/** Go's "unexpected X in context", with the token shown as Go shows it. */
function unexpected(token: Token, context: string): TemplateFault {
  let shown: string
  if (token.kind === 'eof') shown = 'EOF'
  else if (token.kind === 'keyword') shown = `<${token.value}>`
  else if (token.kind === 'close') shown = '"}}"'
  else if (token.kind === 'open') shown = '"{{"'
  else shown = JSON.stringify(token.value.length > 10 ? `${token.value.slice(0, 10)}...` : token.value)
  return new TemplateFault(token.pos, `unexpected ${shown} in ${context}`)
}
