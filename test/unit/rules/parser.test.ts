import { describe, expect, it } from 'vitest'
import { JunctionError } from '../../../src/errors.ts'
import { compileHttpRule, type RouteRequest } from '../../../src/rules/http-matcher.ts'
import { httpMatchersV3 } from '../../../src/rules/http-matchers-v3.ts'
import { chainOperands, maxRuleDepth, parseRule, type RuleNode } from '../../../src/rules/parser.ts'

/** A compact spelling of a tree: `and(Host[a],not(Method[GET]))`. */
function shape(node: RuleNode): string {
  switch (node.kind) {
    case 'matcher':
      return `${node.name}[${node.args.join('|')}]`
    case 'not':
      return `not(${shape(node.operand)})`
    default:
      return `${node.kind}(${shape(node.left)},${shape(node.right)})`
  }
}

function syntaxError(rule: string): JunctionError {
  try {
    compileHttpRule(rule)
  } catch (error) {
    if (error instanceof JunctionError) return error
    throw error
  }
  throw new Error(`rule ${rule} compiled`)
}

describe('parseRule: trees', () => {
  it.each([
    { desc: 'one matcher', input: 'Host(`a.test`)', expected: 'Host[a.test]' },
    { desc: '&& binds tighter than ||', input: 'Host(`a`) || Host(`b`) && Path(`/`)', expected: 'or(Host[a],and(Host[b],Path[/]))' },
    { desc: '! binds tighter than &&', input: '!Host(`a`) && Path(`/`)', expected: 'and(not(Host[a]),Path[/])' },
    { desc: 'parentheses regroup', input: '(Host(`a`) || Host(`b`)) && Path(`/`)', expected: 'and(or(Host[a],Host[b]),Path[/])' },
    { desc: '! over a group', input: '!(Host(`a`) || Host(`b`))', expected: 'not(or(Host[a],Host[b]))' },
    { desc: 'double negation stays', input: '!!Host(`a`)', expected: 'not(not(Host[a]))' },
    { desc: '&& is left-associative', input: 'Host(`a`) && Path(`/`) && Method(`GET`)', expected: 'and(and(Host[a],Path[/]),Method[GET])' },
    { desc: '|| is left-associative', input: 'Host(`a`) || Host(`b`) || Host(`c`)', expected: 'or(or(Host[a],Host[b]),Host[c])' },
    { desc: 'two arguments', input: 'Header(`X-Env`, `prod`)', expected: 'Header[X-Env|prod]' },
    { desc: 'double-quoted strings', input: 'Host("a.test")', expected: 'Host[a.test]' },
    { desc: 'escaped quote and backslash', input: 'Header("X", "a\\"b\\\\c")', expected: 'Header[X|a"b\\c]' },
    { desc: 'Go escapes \\t \\x41 \\u00e9 \\101', input: 'Header("X", "\\t\\x41\\u00e9\\101")', expected: 'Header[X|\tAéA]' },
    { desc: 'backticks keep backslashes raw', input: 'PathRegexp(`^/a\\.b$`)', expected: 'PathRegexp[^/a\\.b$]' },
    { desc: 'whitespace and newlines anywhere', input: '\n Host ( `a` )\n\t&&\r\n Path(`/`) ', expected: 'and(Host[a],Path[/])' },
    { desc: 'trailing comma, as Go allows', input: 'Header(`X`, `y`,)', expected: 'Header[X|y]' },
    { desc: 'lower-case spelling', input: 'pathprefix(`/a`)', expected: 'PathPrefix[/a]' },
    { desc: 'upper-case spelling', input: 'HOST(`a`)', expected: 'Host[a]' },
    { desc: 'capitalised spelling', input: 'Clientip(`::1`)', expected: 'ClientIP[::1]' },
  ])('$desc', ({ input, expected }) => {
    expect(shape(parseRule(input, httpMatchersV3))).toBe(expected)
  })

  it('records 1-based columns of matchers and arguments', () => {
    const tree = parseRule('Host(`a`) && Header(`X`, "y")', httpMatchersV3)
    expect(tree.kind).toBe('and')
    if (tree.kind !== 'and' || tree.right.kind !== 'matcher') throw new Error('unexpected tree')
    expect(tree.right.column).toBe(14)
    expect(tree.right.argColumns).toEqual([21, 26])
  })
})

