import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { RE2JS } from 're2js'
import { describe, expect, it } from 'vitest'
import { JunctionError } from '../../../src/errors.ts'
import { dfaCacheUse, limitDfaCache, preferDfa } from '../../../src/rules/dfa-budget.ts'
import { compileHttpRule, normaliseHost, type RouteRequest } from '../../../src/rules/http-matcher.ts'
import { compileRegexp, dfaCacheLimit, memoEntries, memoInputLength, regexpEngine } from '../../../src/rules/regexp.ts'
import { sanitizePath } from '../../../src/rules/sanitize-path.ts'

function request(path: string): RouteRequest {
  return {
    host: normaliseHost('example.test'),
    path: sanitizePath(path) ?? '',
    method: 'GET',
    headers: {},
    query: () => new URLSearchParams(),
    clientIp: '127.0.0.1',
  }
}

function refusal(pattern: string): JunctionError {
  try {
    compileRegexp(pattern)
  } catch (error) {
    if (error instanceof JunctionError) return error
    throw error
  }
  throw new Error(`pattern ${pattern} compiled`)
}

/** A fixed pseudo-random string of `a` and `b` (xorshift32), so the test sees the same input every run. */
function randomAb(length: number): string {
  let state = 2463534242
  let out = ''
  for (let i = 0; i < length; i++) {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    out += (state & 1) === 0 ? 'a' : 'b'
  }
  return out
}

describe('the regexp engine', () => {
  it('is re2js, a linear-time engine', () => {
    expect(regexpEngine).toBe('re2js')
    expect(compileRegexp('^/api/').engine).toBeInstanceOf(RE2JS)
  })

  it('answers an exponential-on-backtracking pattern on 100,000 characters', () => {
    // On V8's RegExp this call would not return in the lifetime of the test run.
    const rule = compileHttpRule('PathRegexp(`^/(a+)+$`)')
    expect(rule.match(request(`/${'a'.repeat(100_000)}b`))).toBe(false)
    expect(rule.match(request(`/${'a'.repeat(100_000)}`))).toBe(true)
  })
})

