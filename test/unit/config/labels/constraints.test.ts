import { describe, expect, it } from 'vitest'
import { compileExpression, labelMatchers, maxConstraintDepth, tagMatchers, type ConstraintMatcher } from '../../../../src/config/labels/constraints.ts'
import { JunctionError } from '../../../../src/errors.ts'

const labels = { hello: 'world', foo: 'bar' }

function refusal(expression: string, matchers: readonly ConstraintMatcher<never>[] = labelMatchers): JunctionError {
  try {
    compileExpression(expression, matchers)
  } catch (error) {
    if (error instanceof JunctionError) return error
    throw error
  }
  throw new Error(`${expression} compiled`)
}

describe('constraints over labels: the cases of Traefik\'s constraints_labels_test.go', () => {
  it.each([
    { expression: 'Label("hello", "world")', subject: labels, expected: true },
    { expression: 'Label("hello", "worlds")', subject: labels, expected: false },
    { expression: 'Label("hi", "world")', subject: labels, expected: false },
    { expression: '!Label("hello", "world")', subject: labels, expected: false },
    { expression: 'Label("hello", "world") && Label("foo", "bar")', subject: labels, expected: true },
    { expression: 'Label("hello", "worlds") && Label("foo", "bar")', subject: labels, expected: false },
    { expression: 'Label("hello", "world") && !Label("foo", "bar")', subject: labels, expected: false },
    { expression: 'Label("hello", "world") || Label("foo", "bar")', subject: labels, expected: true },
    { expression: 'Label("hello", "worlds") || Label("foo", "bar")', subject: labels, expected: true },
    { expression: 'Label("hello", "world") || !Label("foo", "bar")', subject: labels, expected: true },
    { expression: 'Label("hello", "bar")', subject: {}, expected: false },
    { expression: '', subject: labels, expected: true },
    { expression: 'LabelRegex("hello", "w\\\\w+")', subject: labels, expected: true },
    { expression: 'LabelRegex("hello", "w\\\\w+s")', subject: labels, expected: false },
    { expression: 'LabelRegex("hi", "w\\\\w+")', subject: labels, expected: false },
    { expression: '!LabelRegex("hello", "w\\\\w+")', subject: labels, expected: false },
  ])('$expression → $expected', ({ expression, subject, expected }) => {
    expect(compileExpression(expression, labelMatchers)(subject)).toBe(expected)
  })
})

describe('constraints: the grammar', () => {
  it.each([
    { desc: 'backtick strings are raw', expression: 'LabelRegex(`hello`, `^w\\w+$`)', subject: labels, expected: true },
    { desc: '&& binds tighter than ||', expression: 'Label(`hello`, `world`) || Label(`foo`, `x`) && Label(`foo`, `y`)', subject: labels, expected: true },
    { desc: 'parentheses group', expression: '(Label(`hello`, `world`) || Label(`foo`, `x`)) && Label(`foo`, `y`)', subject: labels, expected: false },
    { desc: '! binds tighter than &&', expression: '!Label(`hello`, `x`) && Label(`foo`, `bar`)', subject: labels, expected: true },
    { desc: 'double negation', expression: '!!Label(`hello`, `world`)', subject: labels, expected: true },
    { desc: 'a missing label reads as the empty string', expression: 'Label(`absent`, ``)', subject: labels, expected: true },
    { desc: 'LabelRegex is unanchored, as Go\'s MatchString', expression: 'LabelRegex(`hello`, `orl`)', subject: labels, expected: true },
    { desc: 'Go escapes in double quotes', expression: 'Label("tab", "a\\tb\\x41\\u00e9\\101")', subject: { tab: 'a\tbAéA' }, expected: true },
    { desc: 'white space and line breaks between tokens', expression: '\n Label( `hello` ,\t`world` )\r\n', subject: labels, expected: true },
    { desc: 'an inherited name is not a label', expression: 'Label(`constructor`, ``)', subject: {}, expected: true },
  ])('$desc', ({ expression, subject, expected }) => {
    expect(compileExpression(expression, labelMatchers)(subject)).toBe(expected)
  })

  it.each([
    { desc: 'a missing argument', expression: 'Label("hello")', expected: 'constraints "Label(\\"hello\\")": Label takes 2 arguments, got 1 at column 1' },
    { desc: 'an unknown matcher', expression: 'Foo("hello")', expected: 'constraints "Foo(\\"hello\\")": unknown matcher "Foo" at column 1' },
    { desc: 'matcher names are exact', expression: 'label(`a`, `b`)', expected: 'constraints "label(`a`, `b`)": unknown matcher "label" at column 1' },
    { desc: 'a regexp Go refuses', expression: 'LabelRegex("hello", "w(\\\\w+")', expected: 'constraints "LabelRegex(\\"hello\\", \\"w(\\\\\\\\w+\\")": LabelRegex: error parsing regexp: missing closing ): `w(\\w+` at column 1' },
    { desc: 'an unterminated string', expression: 'Label(`a`, "b)', expected: 'constraints "Label(`a`, \\"b)": unterminated string at column 12' },
    { desc: 'a line break in a quoted string', expression: 'Label(`a`, "b\n")', expected: 'constraints "Label(`a`, \\"b\\n\\")": unterminated string at column 12' },
    { desc: 'an unknown escape', expression: 'Label(`a`, "\\q")', expected: 'constraints "Label(`a`, \\"\\\\q\\")": unknown escape sequence "\\q" at column 13' },
    { desc: 'a single quote', expression: "Label('a', 'b')", expected: 'constraints "Label(\'a\', \'b\')": unexpected "\'" at column 7: strings use backticks or double quotes' },
    { desc: 'a single &', expression: 'Label(`a`, `b`) & Label(`c`, `d`)', expected: 'constraints "Label(`a`, `b`) & Label(`c`, `d`)": unexpected "&" at column 17: did you mean "&&"?' },
    { desc: 'a bare word argument', expression: 'Label(a, `b`)', expected: 'constraints "Label(a, `b`)": expected a string argument for Label, found "a" at column 7' },
    { desc: 'an unclosed call', expression: 'Label(`a`, `b`', expected: 'constraints "Label(`a`, `b`": missing ")" at column 15: to close "(" at column 6' },
    { desc: 'an unclosed parenthesis', expression: '(Label(`a`, `b`)', expected: 'constraints "(Label(`a`, `b`)": missing ")" at column 17: to close "(" at column 1' },
    { desc: 'two terms without an operator', expression: 'Label(`a`, `b`) Label(`c`, `d`)', expected: 'constraints "Label(`a`, `b`) Label(`c`, `d`)": unexpected "Label" at column 17: missing "&&" or "||"?' },
    { desc: 'an operator with nothing after it', expression: 'Label(`a`, `b`) ||', expected: 'constraints "Label(`a`, `b`) ||": expected a matcher, found end of expression at column 19' },
    { desc: 'a call without parentheses', expression: 'Label', expected: 'constraints "Label": expected "(" after Label, found end of expression at column 6' },
  ])('refuses $desc, saying where', ({ expression, expected }) => {
    const error = refusal(expression)
    expect([error.code, error.message]).toEqual(['JCT_ERR_STATIC_CONFIG', expected])
  })

  it('shortens a long expression in its message', () => {
    const expression = `${'Label(`a`, `b`) && '.repeat(5)}Nope(\`x\`)`
    expect(refusal(expression).message).toBe(`constraints "${expression.slice(0, 57)}…": unknown matcher "Nope" at column 96`)
  })
})

