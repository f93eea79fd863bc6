import { JunctionError } from '../errors.ts'

/** A Go RE2 pattern rewritten for JavaScript's RegExp (always with the `u` flag). */
export interface TranslatedRegexp {
  readonly source: string
  readonly flags: string
}

type Ranges = readonly (readonly [number, number])[]

/** RE2's ASCII classes, as code point ranges. */
const posixClasses: Readonly<Record<string, Ranges>> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
}

/** Go's `\s` is ASCII `[\t\n\f\r ]`; JavaScript's also takes `\v` and Unicode spaces. */
const goSpace: Ranges = [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]]
const simpleEscapes: Readonly<Record<string, string>> = { a: '\\x07', f: '\\f', t: '\\t', n: '\\n', r: '\\r', v: '\\v' }
/** Characters that must stay escaped in a JavaScript `u` pattern. */
const jsSyntax = new Set('^$\\.*+?()[]{}|/-'.split(''))
const maxRepeat = 1000

interface Scope {
  dotAll: boolean
  multiline: boolean
}

/**
 * Rewrites a Go RE2 pattern as an equivalent JavaScript pattern. Constructs
 * JavaScript would accept with another meaning, and those RE2 refuses, are
 * rejected: backreferences, lookarounds, atomic groups, possessive
 * quantifiers, `\Z`, `\C`. Anchors, `.`, `\s` and POSIX classes are spelled
 * out so that they keep Go's meaning (`$` is the end of the text unless
 * `(?m)`, `.` takes `\r`).
 *
 * @throws JunctionError `JCT_ERR_RULE_SYNTAX` saying what and where (offset in the pattern).
 * @example
 * translateRe2('(?i)^(?P<sub>[a-z]+)\\.example\\.com\\z')
 * // { source: '^(?<sub>[a-z]+)\\.example\\.com$', flags: 'iu' }
 */
export function translateRe2(pattern: string): TranslatedRegexp {
  const lead = /^\(\?([imsU]+)\)/.exec(pattern)
  const flags = lead?.[1] ?? ''
  if (flags.includes('U')) throw re2Error('the ungreedy flag (?U) is not supported', 0)
  const translator = new Translator(pattern, lead?.[0].length ?? 0, { dotAll: flags.includes('s'), multiline: flags.includes('m') })
  return { source: translator.run(), flags: flags.includes('i') ? 'iu' : 'u' }
}

/**
 * Compiles a Go RE2 pattern to a JavaScript RegExp with Go's `MatchString`
 * semantics (unanchored unless the pattern anchors itself).
 *
 * @throws JunctionError `JCT_ERR_RULE_SYNTAX` when the pattern is not valid RE2 or cannot be translated.
 */
export function compileRe2(pattern: string, options: { ignoreCase?: boolean } = {}): RegExp {
  const { source, flags } = translateRe2(pattern)
  const allFlags = options.ignoreCase === true && !flags.includes('i') ? `i${flags}` : flags
  try {
    return new RegExp(source, allFlags)
  } catch (error) {
    throw new JunctionError('JCT_ERR_RULE_SYNTAX', `invalid regexp ${JSON.stringify(pattern)}: ${(error as Error).message}`, { cause: error })
  }
}

function re2Error(problem: string, offset: number): JunctionError {
  return new JunctionError('JCT_ERR_RULE_SYNTAX', `${problem} (at offset ${offset} of the pattern)`)
}

class Translator {
  readonly #src: string
  #i: number
  #out = ''
  readonly #scopes: Scope[]

  constructor(src: string, start: number, top: Scope) {
    this.#src = src
    this.#i = start
    this.#scopes = [top]
  }