describe('compileRegexp keeps Go semantics', () => {
  it.each([
    { desc: 'unanchored search, as MatchString', pattern: 'b', input: 'abc', expected: true },
    { desc: '^ is the start of the text', pattern: '^b', input: 'a\nb', expected: false },
    { desc: '$ is the end of the text, not before a final newline', pattern: 'a$', input: 'a\n', expected: false },
    { desc: '\\A and \\z', pattern: '\\Aabc\\z', input: 'abc', expected: true },
    { desc: '\\z refuses a trailing newline', pattern: 'abc\\z', input: 'abc\n', expected: false },
    { desc: '(?m) line anchors', pattern: '(?m)^b$', input: 'a\nb\nc', expected: true },
    { desc: '(?i) at the start', pattern: '(?i)^abc$', input: 'ABC', expected: true },
    { desc: '(?i) in the middle', pattern: '^a(?i)b$', input: 'aB', expected: true },
    { desc: '(?i) in the middle leaves the start alone', pattern: '^a(?i)b$', input: 'AB', expected: false },
    { desc: '(?i:…) group', pattern: '^a(?i:b)c$', input: 'aBc', expected: true },
    { desc: '(?i) folds the Kelvin sign, as Go does', pattern: '(?i)^k$', input: '\u212a', expected: true },
    { desc: '(?U) swaps greediness', pattern: '(?U)^a+?$', input: 'aaa', expected: true },
    { desc: '(?P<name>…) group', pattern: '^(?P<sub>[a-z]+)\\.t$', input: 'abc.t', expected: true },
    { desc: '(?<name>…) group', pattern: '^(?<sub>[a-z]+)\\.t$', input: 'abc.t', expected: true },
    { desc: 'group name starting with a digit, as Go allows', pattern: '^(?P<1st>a)$', input: 'a', expected: true },
    { desc: '\\pL', pattern: '^\\pL+$', input: 'héllo', expected: true },
    { desc: '\\PL', pattern: '^\\PL$', input: '7', expected: true },
    { desc: '\\p{Greek}', pattern: '^\\p{Greek}+$', input: 'αβγ', expected: true },
    { desc: '\\p{^Greek}', pattern: '^\\p{^Greek}$', input: 'a', expected: true },
    { desc: '\\p{greek}, Go ignores case in names', pattern: '^\\p{greek}+$', input: 'αβγ', expected: true },
    { desc: '\\p{Letter}, a category alias', pattern: '^\\p{Letter}$', input: 'é', expected: true },
    { desc: '\\p{ASCII}', pattern: '^\\p{ASCII}+$', input: 'abc', expected: true },
    { desc: '\\p{ASCII} refuses é', pattern: '^\\p{ASCII}$', input: 'é', expected: false },
    { desc: '\\p{Lu} inside a class', pattern: '^[\\p{Lu}0-9]+$', input: 'AB1', expected: true },
    { desc: 'POSIX class', pattern: '^[[:xdigit:]]+$', input: 'c0ffee', expected: true },
    { desc: 'POSIX classes are ASCII', pattern: '^[[:alpha:]]$', input: 'é', expected: false },
    { desc: 'negated POSIX class', pattern: '^[[:^digit:]]$', input: 'x', expected: true },
    { desc: '\\d is ASCII', pattern: '^\\d$', input: '٣', expected: false },
    { desc: '\\s is [\\t\\n\\f\\r ], without \\v', pattern: '^\\s$', input: '\v', expected: false },
    { desc: '\\s refuses a no-break space', pattern: '^\\s$', input: '\u00a0', expected: false },
    { desc: '\\b is an ASCII word boundary', pattern: '\\bé', input: 'é', expected: false },
    { desc: '\\Q…\\E quotes', pattern: '^\\Q(a+)\\E$', input: '(a+)', expected: true },
    { desc: '\\Q…\\E quotes a \\p', pattern: '^\\Q\\p{Nope}\\E$', input: '\\p{Nope}', expected: true },
    { desc: '. refuses \\n', pattern: '^a.b$', input: 'a\nb', expected: false },
    { desc: '. takes \\r', pattern: '^a.b$', input: 'a\rb', expected: true },
    { desc: '(?s) . takes \\n', pattern: '(?s)^a.b$', input: 'a\nb', expected: true },
    { desc: '. is one code point', pattern: '^.$', input: '😀', expected: true },
    { desc: 'a brace that starts no repeat is literal', pattern: '^a{,2}$', input: 'a{,2}', expected: true },
    { desc: 'repeat up to 1000', pattern: '^a{1000}$', input: 'a'.repeat(1000), expected: true },
    { desc: 'hex escape', pattern: '^caf\\x{e9}$', input: 'café', expected: true },
  ])('$desc', ({ pattern, input, expected }) => {
    expect(compileRegexp(pattern).test(input)).toBe(expected)
  })

  it('matches case-insensitively on request, as host regexps do', () => {
    expect(compileRegexp('^API\\.example\\.test$', { ignoreCase: true }).test('api.example.test')).toBe(true)
  })
})