describe('compileHttpRule: syntax errors', () => {
  it.each([
    { desc: 'unknown matcher', input: 'Host(`a`) && Pathh(`/`)', expected: 'rule "Host(`a`) && Pathh(`/`)": unknown matcher "Pathh" at column 14' },
    { desc: 'v2 matcher name', input: 'Headers(`a`, `b`)', expected: 'rule "Headers(`a`, `b`)": unknown matcher "Headers" at column 1' },
    { desc: 'mixed-case spelling Traefik does not register', input: 'pathPrefix(`/`)', expected: 'rule "pathPrefix(`/`)": unknown matcher "pathPrefix" at column 1' },
    { desc: 'empty rule', input: '', expected: 'rule "": empty rule at column 1' },
    { desc: 'blank rule', input: '   ', expected: 'rule "   ": empty rule at column 1' },
    { desc: 'unterminated backtick', input: 'Host(`a) && Path(`/`)', expected: 'rule "Host(`a) && Path(`/`)": unexpected "/" at column 19' },
    { desc: 'unterminated backtick at the end', input: 'Path(`/a', expected: 'rule "Path(`/a": unterminated string at column 6' },
    { desc: 'unterminated double quote', input: 'Host("a)', expected: 'rule "Host("a)": unterminated string at column 6' },
    { desc: 'missing ) after arguments', input: 'Host(`a`', expected: 'rule "Host(`a`": missing ")" at column 9: to close "(" at column 5' },
    { desc: 'missing ) of a group', input: '(Host(`a`) || Host(`b`)', expected: 'rule "(Host(`a`) || Host(`b`)": missing ")" at column 24: to close "(" at column 1' },
    { desc: 'trailing )', input: 'Host(`a`))', expected: 'rule "Host(`a`))": unexpected ")" at column 10' },
    { desc: 'two matchers without operator', input: 'Host(`a`) Path(`/`)', expected: 'rule "Host(`a`) Path(`/`)": unexpected "Path" at column 11: missing "&&" or "||"?' },
    { desc: 'dangling operator', input: 'Host(`a`) &&', expected: 'rule "Host(`a`) &&": expected a matcher, found end of rule at column 13' },
    { desc: 'leading operator', input: '|| Host(`a`)', expected: 'rule "|| Host(`a`)": expected a matcher, found "||" at column 1' },
    { desc: 'single &', input: 'Host(`a`) & Path(`/`)', expected: 'rule "Host(`a`) & Path(`/`)": unexpected "&" at column 11: did you mean "&&"?' },
    { desc: 'single-quoted string', input: "Host('a')", expected: 'rule "Host(\'a\')": unexpected "\'" at column 6: strings use backticks or double quotes' },
    { desc: 'matcher without call', input: 'Host && Path(`/`)', expected: 'rule "Host && Path(`/`)": expected "(" after Host, found "&&" at column 6' },
    { desc: 'bare word argument', input: 'Host(a)', expected: 'rule "Host(a)": expected a string argument for Host, found "a" at column 6' },
    { desc: 'missing comma', input: 'Header(`a` `b`)', expected: 'rule "Header(`a` `b`)": expected "," or ")", found "`b`" at column 12' },
    { desc: 'bad escape', input: 'Host("a\\qb")', expected: 'rule "Host("a\\qb")": unknown escape sequence "\\q" at column 8' },
    { desc: 'too few arguments', input: 'Header(`X-Env`)', expected: 'rule "Header(`X-Env`)": Header takes 2 arguments, got 1 at column 1' },
    { desc: 'no arguments', input: 'Host()', expected: 'rule "Host()": Host takes 1 argument, got 0 at column 1' },
    { desc: 'too many arguments', input: 'Host(`a`, `b`)', expected: 'rule "Host(`a`, `b`)": Host takes 1 argument, got 2 at column 1' },
    { desc: 'Query arity', input: 'Query(`a`, `b`, `c`)', expected: 'rule "Query(`a`, `b`, `c`)": Query takes 1 or 2 arguments, got 3 at column 1' },
    { desc: 'QueryRegexp arity', input: 'QueryRegexp(`a`)', expected: 'rule "QueryRegexp(`a`)": QueryRegexp takes 2 arguments, got 1 at column 1' },
    { desc: 'empty Host', input: 'Host(``)', expected: 'rule "Host(``)": empty argument for Host at column 6' },
    { desc: 'empty header value, as Traefik refuses', input: 'Header(`X`, "")', expected: 'rule "Header(`X`, "")": empty argument for Header at column 13' },
    { desc: 'Host with only a port', input: 'Host(`:8080`)', expected: 'rule "Host(`:8080`)": Host value ":8080" has no host name at column 6' },
    { desc: 'non-ASCII Host', input: 'Host(`bücher.test`)', expected: 'rule "Host(`bücher.test`)": Host value "bücher.test" has non-ASCII characters (use the punycode form) at column 6' },
    { desc: 'relative Path', input: 'Path(`api`)', expected: 'rule "Path(`api`)": Path value "api" does not start with "/" at column 6' },
    { desc: 'relative PathPrefix', input: 'Host(`a`) && PathPrefix(`api/`)', expected: 'rule "Host(`a`) && PathPrefix(`api/`)": PathPrefix value "api/" does not start with "/" at column 25' },
    { desc: 'CIDR prefix too long', input: 'ClientIP(`10.0.0.0/33`)', expected: 'rule "ClientIP(`10.0.0.0/33`)": ClientIP value "10.0.0.0/33" is not an IP or CIDR at column 10' },
    { desc: 'not an IP', input: 'ClientIP(`10.0.0.256`)', expected: 'rule "ClientIP(`10.0.0.256`)": ClientIP value "10.0.0.256" is not an IP or CIDR at column 10' },
    { desc: 'IPv6 with a zone', input: 'ClientIP(`fe80::1%eth0`)', expected: 'rule "ClientIP(`fe80::1%eth0`)": ClientIP value "fe80::1%eth0" is not an IP or CIDR at column 10' },
    {
      desc: 'backreference in a regexp',
      input: 'PathRegexp(`^/(a)\\1`)',
      expected: 'rule "PathRegexp(`^/(a)\\1`)": PathRegexp value is not a valid regexp at column 12: backreference `\\1` is not supported by Go\'s regexp',
    },
    {
      desc: 'lookahead in a regexp',
      input: 'HeaderRegexp(`X`, `^(?!a)`)',
      expected: 'rule "HeaderRegexp(`X`, `^(?!a)`)": HeaderRegexp value is not a valid regexp at column 19: lookahead `(?!` is not supported by Go\'s regexp',
    },
    {
      desc: 'regexp Go refuses, with Go\'s message',
      input: 'HostRegexp(`a**`)',
      expected: 'rule "HostRegexp(`a**`)": HostRegexp value is not a valid regexp at column 12: error parsing regexp: invalid nested repetition operator: `**`',
    },
    {
      desc: 'long rules show a window around the column',
      input: `Host(\`${'a'.repeat(60)}.test\`) && Nope(\`x\`)`,
      expected: `rule "…aaaaaaaaaaaaaa.test\`) && Nope(\`x\`)": unknown matcher "Nope" at column 78`,
    },
  ])('$desc', ({ input, expected }) => {
    const error = syntaxError(input)
    expect(error.code).toBe('JCT_ERR_RULE_SYNTAX')
    expect(error.message).toBe(expected)
  })

  it('attaches the regexp error as the cause', () => {
    expect(syntaxError('PathRegexp(`(?<=a)`)').cause).toBeInstanceOf(JunctionError)
  })
})

