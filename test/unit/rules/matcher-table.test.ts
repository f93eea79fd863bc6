import { describe, expect, it } from 'vitest'
import { JunctionError } from '../../../src/errors.ts'
import { acceptsArgCount, argKind, describeArity, matcherTable, type Arity, type MatcherSpec } from '../../../src/rules/matcher-table.ts'
import { parseRule, type RuleNode } from '../../../src/rules/parser.ts'

/** A dialect the parser has never heard of, shaped like Traefik's TCP matchers. */
const tcpLike = matcherTable<MatcherSpec>([
  { name: 'HostSNI', arity: { atLeast: 1 }, args: ['host'] },
  { name: 'HostSNIRegexp', arity: [1], args: ['hostPattern'] },
  { name: 'ALPN', arity: { atLeast: 1 }, args: ['text'] },
  { name: 'ClientIP', arity: [1], args: ['ip'] },
  { name: 'Pairs', arity: { atLeast: 2, step: 2 }, args: ['text', 'regexp'] },
])

function shape(node: RuleNode): string {
  if (node.kind === 'matcher') return `${node.name}[${node.args.join('|')}]`
  if (node.kind === 'not') return `not(${shape(node.operand)})`
  return `${node.kind}(${shape(node.left)},${shape(node.right)})`
}

function parseError(rule: string): string {
  try {
    parseRule(rule, tcpLike)
  } catch (error) {
    if (error instanceof JunctionError && error.code === 'JCT_ERR_RULE_SYNTAX') return error.message
    throw error
  }
  throw new Error(`rule ${rule} parsed`)
}

describe('matcherTable', () => {
  it("registers Traefik's four spellings of each name", () => {
    const table = matcherTable<MatcherSpec>([{ name: 'HostSNIRegexp', arity: [1], args: ['hostPattern'] }])
    expect([...table.keys()]).toEqual(['HostSNIRegexp', 'hostsniregexp', 'HOSTSNIREGEXP', 'Hostsniregexp'])
  })
})

describe('parseRule with a table of its own', () => {
  it.each([
    { desc: 'variadic matcher and negation', input: 'HostSNI(`a`, `b`) && !ALPN(`h2`)', expected: 'and(HostSNI[a|b],not(ALPN[h2]))' },
    { desc: 'lower-case spelling', input: 'hostsniregexp(`^a`)', expected: 'HostSNIRegexp[^a]' },
    { desc: 'pairs', input: 'Pairs(`a`, `1`, `b`, `2`)', expected: 'Pairs[a|1|b|2]' },
  ])('$desc', ({ input, expected }) => {
    expect(shape(parseRule(input, tcpLike))).toBe(expected)
  })

  it.each([
    { desc: 'a matcher of another table', input: 'Host(`a`)', expected: 'rule "Host(`a`)": unknown matcher "Host" at column 1' },
    { desc: 'no argument for "1 or more"', input: 'HostSNI()', expected: 'rule "HostSNI()": HostSNI takes 1 or more arguments, got 0 at column 1' },
    { desc: 'odd count for pairs', input: 'Pairs(`a`, `1`, `b`)', expected: 'rule "Pairs(`a`, `1`, `b`)": Pairs takes 2, 4, … arguments, got 3 at column 1' },
    { desc: 'fixed count', input: 'ClientIP(`a`, `b`)', expected: 'rule "ClientIP(`a`, `b`)": ClientIP takes 1 argument, got 2 at column 1' },
  ])('refuses $desc', ({ input, expected }) => {
    expect(parseError(input)).toBe(expected)
  })
})

describe('arity', () => {
  it.each<{ desc: string; arity: Arity; counts: number[]; expected: boolean[]; text: string }>([
    { desc: 'one', arity: [1], counts: [0, 1, 2], expected: [false, true, false], text: '1 argument' },
    { desc: 'two', arity: [2], counts: [1, 2, 3], expected: [false, true, false], text: '2 arguments' },
    { desc: 'one or two', arity: [1, 2], counts: [0, 1, 2, 3], expected: [false, true, true, false], text: '1 or 2 arguments' },
    { desc: 'at least one', arity: { atLeast: 1 }, counts: [0, 1, 5], expected: [false, true, true], text: '1 or more arguments' },
    { desc: 'pairs', arity: { atLeast: 2, step: 2 }, counts: [0, 1, 2, 3, 4], expected: [false, false, true, false, true], text: '2, 4, … arguments' },
  ])('$desc', ({ arity, counts, expected, text }) => {
    expect(counts.map((count) => acceptsArgCount(arity, count))).toEqual(expected)
    expect(describeArity(arity)).toBe(text)
  })

  it('cycles argument kinds for variadic matchers', () => {
    const pairs = tcpLike.get('Pairs') as MatcherSpec
    expect([0, 1, 2, 3].map((index) => argKind(pairs, index))).toEqual(['text', 'regexp', 'text', 'regexp'])
  })
})
