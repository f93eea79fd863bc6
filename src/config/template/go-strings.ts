/** Go's string rules that output depends on: what is printable, how `%q` escapes, what is space. */

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u
const namedEscapes: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' }

/** Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isGoPrint(codePoint: number): boolean {
  return printable.test(String.fromCodePoint(codePoint))
}

/**
 * Go's `strconv.Quote` (`%q`): double quotes, printable characters kept,
 * the rest escaped; with `asciiOnly` (`%+q`), anything past ASCII is
 * escaped too.
 */
export function goQuote(text: string, asciiOnly = false): string {
  let out = '"'
  for (const char of text) out += escapeCodePoint(codePointOf(char), '"', asciiOnly)
  return `${out}"`
}

/** Go's `strconv.QuoteRune` (`%q` of an integer): `'a'`, `'\n'`. */
export function goQuoteRune(codePoint: number, asciiOnly = false): string {
  const valid = codePoint >= 0 && codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff)
  return `'${escapeCodePoint(valid ? codePoint : 0xfffd, "'", asciiOnly)}'`
}

/** A lone surrogate, which Go strings cannot hold, reads as the replacement character. */
function codePointOf(char: string): number {
  const codePoint = char.codePointAt(0) ?? 0xfffd
  return codePoint >= 0xd800 && codePoint <= 0xdfff ? 0xfffd : codePoint
}

function escapeCodePoint(codePoint: number, quote: string, asciiOnly: boolean): string {
  const char = String.fromCodePoint(codePoint)
  if (char === quote || char === '\\') return `\\${char}`
  if (asciiOnly ? codePoint < 0x80 && isGoPrint(codePoint) : isGoPrint(codePoint)) return char
  const named = namedEscapes[codePoint]
  if (named !== undefined) return named
  if (codePoint < 0x20 || codePoint === 0x7f) return `\\x${hex(codePoint, 2)}`
  return codePoint < 0x10000 ? `\\u${hex(codePoint, 4)}` : `\\U${hex(codePoint, 8)}`
}

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0')
}

/** Go's `unicode.IsSpace`: JavaScript's `\s` without U+FEFF, plus U+0085. */
const goSpaces = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000])

export function isGoSpace(codeUnit: number): boolean {
  return goSpaces.has(codeUnit) || (codeUnit >= 0x2000 && codeUnit <= 0x200a)
}

/** Go's `strings.TrimSpace`. Loops, not a regular expression: `\s+$` is quadratic on long runs of spaces. */
export function goTrimSpace(text: string): string {
  let start = 0
  let end = text.length
  while (start < end && isGoSpace(text.charCodeAt(start))) start++
  while (end > start && isGoSpace(text.charCodeAt(end - 1))) end--
  return text.slice(start, end)
}

/** Go's `strings.Trim`: every leading and trailing character found in `cutset` removed. */
export function goTrim(text: string, cutset: string): string {
  const cut = new Set(cutset)
  const chars = [...text]
  let start = 0
  let end = chars.length
  while (start < end && cut.has(chars[start] ?? '')) start++
  while (end > start && cut.has(chars[end - 1] ?? '')) end--
  return chars.slice(start, end).join('')
}