describe('compileRegexp refuses what Go refuses', () => {
  it.each([
    { desc: 'lookbehind', input: '(?<=a)b', expected: "lookbehind `(?<=` is not supported by Go's regexp" },
    { desc: 'negative lookbehind', input: '(?<!a)b', expected: "lookbehind `(?<!` is not supported by Go's regexp" },
    { desc: 'lookahead', input: 'a(?=b)', expected: "lookahead `(?=` is not supported by Go's regexp" },
    { desc: 'negative lookahead', input: '(?!a)', expected: "lookahead `(?!` is not supported by Go's regexp" },
    { desc: 'atomic group', input: '(?>a+)b', expected: "atomic group `(?>` is not supported by Go's regexp" },
    { desc: 'backreference', input: '(a)\\1', expected: "backreference `\\1` is not supported by Go's regexp" },
    { desc: 'backreference \\8', input: '\\8', expected: "backreference `\\8` is not supported by Go's regexp" },
    { desc: 'named backreference', input: '(?P<n>a)\\k<n>', expected: "named backreference `\\k` is not supported by Go's regexp" },
    { desc: 'possessive star', input: 'a*+', expected: "possessive quantifier `*+` is not supported by Go's regexp" },
    { desc: 'possessive plus', input: 'a++', expected: "possessive quantifier `++` is not supported by Go's regexp" },
    { desc: 'possessive repeat', input: 'a{2,}+', expected: "possessive quantifier `{2,}+` is not supported by Go's regexp" },
    { desc: '\\Z', input: 'a\\Z', expected: "`\\Z` is not supported by Go's regexp (use `\\z`)" },
    { desc: 'binary property', input: '\\p{Emoji}', expected: "Unicode class `\\p{Emoji}` is not supported by Go's regexp" },
    { desc: 'binary property in a class', input: '[\\P{Alphabetic}]', expected: "Unicode class `\\P{Alphabetic}` is not supported by Go's regexp" },
    { desc: 'script Go cannot reach', input: '\\p{Old_Italic}', expected: "Unicode class `\\p{Old_Italic}` is not supported by Go's regexp" },
    { desc: 'script newer than Unicode 15', input: '\\p{Garay}', expected: "Unicode class `\\p{Garay}` is not supported by Go's regexp" },
    { desc: 'unknown one-letter class', input: '\\pq', expected: "Unicode class `\\pq` is not supported by Go's regexp" },
    { desc: 'named backreference (?P=)', input: '(?P<n>a)(?P=n)', expected: 'error parsing regexp: invalid or unsupported Perl syntax: `(?P`' },
    { desc: 'comment group', input: '(?#note)a', expected: 'error parsing regexp: invalid or unsupported Perl syntax: `(?#`' },
    { desc: '\\C', input: '\\C', expected: 'error parsing regexp: invalid escape sequence: `\\C`' },
    { desc: 'JavaScript escape \\u', input: '\\u0041', expected: 'error parsing regexp: invalid escape sequence: `\\u`' },
    { desc: 'repeat over 1000', input: 'a{1001}', expected: 'error parsing regexp: invalid repeat count: `{1001}`' },
    { desc: 'nested repeat', input: 'a**', expected: 'error parsing regexp: invalid nested repetition operator: `**`' },
    { desc: 'unclosed group', input: '(a', expected: 'error parsing regexp: missing closing ): `(a`' },
    { desc: 'unclosed class', input: '[a', expected: 'error parsing regexp: missing closing ]: `[a`' },
    { desc: 'unknown POSIX class', input: '[[:nope:]]', expected: 'error parsing regexp: invalid character class range: `[:nope:]`' },
    { desc: 'unclosed \\p{', input: '\\p{Greek', expected: 'error parsing regexp: invalid character class range: `\\p{Greek`' },
  ])('$desc', ({ input, expected }) => {
    const error = refusal(input)
    expect(error.code).toBe('JCT_ERR_RULE_SYNTAX')
    expect(error.message).toBe(expected)
  })

  it('shows a case-insensitive pattern as written, without the (?i) it runs with', () => {
    let message = ''
    try {
      compileRegexp('(a', { ignoreCase: true })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toBe('error parsing regexp: missing closing ): `(a`')
  })
})

describe('the DFA cache of a regexp', () => {
  // Needs about 2^15 DFA states on random input: far more than the limit allows.
  const pattern = 'a[ab]{14}$'
  const input = randomAb(100_000)

  it('is limited for every compiled regexp', () => {
    expect(dfaCacheUse(compileRegexp('^/api/').engine)).toEqual({ limit: dfaCacheLimit, used: 0 })
  })

  it('would grow past the limit without it, on this input', () => {
    const unbounded = RE2JS.compile(pattern)
    expect(unbounded.test(input)).toBe(false)
    expect(dfaCacheUse(unbounded).used).toBeGreaterThan(dfaCacheLimit)
  })

  it('stays within the limit and keeps the right answer', () => {
    const bounded = compileRegexp(pattern)
    expect(bounded.test(input)).toBe(false)
    expect(bounded.test(`${input}a${'b'.repeat(14)}`)).toBe(true)
    expect(dfaCacheUse(bounded.engine).used).toBeLessThanOrEqual(dfaCacheLimit)
  })

  it("is set through re2js's DFA fields, which this re2js version still has", () => {
    // Fails when an re2js upgrade renames or drops the fields limitDfaCache relies on.
    const regexp = RE2JS.compile('x')
    limitDfaCache(regexp, 4096)
    const dfa = regexp.re2().dfa
    expect([dfa.maxMem, dfa.stateBudget, dfa.memBudget]).toEqual([4096, 4096, 4096])
  })
})

describe('matching goes to the DFA', () => {
  it("skips re2js's one-pass engine, through the field this re2js version still has", () => {
    // Fails when an re2js upgrade renames or drops the field preferDfa relies on.
    const regexp = RE2JS.compile('^/api/v[0-9]+/users/[0-9]+$')
    const re2 = regexp.re2() as unknown as { onepass: unknown }
    expect(re2.onepass).not.toBeNull()
    preferDfa(regexp)
    expect(re2.onepass).toBeNull()
  })

  it.each([
    { desc: 'a one-pass pattern that matches', pattern: '^/api/v[0-9]+/users/[0-9]+$', input: '/api/v2/users/42', expected: true },
    { desc: 'a one-pass pattern that does not', pattern: '^/api/v[0-9]+/users/[0-9]+$', input: '/api/v2/users/x', expected: false },
    { desc: 'an alternation', pattern: '^/(small|16k)$', input: '/16k', expected: true },
    { desc: 'a case-insensitive host', pattern: '^[a-z0-9-]+\\.example\\.com$', input: 'API-7.Example.com', expected: true, ignoreCase: true },
  ])('answers as before for $desc', ({ pattern, input, expected, ignoreCase }) => {
    const reference = RE2JS.compile(pattern, ignoreCase === true ? RE2JS.CASE_INSENSITIVE : 0)
    expect([compileRegexp(pattern, { ignoreCase: ignoreCase === true }).test(input), reference.test(input)]).toEqual([expected, expected])
  })
})

describe('the memo of answers', () => {
  /** A regexp whose engine calls are counted. */
  function counted(pattern: string): { regexp: ReturnType<typeof compileRegexp>; calls: () => number } {
    const regexp = compileRegexp(pattern)
    let calls = 0
    const test = regexp.engine.test.bind(regexp.engine)
    regexp.engine.test = (input: string | number[] | Uint8Array) => {
      calls++
      return test(input)
    }
    return { regexp, calls: () => calls }
  }

  it('answers an input that comes back from memory, the same answer', () => {
    const { regexp, calls } = counted('^/api/')
    const answers = [regexp.test('/api/x'), regexp.test('/api/x'), regexp.test('/web'), regexp.test('/web')]
    expect({ answers, calls: calls() }).toEqual({ answers: [true, true, false, false], calls: 2 })
  })

  it(`asks the engine every time for inputs longer than ${memoInputLength} characters`, () => {
    const { regexp, calls } = counted('^/api/')
    const long = `/api/${'x'.repeat(memoInputLength)}`
    expect({ answers: [regexp.test(long), regexp.test(long)], calls: calls() }).toEqual({ answers: [true, true], calls: 2 })
  })

  it(`keeps at most ${memoEntries} answers, starting over when full`, () => {
    const { regexp, calls } = counted('^/api/')
    for (let i = 0; i <= memoEntries; i++) regexp.test(`/api/${i}`)
    regexp.test('/api/0')
    // The 65th distinct input emptied the memo: /api/0 is asked again.
    expect(calls()).toBe(memoEntries + 2)
  })

  it('keeps copies of the inputs, not the request lines they were cut from', () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const regexp = compileRegexp('^/api/')
    gc()
    const before = process.memoryUsage().heapUsed
    for (let i = 0; i < memoEntries; i++) {
      // A path as the router cuts it from a request line with a 1 MiB query: V8 makes it a view on the line.
      const line = `/api/users/${String(i).padStart(4, '0')}?q=${'x'.repeat(1 << 20)}`
      regexp.test(line.slice(0, line.indexOf('?')))
    }
    gc()
    const retained = process.memoryUsage().heapUsed - before
    // Views would keep the 64 lines alive: 64 MiB. The copies are 64 paths of 15 characters.
    expect(retained).toBeLessThan(4 * 1024 * 1024)
  })
})
