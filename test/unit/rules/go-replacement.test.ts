import { RE2JS } from 're2js'
import { describe, expect, it } from 'vitest'
import { GoReplacement } from '../../../src/rules/go-replacement.ts'

/** Go's ReplaceAllString, expectations from Go's regexp documentation and its semantics for empty matches and `$` references. */
describe('GoReplacement.replaceAll', () => {
  it.each([
    { desc: 'literal template', pattern: 'a(x*)b', input: '-ab-axxb-', template: 'T', expected: '-T-T-' },
    { desc: '$1', pattern: 'a(x*)b', input: '-ab-axxb-', template: '$1', expected: '--xx-' },
    { desc: '$1W names the group 1W, absent: empty', pattern: 'a(x*)b', input: '-ab-axxb-', template: '$1W', expected: '---' },
    { desc: '${1}W', pattern: 'a(x*)b', input: '-ab-axxb-', template: '${1}W', expected: '-W-xxW-' },
    { desc: '$1W names the group named 1W', pattern: 'a(?P<1W>x*)b', input: '-ab-axxb-', template: '$1W', expected: '--xx-' },
    { desc: '${name}', pattern: '(?P<first>\\w+) (?P<last>\\w+)', input: 'ada lovelace', template: '${last}, ${first}', expected: 'lovelace, ada' },
    { desc: '$name runs over letters, digits and _', pattern: '(?P<a_1>x)', input: 'x', template: '[$a_1]', expected: '[x]' },
    { desc: '$$ is a dollar', pattern: 'x', input: 'axb', template: '$$1', expected: 'a$1b' },
    { desc: 'a lone $ stays', pattern: 'x', input: 'axb', template: '$', expected: 'a$b' },
    { desc: '$ before a non-name character stays', pattern: 'x', input: 'axb', template: '$-', expected: 'a$-b' },
    { desc: 'unclosed brace: the $ stays', pattern: '(x)', input: 'axb', template: '${1', expected: 'a${1b' },
    { desc: 'empty braces: the $ stays', pattern: '(x)', input: 'axb', template: '${}', expected: 'a${}b' },
    { desc: 'a group beyond the last is empty', pattern: '(x)', input: 'axb', template: '<$2>', expected: 'a<>b' },
    { desc: 'a leading zero is a name, not a number', pattern: '(x)', input: 'axb', template: '<$01>', expected: 'a<>b' },
    { desc: '$0 is the whole match', pattern: 'x+', input: 'axxb', template: '<$0>', expected: 'a<xx>b' },
    { desc: 'a group outside the match is empty', pattern: '(a)|(b)', input: 'b', template: '[$1|$2]', expected: '[|b]' },
    { desc: 'empty matches, not right after a match', pattern: 'a*', input: 'baaac', template: 'X', expected: 'XbXcX' },
    { desc: 'anchored pattern: one match only', pattern: '^/foo/(.*)', input: '/foo/bar/foo/x', template: '/bar/$1', expected: '/bar/bar/foo/x' },
    { desc: 'no match: input unchanged', pattern: '^/nope', input: '/foo', template: '/x', expected: '/foo' },
    { desc: 'empty matches step over astral characters whole', pattern: 'x*', input: '😀', template: '-', expected: '-😀-' },
    { desc: 'a non-ASCII name is read whole (and names no group)', pattern: '(x)', input: 'x', template: '$é1!', expected: '!' },
  ])('$desc', ({ pattern, input, template, expected }) => {
    const regexp = RE2JS.compile(pattern)
    expect(new GoReplacement(template, regexp).replaceAll(regexp, input)).toBe(expected)
  })

  it.each([
    { desc: 'captures cut to the span', pattern: '^http://(.*)$', input: 'http://a.test/evil', span: { from: 0, to: 13 }, template: 'https://$1', expected: 'https://a.test' },
    { desc: 'text between matches cut to the span', pattern: '^http://', input: 'http://a.test/x', span: { from: 0, to: 13 }, template: 'https://', expected: 'https://a.test' },
    { desc: 'a capture wholly outside is empty', pattern: '^http://[^/]+/go/(.*)$', input: 'http://a.test/go/evil.test', span: { from: 0, to: 13 }, template: 'https://$1/', expected: 'https:///' },
  ])('within a span: $desc', ({ pattern, input, span, template, expected }) => {
    const regexp = RE2JS.compile(pattern)
    expect(new GoReplacement(template, regexp).replaceAll(regexp, input, span)).toBe(expected)
  })
})
