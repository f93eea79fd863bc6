import { describe, expect, it } from 'vitest'
import { JunctionError } from '../../../src/errors.ts'
import { compileRe2, translateRe2 } from '../../../src/rules/re2.ts'

describe('translateRe2', () => {
  it.each([
    { desc: 'plain pattern', input: '^/api/v[0-9]+$', expected: { source: '^/api/v[0-9]+$', flags: 'u' } },
    { desc: 'named group (?P<name>)', input: '(?P<id>[0-9]+)', expected: { source: '(?<id>[0-9]+)', flags: 'u' } },
    { desc: 'named group (?<name>)', input: '(?<id>x)', expected: { source: '(?<id>x)', flags: 'u' } },
    { desc: 'leading (?i) becomes the i flag', input: '(?i)^abc$', expected: { source: '^abc$', flags: 'iu' } },
    { desc: 'leading (?is) sets dot-all', input: '(?is)a.b', expected: { source: 'a[\\s\\S]b', flags: 'iu' } },
    { desc: '\\A and \\z', input: '\\Aabc\\z', expected: { source: '^abc$', flags: 'u' } },
    { desc: 'dot takes \\r, as in Go', input: 'a.b', expected: { source: 'a[^\\n]b', flags: 'u' } },
    { desc: '(?m) anchors at \\n only', input: '(?m)^a$', expected: { source: '(?<![^\\n])a(?![^\\n])', flags: 'u' } },
    { desc: '(?i:…) group', input: 'a(?i:bc)d', expected: { source: 'a(?i:bc)d', flags: 'u' } },
    { desc: '(?s:…) group', input: '(?s:a.)b.', expected: { source: '(?:a[\\s\\S])b[^\\n]', flags: 'u' } },
    { desc: 'non-capturing group', input: '(?:ab)+', expected: { source: '(?:ab)+', flags: 'u' } },
    { desc: '\\s is ASCII', input: '\\s\\S', expected: { source: '[\\u{9}-\\u{a}\\u{c}-\\u{d}\\u{20}][^\\u{9}-\\u{a}\\u{c}-\\u{d}\\u{20}]', flags: 'u' } },
    { desc: '\\d \\w \\b unchanged', input: '\\b\\d\\w\\D\\W\\B', expected: { source: '\\b\\d\\w\\D\\W\\B', flags: 'u' } },
    { desc: 'POSIX class', input: '[[:digit:]_]', expected: { source: '[\\u{30}-\\u{39}_]', flags: 'u' } },
    { desc: 'negated POSIX class', input: '[[:^alpha:]]', expected: { source: '[\\u{0}-\\u{40}\\u{5b}-\\u{60}\\u{7b}-\\u{10ffff}]', flags: 'u' } },
    { desc: 'Unicode classes', input: '\\pL\\p{Greek}\\PN\\p{^Lu}', expected: { source: '\\p{L}\\p{Script=Greek}\\P{N}\\P{Lu}', flags: 'u' } },
    { desc: 'hex and octal escapes', input: '\\x41\\x{20AC}\\101\\0', expected: { source: '\\u{41}\\u{20ac}\\u{41}\\u{0}', flags: 'u' } },
    { desc: 'control escapes', input: '\\a\\f\\t\\n\\r\\v', expected: { source: '\\x07\\f\\t\\n\\r\\v', flags: 'u' } },
    { desc: '\\Q…\\E quotes', input: '\\Q*.test\\E$', expected: { source: '\\*\\.test$', flags: 'u' } },
    { desc: 'escaped punctuation', input: '\\-\\#\\.\\/', expected: { source: '-#\\.\\/', flags: 'u' } },
    { desc: 'lazy quantifiers', input: 'a*?b+?c??d{1,2}?', expected: { source: 'a*?b+?c??d{1,2}?', flags: 'u' } },
    { desc: 'brace without repeat is literal', input: 'a{,2}b{x}', expected: { source: 'a\\{,2\\}b\\{x\\}', flags: 'u' } },
    { desc: 'leading ] in a class is literal', input: '[]a]', expected: { source: '[\\]a]', flags: 'u' } },
    { desc: 'stray ] is literal', input: 'a]', expected: { source: 'a\\]', flags: 'u' } },
    { desc: 'range and escaped dash in a class', input: '[a-z\\-]', expected: { source: '[a-z\\-]', flags: 'u' } },
  ])('$desc', ({ input, expected }) => {
    expect(translateRe2(input)).toEqual(expected)
  })

  it.each([
    { desc: 'backreference', input: '(a)\\1', expected: 'backreferences are not supported by RE2 ("\\1") (at offset 3 of the pattern)' },
    { desc: 'backreference \\8', input: '\\8', expected: 'backreferences are not supported by RE2 ("\\8") (at offset 0 of the pattern)' },
    { desc: 'lookahead', input: 'a(?=b)', expected: 'lookarounds are not supported by RE2 (at offset 1 of the pattern)' },
    { desc: 'negative lookahead', input: '(?!a)', expected: 'lookarounds are not supported by RE2 (at offset 0 of the pattern)' },
    { desc: 'lookbehind', input: '(?<=a)b', expected: 'lookarounds are not supported by RE2 (at offset 0 of the pattern)' },
    { desc: 'negative lookbehind', input: '(?<!a)b', expected: 'lookarounds are not supported by RE2 (at offset 0 of the pattern)' },
    { desc: 'atomic group', input: '(?>a+)b', expected: 'atomic groups are not supported by RE2 (at offset 0 of the pattern)' },
    { desc: 'possessive star', input: 'a*+', expected: 'possessive quantifiers are not supported by RE2 (at offset 1 of the pattern)' },
    { desc: 'possessive repeat', input: 'a{2}+', expected: 'possessive quantifiers are not supported by RE2 (at offset 1 of the pattern)' },
    { desc: '\\Z', input: 'a\\Z', expected: '\\Z is not supported by RE2; use \\z (at offset 1 of the pattern)' },
    { desc: '\\C', input: '\\C', expected: '\\C is not supported (at offset 0 of the pattern)' },
    { desc: 'unknown escape', input: '\\e', expected: 'invalid escape "\\e" (at offset 0 of the pattern)' },
    { desc: 'ungreedy flag', input: '(?U)a+', expected: 'the ungreedy flag (?U) is not supported (at offset 0 of the pattern)' },
    { desc: 'case flag in the middle', input: 'a(?i)b', expected: '(?i) is only supported at the start of the pattern; use (?i:…) for a part (at offset 1 of the pattern)' },
    { desc: 'repeat over 1000', input: 'a{1001}', expected: 'invalid repeat count "{1001}" (at offset 1 of the pattern)' },
    { desc: 'inverted repeat', input: 'a{3,2}', expected: 'invalid repeat count "{3,2}" (at offset 1 of the pattern)' },
    { desc: 'unclosed group', input: '(a', expected: 'missing closing ")" (at offset 2 of the pattern)' },
    { desc: 'unopened group', input: 'a)', expected: 'unexpected ")" (at offset 1 of the pattern)' },
    { desc: 'unclosed class', input: '[a', expected: 'missing closing "]" (at offset 0 of the pattern)' },
    { desc: 'unknown POSIX class', input: '[[:nope:]]', expected: 'invalid character class "[:nope:]" (at offset 1 of the pattern)' },
    { desc: 'group name JavaScript refuses', input: '(?P<1st>a)', expected: 'invalid group name "1st" (at offset 0 of the pattern)' },
    { desc: 'named backreference', input: '(?P<n>a)(?P=n)', expected: 'invalid or unsupported group "(?P=" (at offset 8 of the pattern)' },
  ])('rejects $desc', ({ input, expected }) => {
    let caught: unknown
    try {
      translateRe2(input)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(JunctionError)
    expect((caught as JunctionError).code).toBe('JCT_ERR_RULE_SYNTAX')
    expect((caught as JunctionError).message).toBe(expected)
  })
})

describe('compileRe2 keeps Go semantics', () => {
  it.each([
    { desc: 'unanchored match', pattern: 'b', text: 'abc', expected: true },
    { desc: '$ is end of text', pattern: 'a$', text: 'a\n', expected: false },
    { desc: '\\z is end of text', pattern: 'a\\z', text: 'a', expected: true },
    { desc: 'dot takes \\r', pattern: '^a.b$', text: 'a\rb', expected: true },
    { desc: 'dot refuses \\n', pattern: '^a.b$', text: 'a\nb', expected: false },
    { desc: '(?s) dot takes \\n', pattern: '(?s)^a.b$', text: 'a\nb', expected: true },
    { desc: '\\s refuses \\v', pattern: '^\\s$', text: '\v', expected: false },
    { desc: '\\s refuses a no-break space', pattern: '^\\s$', text: '\u00a0', expected: false },
    { desc: 'dot is one code point', pattern: '^.$', text: '😀', expected: true },
    { desc: '(?m) line anchors', pattern: '(?m)^b$', text: 'a\nb\nc', expected: true },
    { desc: '(?i:) part', pattern: '^a(?i:b)c$', text: 'aBc', expected: true },
    { desc: '(?i:) part only', pattern: '^a(?i:b)c$', text: 'aBC', expected: false },
    { desc: 'POSIX class', pattern: '^[[:xdigit:]]+$', text: 'c0ffee', expected: true },
    { desc: 'Unicode script', pattern: '^\\p{Greek}+$', text: 'αβγ', expected: true },
    { desc: 'quoted metacharacters', pattern: '^\\Q(a+)\\E$', text: '(a+)', expected: true },
  ])('$desc', ({ pattern, text, expected }) => {
    expect(compileRe2(pattern).test(text)).toBe(expected)
  })

  it('adds case-insensitivity on request', () => {
    expect(compileRe2('^abc$', { ignoreCase: true }).test('ABC')).toBe(true)
  })
})
