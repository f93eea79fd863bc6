/**
 * Go's literals inside actions: quoted strings with Go's escapes (`\x`
 * and octal escapes are bytes, so `"\xc3\xa9"` is `é`), character constants
 * (`'a'` is 97) and numbers (decimal, `0x`, `0o`, `0b`, a leading `0` for
 * octal, `_` between digits, floats with a point or an exponent).
 */

const simpleEscapes: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 }

/** Thrown with a message the parser reports at the literal's position. */
export class LiteralError extends Error {}

/** The value of a `"..."` or `` `...` `` literal, given its source with the quotes. */
export function unquoteString(source: string): string {
  if (source.startsWith('`')) return source.slice(1, -1).replaceAll('\r', '')
  return decode(source.slice(1, -1), '"')
}

/** The code point of a `'x'` literal. */
export function unquoteChar(source: string): number {
  const text = decode(source.slice(1, -1), "'")
  const codePoints = [...text]
  if (codePoints.length !== 1) throw new LiteralError(`malformed character constant: ${source}`)
  return codePoints[0]?.codePointAt(0) ?? 0
}

function decode(body: string, quote: string): string {
  const bytes: number[] = []
  for (let i = 0; i < body.length; ) {
    const codePoint = body.codePointAt(i) ?? 0
    const char = String.fromCodePoint(codePoint)
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'))
      i += char.length
      continue
    }
    const kind = body[i + 1] ?? ''
    i += 2
    const simple = simpleEscapes[kind]
    if (simple !== undefined) bytes.push(simple)
    else if (kind === quote) bytes.push(quote.charCodeAt(0))
    else if (kind === 'x') {
      bytes.push(hexValue(body.slice(i, i + 2), 2))
      i += 2
    } else if (kind === 'u' || kind === 'U') {
      const digits = kind === 'u' ? 4 : 8
      const value = hexValue(body.slice(i, i + digits), digits)
      if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) throw new LiteralError(`invalid escape \\${kind}${body.slice(i, i + digits)}: not a character`)
      bytes.push(...Buffer.from(String.fromCodePoint(value), 'utf8'))
      i += digits
    } else if (kind >= '0' && kind <= '7') {
      const digits = body.slice(i - 1, i + 2)
      if (!/^[0-7]{3}$/.test(digits) || Number.parseInt(digits, 8) > 255) throw new LiteralError(`invalid octal escape \\${digits}`)
      bytes.push(Number.parseInt(digits, 8))
      i += 2
    } else throw new LiteralError(`unknown escape sequence \\${kind}`)
  }
  return Buffer.from(bytes).toString('utf8')
}

function hexValue(digits: string, count: number): number {
  if (digits.length !== count || !/^[0-9a-fA-F]+$/.test(digits)) throw new LiteralError(`invalid escape: ${count} hexadecimal digits expected, got "${digits}"`)
  return Number.parseInt(digits, 16)
}

const integerSyntax = /^[+-]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/
// Unambiguous, so a long run of digits cannot make it backtrack.
const floatSyntax = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/

/**
 * The value of a number literal. A whole number past 2^53 cannot be held
 * exactly as a JavaScript number, so it is refused rather than rounded.
 */
export function parseNumber(source: string): number {
  // Go allows `_` only between digits; checking that precisely buys nothing here.
  const text = source.replaceAll('_', '')
  if (text.endsWith('i')) throw new LiteralError(`complex numbers are not supported: ${source}`)
  if (integerSyntax.test(text)) {
    const negative = text.startsWith('-')
    const unsigned = text.replace(/^[+-]/, '')
    // 2^53 has 16 decimal digits; a longer literal is refused before BigInt parses it.
    if (unsigned.length > 70) throw new LiteralError(`number ${source} is too large to hold exactly`)
    const prefixed = /^0[0-7]+$/.test(unsigned) ? `0o${unsigned.slice(1)}` : unsigned
    const magnitude = BigInt(prefixed)
    if (magnitude > BigInt(Number.MAX_SAFE_INTEGER)) throw new LiteralError(`number ${source} is too large to hold exactly`)
    return negative ? -Number(magnitude) : Number(magnitude)
  }
  // Go rejects a whole number that only parses as a float (`089`); a float has a point or an exponent.
  if (floatSyntax.test(text) && /[0-9]/.test(text) && /[.eE]/.test(text)) return Number(text)
  throw new LiteralError(`bad number syntax: ${JSON.stringify(source)}`)
}
