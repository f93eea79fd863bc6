/**
 * The tokens of a constraints expression, as Go's scanner reads them for
 * vulcand/predicate: identifiers, strings in backticks (raw; carriage
 * returns dropped) or double quotes (Go's escapes), `(`, `)`, `,`, `!`,
 * `&&` and `||`. One pass, each character read once.
 */

export type ExpressionTokenType = 'ident' | 'string' | '(' | ')' | ',' | '&&' | '||' | '!' | 'end'

export interface ExpressionToken {
  readonly type: ExpressionTokenType
  /** The identifier, or the decoded string. */
  readonly value: string
  /** 1-based, in the whole expression; `end` is exclusive. */
  readonly column: number
  readonly end: number
}

const simpleEscapes: Readonly<Record<string, string>> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"',
}
const hexDigits: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 }
const identifier = /[A-Za-z_][A-Za-z0-9_]*/y
const hex = /^[0-9A-Fa-f]+$/
const octal = /^[0-7]{3}$/

/**
 * Scans a whole expression; the last token is `end`.
 *
 * @example
 * scanExpression('!Label(`a`, "b")').tokens.map((token) => token.type)
 * // ['!', 'ident', '(', 'string', ',', 'string', ')', 'end']
 */
export function scanExpression(text: string): { tokens: ExpressionToken[] } | { column: number; problem: string } {
  const tokens: ExpressionToken[] = []
  let at = 0
  while (true) {
    while (at < text.length && isSpace(text.charCodeAt(at))) at++
    if (at >= text.length) {
      tokens.push({ type: 'end', value: '', column: at + 1, end: at + 1 })
      return { tokens }
    }
    const char = text[at] as string
    const next = text[at + 1]
    let token: ExpressionToken | { column: number; problem: string }
    if ((char === '&' || char === '|') && next === char) token = { type: pairs[char], value: pairs[char], column: at + 1, end: at + 3 }
    else if (char === '(' || char === ')' || char === ',' || char === '!') token = { type: char, value: char, column: at + 1, end: at + 2 }
    else if (char === '`') token = rawString(text, at)
    else if (char === '"') token = quotedString(text, at)
    else token = identOrProblem(text, at, char)
    if ('problem' in token) return token
    tokens.push(token)
    at = token.end - 1
  }
}

const pairs = { '&': '&&', '|': '||' } as const

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d
}

function identOrProblem(text: string, at: number, char: string): ExpressionToken | { column: number; problem: string } {
  identifier.lastIndex = at
  const match = identifier.exec(text)
  if (match !== null) return { type: 'ident', value: match[0], column: at + 1, end: at + match[0].length + 1 }
  const hint = char === "'" ? ': strings use backticks or double quotes' : char === '&' || char === '|' ? `: did you mean "${char}${char}"?` : ''
  return { column: at + 1, problem: `unexpected ${JSON.stringify(char)}${hint}` }
}

function rawString(text: string, start: number): ExpressionToken | { column: number; problem: string } {
  const close = text.indexOf('`', start + 1)
  if (close === -1) return { column: start + 1, problem: 'unterminated string' }
  return { type: 'string', value: text.slice(start + 1, close).replaceAll('\r', ''), column: start + 1, end: close + 2 }
}

function quotedString(text: string, start: number): ExpressionToken | { column: number; problem: string } {
  const parts: string[] = []
  let at = start + 1
  let run = at
  while (at < text.length && text[at] !== '"' && text[at] !== '\n') {
    if (text[at] !== '\\') {
      at++
      continue
    }
    parts.push(text.slice(run, at))
    const escape = decodeEscape(text, at)
    if ('problem' in escape) return { column: at + 1, problem: escape.problem }
    parts.push(escape.value)
    at += escape.length
    run = at
  }
  if (at >= text.length || text[at] === '\n') return { column: start + 1, problem: 'unterminated string' }
  parts.push(text.slice(run, at))
  return { type: 'string', value: parts.join(''), column: start + 1, end: at + 2 }
}

/** Go's escapes in interpreted strings. */
function decodeEscape(text: string, at: number): { value: string; length: number } | { problem: string } {
  const kind = text[at + 1] ?? ''
  const simple = simpleEscapes[kind]
  if (simple !== undefined) return { value: simple, length: 2 }
  const width = hexDigits[kind]
  const digits = width === undefined ? text.slice(at + 1, at + 4) : text.slice(at + 2, at + 2 + width)
  const valid = width === undefined ? octal.test(digits) : digits.length === width && hex.test(digits)
  const code = valid ? Number.parseInt(digits, width === undefined ? 8 : 16) : -1
  if (code < 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || (width === undefined && code > 0xff)) {
    return { problem: `unknown escape sequence ${JSON.stringify(text.slice(at, at + 2))}` }
  }
  return { value: String.fromCodePoint(code), length: width === undefined ? 4 : width + 2 }
}