describe('constraints over tags (Consul Catalog)', () => {
  it.each([
    { expression: 'Tag(`web`)', tags: ['web', 'prod'], expected: true },
    { expression: 'Tag(`web`)', tags: ['webapp'], expected: false },
    { expression: 'TagRegex(`^env=(prod|staging)$`)', tags: ['web', 'env=staging'], expected: true },
    { expression: 'TagRegex(`^env=prod$`) || !Tag(`internal`)', tags: ['env=dev'], expected: true },
    { expression: 'Tag(`a`) && Tag(`b`)', tags: ['a'], expected: false },
  ])('$expression on $tags → $expected', ({ expression, tags, expected }) => {
    expect(compileExpression(expression, tagMatchers)(tags)).toBe(expected)
  })

  it('refuses a label matcher in a tag expression', () => {
    expect(refusal('Label(`a`, `b`)', tagMatchers).message).toBe('constraints "Label(`a`, `b`)": unknown matcher "Label" at column 1')
  })
})

/** A matcher table that counts how often its matchers are built and called; every term is false. */
function countingTable(): { table: ConstraintMatcher<object>[]; builds: () => number; calls: () => number } {
  let builds = 0
  let calls = 0
  const table = [{ name: 'T', arity: 1, build: () => (builds++, () => (calls++, false)) }]
  return { table, builds: () => builds, calls: () => calls }
}

describe('constraints cost time linear in their length and their subject', () => {
  it.each([1_000, 10_000, 100_000])('an expression of %i terms builds each matcher once and calls each at most once per evaluation', (terms) => {
    const counting = countingTable()
    const expression = Array.from({ length: terms }, (_, i) => (i % 2 === 0 ? `T(\`${i}\`)` : `!!T("${i}")`)).join(' || ')
    const keep = compileExpression(expression, counting.table)
    expect(counting.builds()).toBe(terms)
    // Even terms are false and odd ones (doubly negated) too: no short cut, every matcher runs once.
    expect(keep({})).toBe(false)
    expect(counting.calls()).toBe(terms)
  })

  it.each([1_000, 100_000])('an && chain of %i terms builds and calls each matcher once, without recursing per term', (terms) => {
    let builds = 0
    let calls = 0
    const table = [{ name: 'T', arity: 1, build: () => (builds++, () => (calls++, true)) }]
    const keep = compileExpression(Array.from({ length: terms }, () => 'T(`x`)').join('&&'), table)
    expect([builds, keep({}), calls]).toEqual([terms, true, terms])
  })

  it(`refuses nesting deeper than ${maxConstraintDepth} levels with a message, not a stack overflow`, () => {
    const deep = `${'('.repeat(1_000_000)}Label(\`a\`, \`b\`)${')'.repeat(1_000_000)}`
    expect(refusal(deep).message).toMatch(new RegExp(`nesting deeper than ${maxConstraintDepth} at column ${maxConstraintDepth + 1}$`))
    expect(refusal(`${'!'.repeat(1_000_000)}Label(\`a\`, \`b\`)`).message).toMatch(/nesting deeper than 100 at column 101$/)
    expect(compileExpression(`${'('.repeat(maxConstraintDepth)}Label(\`a\`, \`b\`)${')'.repeat(maxConstraintDepth)}`, labelMatchers)({ a: 'b' })).toBe(true)
  })

  it('matches a regexp that is exponential on a backtracking engine against a 100,000-character label', () => {
    // On V8's RegExp this call would not return in the lifetime of the test run.
    const keep = compileExpression('LabelRegex(`x`, `^(a+)+$`)', labelMatchers)
    expect(keep({ x: `${'a'.repeat(100_000)}b` })).toBe(false)
    expect(keep({ x: 'a'.repeat(100_000) })).toBe(true)
  })
})
