import type { RE2JS } from 're2js'

/** One piece of a parsed replacement: literal text, or the number of a capture group (-1: a group the regexp does not have). */
type Piece = string | number

/** Where an expansion may take its text from: the input between `from` and `to` (the default: all of it). */
export interface Span {
  readonly from: number
  readonly to: number
}

/**
 * A replacement template in the syntax of Go's `Regexp.Expand`, which
 * Traefik's `replacePathRegex` and `redirectRegex` use: `$1` or `${1}` is a
 * group by number, `$name` or `${name}` by name, `$$` is a `$`. A name runs
 * as far as letters, digits and `_` go, so `$1x` is the group named `1x`
 * (none: empty), not group 1 then `x`; a `$` that starts no name stays as
 * it is. A group that does not exist or did not take part in the match
 * expands to nothing.
 */
export class GoReplacement {
  readonly #pieces: readonly Piece[]

  /** Parses `template` once, against the groups `regexp` has. */
  constructor(template: string, regexp: RE2JS) {
    this.#pieces = parse(template, regexp.groupCount(), regexp.re2().namedGroups)
  }

  /**
   * Go's `ReplaceAllString`: every non-overlapping match of `regexp` in
   * `input` replaced by the template, except an empty match right after the
   * previous one. With `within`, every piece of text the result copies from
   * the input (a capture, or the input between matches) is cut to that span:
   * what the result would be if the input outside it were not there.
   * One re2js search (linear) per match, as in Go: a pattern that matches
   * often and must scan far to end each match (`a*b|a` on `aaaa…`) costs
   * more, as it does in Traefik; an anchored pattern (`^/foo/(.*)`) is one
   * search.
   *
   * @example
   * new GoReplacement('/bar/${1}', RE2JS.compile('^/foo/(.*)')).replaceAll(re, '/foo/x') // '/bar/x'
   */
  replaceAll(regexp: RE2JS, input: string, within?: Span): string {
    const copy = within === undefined ? (from: number, to: number) => input.slice(from, to) : clipped(input, within)
    const matcher = regexp.matcher(input)
    let out = ''
    let lastEnd = 0
    let search = 0
    while (search <= input.length && matcher.find(search)) {
      const start = matcher.start()
      const end = matcher.end()
      out += copy(lastEnd, start)
      if (end > lastEnd || start === 0) out += this.#expand(matcher, copy)
      lastEnd = end
      // Always advance at least one code point, as Go advances one rune.
      const width = (input.codePointAt(search) ?? 0) > 0xffff ? 2 : 1
      search = search + width > end ? search + width : end
    }
    return out + copy(lastEnd, input.length)
  }

  #expand(matcher: ReturnType<RE2JS['matcher']>, copy: (from: number, to: number) => string): string {
    let out = ''
    for (const piece of this.#pieces) {
      if (typeof piece === 'string') out += piece
      else if (piece >= 0 && matcher.start(piece) >= 0) out += copy(matcher.start(piece), matcher.end(piece))
    }
    return out
  }
}

function clipped(input: string, { from, to }: Span): (start: number, end: number) => string {
  return (start, end) => {
    const a = Math.max(start, from)
    const b = Math.min(end, to)
    return a < b ? input.slice(a, b) : ''
  }
}

/** Letters, digits and `_`, as Go's `extract` reads a name (`unicode.IsLetter`, `unicode.IsDigit`). */
const nameChar = /[\p{L}\p{Nd}_]/u

function parse(template: string, groups: number, named: Readonly<Record<string, number>>): Piece[] {
  const pieces: Piece[] = []
  let literal = ''
  let i = 0
  while (i < template.length) {
    const dollar = template.indexOf('$', i)
    if (dollar === -1) break
    literal += template.slice(i, dollar)
    i = dollar + 1
    if (template[i] === '$') {
      literal += '$'
      i++
      continue
    }
    const ref = extract(template, i)
    if (ref === undefined) {
      literal += '$' // malformed: the `$` is text
      continue
    }
    if (literal !== '') pieces.push(literal)
    literal = ''
    pieces.push(groupIndex(ref.name, groups, named))
    i = ref.end
  }
  literal += template.slice(i)
  if (literal !== '') pieces.push(literal)
  return pieces
}

/** A name (`1`, `host`) or braced name (`{1}`) at `at`, and where it ends; undefined when there is none. */
function extract(template: string, at: number): { name: string; end: number } | undefined {
  const brace = template[at] === '{'
  let i = brace ? at + 1 : at
  const start = i
  while (i < template.length) {
    const char = String.fromCodePoint(template.codePointAt(i) as number)
    if (!nameChar.test(char)) break
    i += char.length
  }
  if (i === start) return undefined
  const name = template.slice(start, i)
  if (brace) {
    if (template[i] !== '}') return undefined
    i++
  }
  return { name, end: i }
}

/** A number without a leading zero names a group by number (Go stops at 1e8); anything else by name. */
function groupIndex(name: string, groups: number, named: Readonly<Record<string, number>>): number {
  if (/^(?:0|[1-9][0-9]{0,8})$/.test(name)) {
    const number = Number(name)
    return number <= groups ? number : -1
  }
  return Object.hasOwn(named, name) ? (named[name] as number) : -1
}