describe('parseRule: nesting and long chains', () => {
  it.each([
    { desc: 'parentheses', input: `${'('.repeat(200_000)}Host(\`a\`)${')'.repeat(200_000)}` },
    { desc: 'negations', input: `${'!'.repeat(200_000)}Host(\`a\`)` },
    { desc: 'both, alternating', input: `${'!('.repeat(100_000)}Host(\`a\`)${')'.repeat(100_000)}` },
  ])(`refuses $desc nested deeper than ${maxRuleDepth} with a rule error, not a stack overflow`, ({ input }) => {
    const error = syntaxError(input)
    expect(error.code).toBe('JCT_ERR_RULE_SYNTAX')
    expect(error.message).toBe(`rule "…${input.slice(75, 125)}…": nesting deeper than ${maxRuleDepth} at column ${maxRuleDepth + 1}`)
  })

  it(`accepts nesting ${maxRuleDepth} deep`, () => {
    const rule = `${'!('.repeat(maxRuleDepth / 2)}Host(\`a\`)${')'.repeat(maxRuleDepth / 2)}`
    expect(shape(parseRule(rule, httpMatchersV3))).toBe(`${'not('.repeat(maxRuleDepth / 2)}Host[a]${')'.repeat(maxRuleDepth / 2)}`)
  })

  it('parses and compiles flat chains of 100,000 terms, and matches them, without recursing per term', () => {
    const terms = 50_000
    const rule = Array.from({ length: terms }, (_, i) => (i === 0 ? 'Host(`a.test`)' : 'Method(`GET`)')).join(' && ')
    const tree = parseRule(`${rule} && ${rule}`, httpMatchersV3)
    expect(tree.kind === 'and' && chainOperands(tree).length).toBe(2 * terms)
    const compiled = compileHttpRule(`${rule} || ${rule}`)
    expect(compiled.hosts).toEqual(['a.test'])
    const request: RouteRequest = { method: 'GET', host: 'a.test', path: '/', headers: {}, query: () => new URLSearchParams(), clientIp: '127.0.0.1' }
    expect(compiled.match(request)).toBe(true)
    expect(compiled.match({ ...request, method: 'POST' })).toBe(false)
  })
})