  get #scope(): Scope {
    return this.#scopes[this.#scopes.length - 1] as Scope
  }

  run(): string {
    const src = this.#src
    while (this.#i < src.length) {
      const c = src[this.#i] as string
      const at = this.#i
      this.#i++
      if (c === '\\') this.#out += this.#escape(at, false)
      else if (c === '[') this.#class(at)
      else if (c === '(') this.#open(at)
      else if (c === ')') this.#close(at)
      else if (c === '*' || c === '+' || c === '?') this.#quantifier(c, at)
      else if (c === '{') this.#out += this.#repeat(at)
      else if (c === '.') this.#out += this.#scope.dotAll ? '[\\s\\S]' : '[^\\n]'
      else if (c === '^') this.#out += this.#scope.multiline ? '(?<![^\\n])' : '^'
      else if (c === '$') this.#out += this.#scope.multiline ? '(?![^\\n])' : '$'
      else if (c === ']' || c === '}') this.#out += `\\${c}`
      else this.#out += c
    }
    if (this.#scopes.length > 1) throw re2Error('missing closing ")"', src.length)
    return this.#out
  }

  #quantifier(c: string, at: number): void {
    this.#out += c + this.#suffix(at)
  }

  /** Lazy `?` passes through; a possessive `+` would silently mean something else to RE2 users. */
  #suffix(at: number): string {
    const next = this.#src[this.#i]
    if (next === '+') throw re2Error('possessive quantifiers are not supported by RE2', at)
    if (next !== '?') return ''
    this.#i++
    return '?'
  }

  #repeat(at: number): string {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(this.#src.slice(at))
    if (match === null) return '\\{' // RE2 reads a brace that starts no repeat as a literal.
    const min = Number(match[1])
    const max = match[3] === undefined || match[3] === '' ? min : Number(match[3])
    if (min > maxRepeat || max > maxRepeat || max < min) throw re2Error(`invalid repeat count "${match[0]}"`, at)
    this.#i = at + match[0].length
    return match[0] + this.#suffix(at)
  }

  #open(at: number): void {
    const rest = this.#src.slice(at + 1)
    const inherited = { ...this.#scope }
    if (!rest.startsWith('?')) {
      this.#scopes.push(inherited)
      this.#out += '('
      return
    }
    const named = /^\?P?<([^>]*)>/.exec(rest)
    if (named !== null) {
      const name = named[1] as string
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw re2Error(`invalid group name "${name}"`, at)
      this.#scopes.push(inherited)
      this.#out += `(?<${name}>`
      this.#i = at + 1 + named[0].length
      return
    }
    if (/^\?(=|!|<=|<!)/.test(rest)) throw re2Error('lookarounds are not supported by RE2', at)
    if (rest.startsWith('?>')) throw re2Error('atomic groups are not supported by RE2', at)
    const flagged = /^\?([imsU]*)(?:-([imsU]*))?([:)])/.exec(rest)
    if (flagged === null) throw re2Error(`invalid or unsupported group "(${rest.slice(0, 3)}"`, at)
    this.#flagGroup(flagged, inherited, at)
  }

  #flagGroup(flagged: RegExpExecArray, scope: Scope, at: number): void {
    const on = flagged[1] ?? ''
    const off = flagged[2] ?? ''
    if (on.includes('U') || off.includes('U')) throw re2Error('the ungreedy flag (?U) is not supported', at)
    if (flagged[2] === '' || (on === '' && flagged[2] === undefined && flagged[3] === ')')) {
      throw re2Error(`invalid flag group "(${flagged[0]}"`, at)
    }
    if (on.includes('s')) scope.dotAll = true
    if (off.includes('s')) scope.dotAll = false
    if (on.includes('m')) scope.multiline = true
    if (off.includes('m')) scope.multiline = false
    this.#i = at + 1 + flagged[0].length
    if (flagged[3] === ')') {
      // Case folding has no JavaScript spelling for "from here to the end of the group".
      if (on.includes('i') || off.includes('i')) throw re2Error('(?i) is only supported at the start of the pattern; use (?i:…) for a part', at)
      Object.assign(this.#scope, scope)
      return
    }
    this.#scopes.push(scope)
    this.#out += on.includes('i') ? '(?i:' : off.includes('i') ? '(?-i:' : '(?:'
  }

  #close(at: number): void {
    if (this.#scopes.length === 1) throw re2Error('unexpected ")"', at)
    this.#scopes.pop()
    this.#out += ')'
  }

  /** One escape; `inClass` selects the spelling that is valid inside `[...]`. */
  #escape(at: number, inClass: boolean): string {
    const src = this.#src
    const c = src[this.#i]
    if (c === undefined) throw re2Error('trailing backslash', at)
    this.#i++
    if (c === 'Q') return this.#quoted(inClass)
    if (c === 'd' || c === 'D' || c === 'w' || c === 'W') return `\\${c}`
    if (c === 's') return inClass ? rangesSource(goSpace) : `[${rangesSource(goSpace)}]`
    if (c === 'S') return inClass ? rangesSource(complement(goSpace)) : `[^${rangesSource(goSpace)}]`
    if (c === 'p' || c === 'P') return this.#property(c, at)
    if (c === 'x') return this.#hex(at)
    if (c >= '0' && c <= '9') return this.#octal(c, at)
    const simple = simpleEscapes[c]
    if (simple !== undefined) return simple
    if (!inClass && (c === 'b' || c === 'B')) return `\\${c}`
    if (!inClass && c === 'A') return '^'
    if (!inClass && c === 'z') return '$'
    if (c === 'Z') throw re2Error('\\Z is not supported by RE2; use \\z', at)
    if (c === 'C') throw re2Error('\\C is not supported', at)
    if (/[A-Za-z]/.test(c) || c.charCodeAt(0) > 0x7f) throw re2Error(`invalid escape "\\${c}"`, at)
    return literal(c, inClass)
  }

  #quoted(inClass: boolean): string {
    const end = this.#src.indexOf('\\E', this.#i)
    const text = this.#src.slice(this.#i, end === -1 ? undefined : end)
    this.#i = end === -1 ? this.#src.length : end + 2
    return [...text].map((ch) => literal(ch, inClass)).join('')
  }

  #property(kind: string, at: number): string {
    const braced = /^\{(\^?)([A-Za-z_]+)\}/.exec(this.#src.slice(this.#i))
    const single = /^[A-Za-z]/.exec(this.#src.slice(this.#i))
    const name = braced?.[2] ?? single?.[0]
    if (name === undefined) throw re2Error(`invalid character class "\\${kind}"`, at)
    this.#i += braced?.[0].length ?? 1
    const negate = (kind === 'P') !== (braced?.[1] === '^')
    const jsName = /^[A-Z][a-z]?$/.test(name) || name === 'Any' ? name : `Script=${name}`
    return `\\${negate ? 'P' : 'p'}{${jsName}}`
  }

  #hex(at: number): string {
    const match = /^(?:\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2}))/.exec(this.#src.slice(this.#i))
    const code = match === null ? Number.NaN : Number.parseInt((match[1] ?? match[2]) as string, 16)
    if (match === null || code > 0x10ffff) throw re2Error('invalid escape "\\x"', at)
    this.#i += match[0].length
    return `\\u{${code.toString(16)}}`
  }

  #octal(first: string, at: number): string {
    const digits = /^[0-7]{0,2}/.exec(this.#src.slice(this.#i))?.[0] ?? ''
    // RE2 reads \1–\9 alone as a backreference, which it does not support.
    if (first > '7' || (first !== '0' && digits === '')) throw re2Error(`backreferences are not supported by RE2 ("\\${first}")`, at)
    this.#i += digits.length
    return `\\u{${Number.parseInt(first + digits, 8).toString(16)}}`
  }

  #class(at: number): void {
    const src = this.#src
    let out = '['
    if (src[this.#i] === '^') {
      out += '^'
      this.#i++
    }
    let first = true
    while (true) {
      const c = src[this.#i]
      if (c === undefined) throw re2Error('missing closing "]"', at)
      if (c === ']' && !first) break
      first = false
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(this.#i))
      if (posix !== null) {
        const ranges = posixClasses[posix[2] as string]
        if (ranges === undefined) throw re2Error(`invalid character class "${posix[0]}"`, this.#i)
        out += rangesSource(posix[1] === '^' ? complement(ranges) : ranges)
        this.#i += posix[0].length
        continue
      }
      this.#i++
      // A raw dash keeps its range meaning; an escaped one (`\-`) is a literal.
      out += c === '\\' ? this.#escape(this.#i - 1, true) : c === '-' ? '-' : literal(c, true)
    }
    this.#i++
    this.#out += `${out}]`
  }
}

function literal(c: string, inClass: boolean): string {
  if (inClass) return c === '\\' || c === ']' || c === '[' || c === '^' || c === '-' ? `\\${c}` : c
  return jsSyntax.has(c) && c !== '-' ? `\\${c}` : c
}

function rangesSource(ranges: Ranges): string {
  return ranges.map(([lo, hi]) => (lo === hi ? codePoint(lo) : `${codePoint(lo)}-${codePoint(hi)}`)).join('')
}

function codePoint(code: number): string {
  return `\\u{${code.toString(16)}}`
}

function complement(ranges: Ranges): Ranges {
  const out: [number, number][] = []
  let next = 0
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1])
    next = hi + 1
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff])
  return out
}
