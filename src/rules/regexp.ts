import { RE2JS } from 're2js'
import { JunctionError } from '../errors.ts'
import { limitDfaCache, preferDfa } from './dfa-budget.ts'
import { describeRegexpError, goPattern } from './go-regexp-syntax.ts'

/**
 * The regexp engine rules run on. Patterns come from Docker labels and the
 * API, so a backtracking engine would let one label stall a worker
 * (`^/(a+)+$` on `/aaaa…ab` is exponential on V8's RegExp). re2js is a
 * pure-JavaScript port of Go's regexp: the same RE2 syntax Traefik compiles,
 * matched in time linear in the input (lazy DFA, falling back to an NFA).
 *
 * Candidates, measured on Node 24 per `test()` on short inputs: native
 * RegExp 30–40 ns (backtracking, excluded); re2js 0.2–1.3 µs, and on
 * `^/(a+)+$` 0.54 µs at n = 25, 2.6 µs at n = 200; re2-wasm 2–3 µs and
 * unmaintained; the native `re2` binding does not install here; V8's
 * experimental linear engine refuses `i`, `u` and large repeats.
 * `npx node test/bench/regexp.ts` (December 2026, re2js 2.10.0, matching
 * on the DFA: see `preferDfa`): typical rule patterns 60–500 ns against
 * 20–40 ns native; `^/(a+)+$` without a match 367, 750, 1441, 2932 µs at
 * n = 50k, 100k, 200k, 400k (×2 per doubling), where native RegExp takes ×4
 * per two more characters. An input a rule has seen lately is answered by
 * its memo (below) in 16–36 ns.
 */
export const regexpEngine = 're2js'

/**
 * What one compiled regexp may keep in its DFA state cache. re2js's default
 * is 8 MiB per regexp; a few hundred regexp routers would then let clients
 * pin gigabytes. 256 KiB holds the few hundred states a routing pattern
 * needs; a pattern that needs more stays linear, a little slower.
 */
export const dfaCacheLimit = 256 * 1024

/** A compiled regexp with Go's `MatchString` semantics. */
export interface LinearRegexp {
  /** Whether the pattern matches anywhere in `input` (unanchored unless the pattern anchors itself). */
  test(input: string): boolean
}

/**
 * How many answers each regexp remembers, and for inputs how long at most.
 * Hosts, and hot paths such as health checks, come back request after
 * request: a remembered answer costs a map lookup where re2js costs 150–900
 * ns (about 5,000 instructions for `^/(small|16k)$`). Inputs that never come
 * back cost the lookup and a copy on top, and the bounds keep the memory
 * under 20 KiB per regexp whatever clients send (the memo keeps copies, not
 * the request strings they were cut from).
 */
export const memoEntries = 64
export const memoInputLength = 128

/** re2js behind a small memo of answers; `engine` is the compiled re2js regexp, for diagnostics. */
export class RememberingRegexp implements LinearRegexp {
  readonly engine: RE2JS
  readonly #memo = new Map<string, boolean>()

  constructor(engine: RE2JS) {
    this.engine = engine
  }

  test(input: string): boolean {
    if (input.length > memoInputLength) return this.engine.test(input)
    let answer = this.#memo.get(input)
    if (answer === undefined) {
      answer = this.engine.test(input)
      // Starting over when full keeps this O(1) per call without tracking recency.
      if (this.#memo.size >= memoEntries) this.#memo.clear()
      this.#memo.set(detached(input), answer)
    }
    return answer
  }
}

/**
 * A copy of `input` that holds no reference to a larger string. V8 makes a
 * slice of 13 characters or more a view on its parent: the path of
 * `/a?<1 MiB of query>` keeps the whole request line alive, and 64 of them
 * in a memo would pin 64 MiB. Concatenating builds a new string, and slicing
 * it flattens that into a string of the input's own length.
 */
function detached(input: string): string {
  return ` ${input}`.slice(1)
}

/**
 * Compiles a pattern in Go's RE2 syntax, as written, for the linear engine.
 * Constructs other engines accept and Go's regexp refuses (lookarounds,
 * backreferences, possessive quantifiers, `\Z`, Unicode classes Go does not
 * know) are refused with a message naming them.
 *
 * @throws JunctionError `JCT_ERR_RULE_SYNTAX` with Go's description of the problem.
 * @example
 * compileRegexp('^(?P<sub>[a-z]+)\\.example\\.com$', { ignoreCase: true }).test('API.example.com') // true
 */
export function compileRegexp(pattern: string, options: { readonly ignoreCase?: boolean } = {}): RememberingRegexp {
  const source = goPattern(pattern)
  let compiled: RE2JS
  try {
    compiled = RE2JS.compile(source, options.ignoreCase === true ? RE2JS.CASE_INSENSITIVE : 0)
  } catch (error) {
    // The case flag is spelled as a `(?i)` prefix in re2js's messages; show the pattern as written.
    const cause = options.ignoreCase === true ? compileError(source) ?? error : error
    throw new JunctionError('JCT_ERR_RULE_SYNTAX', describeRegexpError(cause), { cause })
  }
  limitDfaCache(compiled, dfaCacheLimit)
  preferDfa(compiled)
  return new RememberingRegexp(compiled)
}

function compileError(source: string): unknown {
  try {
    RE2JS.compile(source)
    return undefined
  } catch (error) {
    return error
  }
}
