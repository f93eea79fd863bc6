import { RE2JSSyntaxException } from 're2js'
import { JunctionError } from '../errors.ts'
import { unicodeClassName } from './unicode-classes.ts'

/**
 * re2js parses Go's RE2 syntax as Go does (it is a port of Go's
 * regexp/syntax), with one difference a rule could notice: the names inside
 * `\p{…}` (see unicode-classes.ts). This returns the pattern with every
 * `\p`/`\P` name in the spelling re2js knows, so a rule means the same in
 * Junction and in Traefik, and refuses the names Go does not know.
 * Everything else is left to re2js, which refuses what Go refuses.
 *
 * @throws JunctionError `JCT_ERR_RULE_SYNTAX` naming the class Go refuses.
 * @example
 * goPattern('^\\p{greek}+$') // '^\\p{Greek}+$'
 */
export function goPattern(pattern: string): string {
  let out = ''
  let copied = 0
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== '\\') continue
    const next = pattern[i + 1]
    if (next === 'Q') {
      // Quoted text is literal: a `\p` inside is not a class.
      const end = pattern.indexOf('\\E', i + 2)
      i = end === -1 ? pattern.length : end + 1
    } else if (next === 'p' || next === 'P') {
      const cls = unicodeClass(pattern, i)
      if (cls === null) break // malformed: re2js reports it as Go would
      out += pattern.slice(copied, i) + cls.source
      copied = i + cls.length
      i = copied - 1
    } else {
      i++ // any other escape is two characters as far as `\p` and `\Q` are concerned
    }
  }
  return out + pattern.slice(copied)
}

/**
 * A Go-style message for a pattern re2js refused, naming the construct when
 * it is one users bring from other engines.
 *
 * @example
 * describeRegexpError(caught) // 'lookahead `(?=` is not supported by Go's regexp'
 */
export function describeRegexpError(error: unknown): string {
  if (!(error instanceof RE2JSSyntaxException)) return (error as Error).message
  const input = error.input ?? ''
  const construct = constructName(error.error, input)
  if (construct === null) return error.message
  return `${construct} is not supported by Go's regexp${input === '\\Z' ? ' (use `\\z`)' : ''}`
}

function constructName(problem: string, input: string): string | null {
  if (problem === 'invalid named capture' && /^\(\?<[=!]/.test(input)) return `lookbehind \`${input.slice(0, 4)}\``
  if (problem === 'invalid or unsupported Perl syntax') {
    if (input === '(?=' || input === '(?!') return `lookahead \`${input}\``
    if (input === '(?>') return 'atomic group `(?>`'
  }
  if (problem === 'invalid escape sequence') {
    if (/^\\[1-9]$/.test(input)) return `backreference \`${input}\``
    if (input === '\\k') return 'named backreference `\\k`'
    if (input === '\\Z') return '`\\Z`'
  }
  if (problem === 'invalid nested repetition operator' && /^(?:[*+?]|\{\d+(?:,\d*)?\})\+$/.test(input)) {
    return `possessive quantifier \`${input}\``
  }
  return null
}

/** The `\p` class at `at`, rewritten, or null when it is malformed. */
function unicodeClass(pattern: string, at: number): { source: string; length: number } | null {
  const start = at + 2
  if (start >= pattern.length) return null
  let written: string
  let length: number
  if (pattern[start] === '{') {
    const close = pattern.indexOf('}', start + 1)
    if (close === -1) return null
    written = pattern.slice(start + 1, close)
    length = close - at + 1
  } else {
    // `\pL`: a one-letter name, which may be any code point (Go then refuses it).
    written = String.fromCodePoint(pattern.codePointAt(start) as number)
    length = 2 + written.length
  }
  const negated = written.startsWith('^')
  const known = unicodeClassName(negated ? written.slice(1) : written)
  if (known === null) {
    const shown = pattern.slice(at, at + length)
    throw new JunctionError('JCT_ERR_RULE_SYNTAX', `Unicode class \`${shown}\` is not supported by Go's regexp`)
  }
  return { source: `\\${pattern[at + 1]}{${negated ? '^' : ''}${known}}`, length }
}
