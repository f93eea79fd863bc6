import { TemplateFault } from './template-error.ts'

export type TokenKind =
  | 'text'
  | 'open' // {{
  | 'close' // }}
  | 'space'
  | 'field' // .Name (value: Name)
  | 'identifier'
  | 'variable' // $ or $name (value with the $)
  | 'dot'
  | 'string' // value: the quoted source, unquoted by the parser
  | 'rawString'
  | 'char'
  | 'number'
  | 'bool'
  | 'keyword'
  | 'pipe'
  | 'declare' // :=
  | 'assign' // =
  | 'leftParen'
  | 'rightParen'
  | 'other' // any other printable ASCII character (a comma among them)
  | 'eof'

export interface Token {
  readonly kind: TokenKind
  readonly value: string
  /** Offsets of the token in the template text: its first character, and the one after its last. */
  readonly pos: number
  readonly end: number
}

const keywords = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'nil', 'range', 'template', 'with'])
const alphanumeric = /[\p{L}\p{Nd}_]/u

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n'
}

function isAlphanumeric(c: string | undefined): boolean {
  return c !== undefined && (c === '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c > '\x7f' && alphanumeric.test(c)))
}

/**
 * Go's text/template scanner, one token at a time so the parser reports
 * the first fault in reading order. Every step moves forward, and each
 * search (`indexOf` of `{{` or `*\/`) starts where the last one ended, so
 * the whole text is scanned in linear time.
 *
 * Trim markers are handled here, as Go does: `{{- ` drops the white space
 * before the action, ` -}}` the white space after it. Comments
 * (`{{/* ... *\/}}`) produce no token.
 */
export class Lexer {
  readonly #text: string
  #pos = 0
  #inAction = false
  #parenDepth = 0
  readonly #pending: Token[] = []

  constructor(text: string) {
    this.#text = text
  }

  next(): Token {
    const pending = this.#pending.shift()
    if (pending !== undefined) return pending
    return this.#inAction ? this.#insideAction() : this.#outsideAction()
  }

  #outsideAction(): Token {
    const text = this.#text
    for (;;) {
      const start = this.#pos
      if (start >= text.length) return { kind: 'eof', value: '', pos: text.length, end: text.length }
      const open = text.indexOf('{{', start)
      if (open < 0) {
        this.#pos = text.length
        return { kind: 'text', value: text.slice(start), pos: start, end: text.length }
      }
      const trim = text[open + 2] === '-' && isSpace(text[open + 3])
      let end = open
      if (trim) while (end > start && isSpace(text[end - 1])) end--
      const inside = open + 2 + (trim ? 2 : 0)
      if (text.startsWith('/*', inside)) {
        this.#skipComment(open, inside + 2)
        if (end > start) return { kind: 'text', value: text.slice(start, end), pos: start, end }
        continue
      }
      this.#pos = inside
      this.#inAction = true
      this.#parenDepth = 0
      const delimiter: Token = { kind: 'open', value: '{{', pos: open, end: inside }
      if (end > start) {
        this.#pending.push(delimiter)
        return { kind: 'text', value: text.slice(start, end), pos: start, end }
      }
      return delimiter
    }
  }

  #skipComment(open: number, after: number): void {
    const close = this.#text.indexOf('*/', after)
    if (close < 0) throw new TemplateFault(open, 'unclosed comment')
    this.#pos = close + 2
    const trim = this.#atRightTrim()
    if (!trim && !this.#text.startsWith('}}', this.#pos)) throw new TemplateFault(open, 'comment ends before closing delimiter')
    this.#pos += trim ? 4 : 2
    if (trim) this.#skipSpaces()
  }

  /** ` -}}`: white space, a dash, then the right delimiter. */
  #atRightTrim(): boolean {
    return isSpace(this.#text[this.#pos]) && this.#text[this.#pos + 1] === '-' && this.#text.startsWith('}}', this.#pos + 2)
  }

  #skipSpaces(): void {
    while (isSpace(this.#text[this.#pos])) this.#pos++
  }

  #insideAction(): Token {
    const text = this.#text
    const start = this.#pos
    const trim = this.#atRightTrim()
    if (trim || text.startsWith('}}', start)) {
      if (this.#parenDepth > 0) throw new TemplateFault(start, 'unclosed left paren')
      this.#pos += trim ? 4 : 2
      this.#inAction = false
      const end = this.#pos
      if (trim) this.#skipSpaces()
      return { kind: 'close', value: '}}', pos: trim ? start + 2 : start, end }
    }
    const c = text[start]
    if (c === undefined) throw new TemplateFault(start, 'unclosed action')
    if (isSpace(c)) {
      this.#pos++
      // A run of spaces is one token, unless a right trim marker starts inside it.
      while (isSpace(text[this.#pos]) && !this.#atRightTrim()) this.#pos++
      return { kind: 'space', value: ' ', pos: start, end: this.#pos }
    }
    this.#pos++
    switch (c) {
      case ':':
        if (text[this.#pos] !== '=') throw new TemplateFault(start, 'expected :=')
        this.#pos++
        return { kind: 'declare', value: ':=', pos: start, end: this.#pos }
      case '=':
        return { kind: 'assign', value: '=', pos: start, end: this.#pos }
      case '|':
        return { kind: 'pipe', value: '|', pos: start, end: this.#pos }
      case '"':
        return this.#quoted(start)
      case '`':
        return this.#raw(start)
      case "'":
        return this.#char(start)
      case '$':
        return this.#word(start, 'variable')
      case '(':
        this.#parenDepth++
        return { kind: 'leftParen', value: '(', pos: start, end: this.#pos }
      case ')':
        if (--this.#parenDepth < 0) throw new TemplateFault(start, 'unexpected right paren')
        return { kind: 'rightParen', value: ')', pos: start, end: this.#pos }
      case '.': {
        const after = text[this.#pos]
        if (after === undefined || after < '0' || after > '9') return this.#word(start, 'field')
        this.#pos--
        return this.#number(start)
      }
    }
    if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
      this.#pos--
      return this.#number(start)
    }
    if (isAlphanumeric(c) || (c > '\x7f' && isAlphanumeric(String.fromCodePoint(text.codePointAt(start) ?? 0)))) {
      this.#pos = start
      return this.#identifier(start)
    }
    if (c >= ' ' && c <= '~') return { kind: 'other', value: c, pos: start, end: this.#pos }
    const codePoint = text.codePointAt(start) ?? 0
    throw new TemplateFault(start, `unrecognized character in action: U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`)
  }

  /** Go accepts an identifier only when a space, `.`, `,`, `|`, `:`, `=`, a parenthesis or the delimiter follows. */
  #atTerminator(): boolean {
    const c = this.#text[this.#pos]
    return c === undefined || isSpace(c) || '.,|:=()}'.includes(c)
  }

  #alphanumericRun(): void {
    for (;;) {
      const codePoint = this.#text.codePointAt(this.#pos)
      if (codePoint === undefined) return
      const char = String.fromCodePoint(codePoint)
      if (!isAlphanumeric(char)) return
      this.#pos += char.length
    }
  }

  /** `$name` or `.Name` (the sigil already read); `$` or `.` alone when nothing follows. */
  #word(start: number, kind: 'variable' | 'field'): Token {
    if (this.#atTerminator()) return kind === 'variable' ? { kind, value: '$', pos: start, end: this.#pos } : { kind: 'dot', value: '.', pos: start, end: this.#pos }
    this.#alphanumericRun()
    if (!this.#atTerminator()) throw this.#badCharacter()
    const word = this.#text.slice(start, this.#pos)
    return kind === 'variable' ? { kind, value: word, pos: start, end: this.#pos } : { kind, value: word.slice(1), pos: start, end: this.#pos }
  }

  #identifier(start: number): Token {
    this.#alphanumericRun()
    if (!this.#atTerminator()) throw this.#badCharacter()
    const word = this.#text.slice(start, this.#pos)
    if (keywords.has(word)) return { kind: 'keyword', value: word, pos: start, end: this.#pos }
    if (word === 'true' || word === 'false') return { kind: 'bool', value: word, pos: start, end: this.#pos }
    return { kind: 'identifier', value: word, pos: start, end: this.#pos }
  }

  #badCharacter(): TemplateFault {
    const codePoint = this.#text.codePointAt(this.#pos) ?? 0
    const shown = String.fromCodePoint(codePoint)
    return new TemplateFault(this.#pos, `bad character U+${codePoint.toString(16).toUpperCase().padStart(4, '0')} '${shown}'`)
  }

  /** A number as Go scans it (the parser checks its syntax): sign, base prefix, digits, point, exponent. */
  #number(start: number): Token {
    const text = this.#text
    const accept = (chars: string): boolean => {
      const c = text[this.#pos]
      if (c === undefined || !chars.includes(c)) return false
      this.#pos++
      return true
    }
    const acceptRun = (chars: string): void => {
      while (accept(chars));
    }
    accept('+-')
    let digits = '0123456789_'
    let exponent = 'eE'
    if (accept('0')) {
      if (accept('xX')) {
        digits = '0123456789abcdefABCDEF_'
        exponent = 'pP'
      } else if (accept('oO')) digits = '01234567_'
      else if (accept('bB')) digits = '01_'
    }
    acceptRun(digits)
    if (accept('.')) acceptRun(digits)
    // Exponents for decimal (e) and hexadecimal (p) numbers only, as Go scans them.
    if ((digits.length === 11 || digits.length === 23) && accept(exponent)) {
      accept('+-')
      acceptRun('0123456789_')
    }
    accept('i')
    if (isAlphanumeric(text[this.#pos]) || text[this.#pos] === '.' || text[this.#pos] === '+' || text[this.#pos] === '-') {
      while (isAlphanumeric(text[this.#pos]) || '.+-'.includes(text[this.#pos] ?? ' ')) this.#pos++
      throw new TemplateFault(start, `bad number syntax: ${JSON.stringify(text.slice(start, this.#pos))}`)
    }
    return { kind: 'number', value: text.slice(start, this.#pos), pos: start, end: this.#pos }
  }

  #quoted(start: number): Token {
    return this.#escaped(start, '"', 'string', 'unterminated quoted string')
  }

  #raw(start: number): Token {
    const close = this.#text.indexOf('`', this.#pos)
    if (close < 0) throw new TemplateFault(start, 'unterminated raw quoted string')
    this.#pos = close + 1
    return { kind: 'rawString', value: this.#text.slice(start, this.#pos), pos: start, end: this.#pos }
  }

  #char(start: number): Token {
    return this.#escaped(start, "'", 'char', 'unterminated character constant')
  }

  /** A Go literal with backslash escapes, closed by `quote` on the same line; the escapes are decoded later. */
  #escaped(start: number, quote: string, kind: 'string' | 'char', unterminated: string): Token {
    const text = this.#text
    for (;;) {
      const c = text[this.#pos++]
      if (c === '\\') {
        const escaped = text[this.#pos++]
        if (escaped !== undefined && escaped !== '\n') continue
      }
      if (c === undefined || c === '\n' || c === '\\') throw new TemplateFault(start, unterminated)
      if (c === quote) return { kind, value: text.slice(start, this.#pos), pos: start, end: this.#pos }
    }
  }
}
