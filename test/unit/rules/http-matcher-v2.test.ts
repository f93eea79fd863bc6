import { describe, expect, it } from 'vitest'
import { JunctionError } from '../../../src/errors.ts'
import { compileHttpRule, type RouteRequest } from '../../../src/rules/http-matcher.ts'
import { routeRequest, type RequestInput } from '../../support/route-request.ts'

function request(input: RequestInput): RouteRequest {
  return routeRequest(input, 'a.test')
}

/** One set of requests every pair of rules below is run against. */
const requests: Readonly<Record<string, RequestInput>> = {
  root: {},
  api: { path: '/api' },
  apiUser: { path: '/api/users/42' },
  upperHostPort: { host: 'A.TEST:8080', path: '/api' },
  otherHost: { host: 'b.test', path: '/api/v2' },
  thirdHost: { host: 'c.test', path: '/static/app.css' },
  subdomain: { host: 'sub.example.com' },
  upperSubdomain: { host: 'SUB.Example.com:443' },
  deepSubdomain: { host: 'deep.sub.example.com' },
  apex: { host: 'example.com' },
  digitSubdomain: { host: 'x1.example.com' },
  post: { method: 'POST', path: '/api' },
  delete: { method: 'DELETE', path: '/api' },
  envProd: { headers: { 'x-env': 'prod' } },
  envStaging: { headers: { 'x-env': 'staging' } },
  json: { headers: { 'x-env': 'prod', 'content-type': 'application/json' } },
  text: { headers: { 'content-type': 'application/text' } },
  mobile: { query: 'mobile=true&id=12' },
  mobileDebug: { query: 'mobile=true&debug' },
  desktop: { query: 'mobile=false&id=x1' },
  user: { path: '/users/42' },
  userName: { path: '/users/bob' },
  userNested: { path: '/users/bob/keys' },
  css: { path: '/css/main.css' },
  cssBare: { path: '/css' },
  cssDot: { path: '/css.css' },
  cssNumbered: { path: '/css-1/main.css' },
  cssLong: { path: '/css-333/x.css' },
  private: { clientIp: '10.1.2.3' },
  lan: { clientIp: '192.168.1.9' },
  loopback6: { clientIp: '::1' },
}
const names = Object.keys(requests)

function matches(rule: string, syntax: 'v2' | 'v3'): string[] {
  const compiled = compileHttpRule(rule, undefined, syntax)
  return names.filter((name) => compiled.match(request(requests[name] as RequestInput)))
}

describe('ruleSyntax v2 means what its v3 equivalent means', () => {
  it.each([
    { desc: 'Host with several hosts', v2: 'Host(`a.test`, `b.test`)', v3: 'Host(`a.test`) || Host(`b.test`)', expected: names.filter((n) => !['thirdHost', 'subdomain', 'upperSubdomain', 'deepSubdomain', 'apex', 'digitSubdomain'].includes(n)) },
    { desc: 'HostHeader', v2: 'HostHeader(`c.test`)', v3: 'Host(`c.test`)', expected: ['thirdHost'] },
    { desc: 'lower-case spelling', v2: 'hostheader(`c.test`)', v3: 'host(`c.test`)', expected: ['thirdHost'] },
    { desc: 'HostRegexp named variable', v2: 'HostRegexp(`{sub:[a-z]+}.example.com`)', v3: 'HostRegexp(`^[a-z]+\\.example\\.com$`)', expected: ['subdomain', 'upperSubdomain'] },
    { desc: 'HostRegexp bare variable is one label', v2: 'HostRegexp(`{sub}.example.com`)', v3: 'HostRegexp(`^[^.]+\\.example\\.com$`)', expected: ['subdomain', 'upperSubdomain', 'digitSubdomain'] },
    { desc: 'HostRegexp several templates', v2: 'HostRegexp(`example.com`, `{x:[a-z0-9]+}.example.com`)', v3: 'HostRegexp(`^example\\.com$`) || HostRegexp(`^[a-z0-9]+\\.example\\.com$`)', expected: ['subdomain', 'upperSubdomain', 'apex', 'digitSubdomain'] },
    { desc: 'HostRegexp text is literal and case-insensitive', v2: 'HostRegexp(`C.TEST`)', v3: 'Host(`c.test`)', expected: ['thirdHost'] },
    { desc: 'Path with several paths', v2: 'Path(`/api`, `/css`)', v3: 'Path(`/api`) || Path(`/css`)', expected: ['api', 'upperHostPort', 'post', 'delete', 'cssBare'] },
    { desc: 'Path template with a pattern', v2: 'Path(`/users/{id:[0-9]+}`)', v3: 'PathRegexp(`^/users/[0-9]+$`)', expected: ['user'] },
    { desc: 'Path template with a bare variable', v2: 'Path(`/users/{id}`)', v3: 'PathRegexp(`^/users/[^/]+$`)', expected: ['user', 'userName'] },
    { desc: 'Path template with an optional tail', v2: 'Path(`/css{path:(/.*)?}`)', v3: 'PathRegexp(`^/css(/.*)?$`)', expected: ['css', 'cssBare'] },
    { desc: 'PathPrefix with several prefixes', v2: 'PathPrefix(`/api/`, `/static`)', v3: 'PathPrefix(`/api/`) || PathPrefix(`/static`)', expected: ['apiUser', 'otherHost', 'thirdHost'] },
    { desc: 'PathPrefix template', v2: 'PathPrefix(`/css-{n:[0-9]?}`)', v3: 'PathRegexp(`^/css-[0-9]?`)', expected: ['cssNumbered', 'cssLong'] },
    { desc: 'Method with several methods', v2: 'Method(`POST`, `delete`)', v3: 'Method(`POST`) || Method(`DELETE`)', expected: ['post', 'delete'] },
    { desc: 'Headers', v2: 'Headers(`X-Env`, `prod`)', v3: 'Header(`X-Env`, `prod`)', expected: ['envProd', 'json'] },
    { desc: 'Headers with two pairs', v2: 'Headers(`X-Env`, `prod`, `content-type`, `application/json`)', v3: 'Header(`X-Env`, `prod`) && Header(`Content-Type`, `application/json`)', expected: ['json'] },
    { desc: 'HeadersRegexp', v2: 'HeadersRegexp(`Content-Type`, `application/(text|json)`)', v3: 'HeaderRegexp(`Content-Type`, `application/(text|json)`)', expected: ['json', 'text'] },
    { desc: 'Query key=value', v2: 'Query(`mobile=true`)', v3: 'Query(`mobile`, `true`)', expected: ['mobile', 'mobileDebug'] },
    { desc: 'Query key= is any value', v2: 'Query(`mobile=true`, `debug=`)', v3: 'Query(`mobile`, `true`) && Query(`debug`)', expected: ['mobileDebug'] },
    { desc: 'Query template', v2: 'Query(`id={id:[0-9]+}`)', v3: 'QueryRegexp(`id`, `^[0-9]+$`)', expected: ['mobile'] },
    { desc: 'ClientIP with several ranges', v2: 'ClientIP(`10.0.0.0/8`, `::1`)', v3: 'ClientIP(`10.0.0.0/8`) || ClientIP(`::1`)', expected: ['private', 'loopback6'] },
    { desc: 'operators', v2: 'Host(`a.test`) && PathPrefix(`/api`) && !Method(`DELETE`)', v3: 'Host(`a.test`) && PathPrefix(`/api`) && !Method(`DELETE`)', expected: ['api', 'apiUser', 'upperHostPort', 'post'] },
    { desc: 'negated multi-host', v2: '!Host(`a.test`, `b.test`) && Path(`/`)', v3: '!(Host(`a.test`) || Host(`b.test`)) && Path(`/`)', expected: ['subdomain', 'upperSubdomain', 'deepSubdomain', 'apex', 'digitSubdomain'] },
  ])('$desc', ({ v2, v3, expected }) => {
    expect(matches(v2, 'v2')).toEqual(expected)
    expect(matches(v3, 'v3')).toEqual(expected)
  })
})

describe('ruleSyntax v2: what only v2 does', () => {
  it.each<{ desc: string; rule: string; input: RequestInput; expected: boolean }>([
    { desc: 'Query tests the first value only', rule: 'Query(`tag=b`)', input: { query: 'tag=a&tag=b' }, expected: false },
    { desc: 'Query first value', rule: 'Query(`tag=a`)', input: { query: 'tag=a&tag=b' }, expected: true },
    { desc: 'Query pieces pair up across arguments', rule: 'Query(`a`, `b`)', input: { query: 'a=b' }, expected: true },
    { desc: 'Query splits at the first =', rule: 'Query(`foo=b=ar`)', input: { query: 'foo=b=ar' }, expected: true },
    { desc: 'Query key absent', rule: 'Query(`debug=`)', input: { query: 'other=1' }, expected: false },
    { desc: 'HostRegexp text is no regexp', rule: 'HostRegexp(`^[a-z]+\\.test$`)', input: { host: 'a.test' }, expected: false },
    { desc: 'HostRegexp keeps an unbalanced parenthesis literal', rule: 'HostRegexp(`(a.test`)', input: { host: 'a.test' }, expected: false },
    { desc: 'HostRegexp dot is literal', rule: 'HostRegexp(`a.test`)', input: { host: 'aztest' }, expected: false },
    { desc: 'HostRegexp pattern with a capturing group', rule: 'HostRegexp(`{sub:(foo\\.)?bar\\.com}`)', input: { host: 'foo.bar.com' }, expected: true },
    { desc: 'HostRegexp ignores the request port', rule: 'HostRegexp(`{sub}.example.com`)', input: { host: 'a.example.com:8443' }, expected: true },
    { desc: 'Path template with nested braces', rule: 'Path(`/id/{id:[0-9]{3}}`)', input: { path: '/id/123' }, expected: true },
    { desc: 'Path template with nested braces, too long', rule: 'Path(`/id/{id:[0-9]{3}}`)', input: { path: '/id/1234' }, expected: false },
    { desc: 'Path template sees decoded characters', rule: 'Path(`/foo bar/{x}`)', input: { path: '/foo%20bar/1' }, expected: true },
    { desc: 'Headers value is case-sensitive', rule: 'Headers(`X-Env`, `prod`)', input: { headers: { 'x-env': 'PROD' } }, expected: false },
    { desc: 'Headers name given twice keeps the last value', rule: 'Headers(`X-Env`, `a`, `X-Env`, `b`)', input: { headers: { 'x-env': 'b' } }, expected: true },
    { desc: 'HeadersRegexp value is a plain regexp, not a template', rule: 'HeadersRegexp(`X-Proto`, `http{secure:s?}`)', input: { headers: { 'x-proto': 'http{secure:s}' } }, expected: true },
    { desc: 'HeadersRegexp plain regexp refuses https', rule: 'HeadersRegexp(`X-Proto`, `http{secure:s?}`)', input: { headers: { 'x-proto': 'https' } }, expected: false },
    { desc: 'HeadersRegexp is unanchored', rule: 'HeadersRegexp(`User-Agent`, `Firefox`)', input: { headers: { 'user-agent': 'Mozilla Firefox/120' } }, expected: true },
    { desc: 'Method in the request is compared as sent', rule: 'Method(`get`)', input: { method: 'get' }, expected: false },
  ])('$desc', ({ rule, input, expected }) => {
    expect(compileHttpRule(rule, undefined, 'v2').match(request(input))).toBe(expected)
  })

  it('runs template regexps on the linear engine', () => {
    const rule = compileHttpRule('Path(`/{x:(a+)+}`)', undefined, 'v2')
    expect(rule.match(request({ path: `/${'a'.repeat(100_000)}b` }))).toBe(false)
  })
})

describe('ruleSyntax v2: hosts and priority', () => {
  it.each<{ desc: string; input: string; expected: string[] | null }>([
    { desc: 'Host with several hosts', input: 'Host(`a.test`, `B.test`)', expected: ['a.test', 'b.test'] },
    { desc: 'HostHeader and a path', input: 'HostHeader(`a.test`) && Path(`/x`)', expected: ['a.test'] },
    { desc: 'duplicates once', input: 'Host(`a.test`, `A.test.`, `a.test:80`)', expected: ['a.test'] },
    { desc: 'intersection of two Host lists', input: 'Host(`a`, `b`) && Host(`b`, `c`)', expected: ['b'] },
    { desc: 'union of two Host lists', input: 'Host(`a`, `b`) || HostHeader(`c`)', expected: ['a', 'b', 'c'] },
    { desc: 'negated Host list', input: '!Host(`a`, `b`)', expected: null },
    { desc: 'HostRegexp', input: 'HostRegexp(`a.test`)', expected: null },
  ])('$desc', ({ input, expected }) => {
    expect(compileHttpRule(input, undefined, 'v2').hosts).toEqual(expected)
  })

  it.each<{ desc: string; explicit: number | undefined; expected: number }>([
    { desc: 'the rule length by default', explicit: undefined, expected: 24 },
    { desc: 'an explicit priority', explicit: 7, expected: 7 },
  ])('priority is $desc', ({ explicit, expected }) => {
    expect(compileHttpRule('Host(`a.test`, `b.test`)', explicit, 'v2').priority).toBe(expected)
  })

  it.each([{ syntax: 'default' as const }, { syntax: 'v3' as const }])('reads $syntax as v3', ({ syntax }) => {
    expect(() => compileHttpRule('Headers(`X`, `y`)', undefined, syntax)).toThrow('unknown matcher "Headers"')
    expect(compileHttpRule('Header(`X`, `y`)', undefined, syntax).hosts).toBe(null)
  })
})

describe('ruleSyntax v2: errors', () => {
  it.each([
    { desc: 'no host', input: 'Host()', expected: 'rule "Host()": Host takes 1 or more arguments, got 0 at column 1' },
    { desc: 'empty host among several', input: 'Host(`a`, ``)', expected: 'rule "Host(`a`, ``)": empty argument for Host at column 11' },
    { desc: 'non-ASCII host', input: 'Host(`a`, `🦭.com`)', expected: 'rule "Host(`a`, `🦭.com`)": Host value "🦭.com" has non-ASCII characters (use the punycode form) at column 11' },
    { desc: 'non-ASCII HostRegexp', input: 'HostRegexp(`locàlhost`)', expected: 'rule "HostRegexp(`locàlhost`)": HostRegexp value "locàlhost" has non-ASCII characters (use the punycode form) at column 12' },
    { desc: 'unbalanced braces', input: 'HostRegexp(`{test`)', expected: 'rule "HostRegexp(`{test`)": HostRegexp value is not a valid template at column 12: mux: unbalanced braces in "{test"' },
    { desc: 'variable without a name', input: 'HostRegexp(`{:[a-z]+}.a`)', expected: 'rule "HostRegexp(`{:[a-z]+}.a`)": HostRegexp value is not a valid template at column 12: mux: missing name or pattern in "{:[a-z]+}"' },
    { desc: 'variable pattern Go refuses', input: 'Path(`/{x:(?=a)}`)', expected: 'rule "Path(`/{x:(?=a)}`)": Path value is not a valid regexp at column 6: lookahead `(?=` is not supported by Go\'s regexp' },
    { desc: 'variable pattern valid only inside the whole', input: 'Path(`/{x:a)(b}`)', expected: 'rule "Path(`/{x:a)(b}`)": Path value is not a valid regexp at column 6: error parsing regexp: unexpected ): `^a)(b$`' },
    { desc: 'relative path', input: 'Path(`/a`, `css`)', expected: 'rule "Path(`/a`, `css`)": Path value "css" does not start with "/" at column 12' },
    { desc: 'relative prefix', input: 'PathPrefix(`css`)', expected: 'rule "PathPrefix(`css`)": PathPrefix value "css" does not start with "/" at column 12' },
    { desc: 'Headers without a value', input: 'Headers(`X-Env`)', expected: 'rule "Headers(`X-Env`)": Headers takes 2, 4, … arguments, got 1 at column 1' },
    { desc: 'Headers with three arguments', input: 'Headers(`X`, `a`, `b`)', expected: 'rule "Headers(`X`, `a`, `b`)": Headers takes 2, 4, … arguments, got 3 at column 1' },
    { desc: 'HeadersRegexp invalid regexp', input: 'HeadersRegexp(`X`, `(a`)', expected: 'rule "HeadersRegexp(`X`, `(a`)": HeadersRegexp value is not a valid regexp at column 20: error parsing regexp: missing closing ): `(a`' },
    { desc: 'Query key without value', input: 'Query(`titi`)', expected: 'rule "Query(`titi`)": Query takes key=value pairs, got 1 keys and values at column 1: write `key=` to match any value' },
    { desc: 'Query key=value then a bare key', input: 'Query(`k=v`, `k2`)', expected: 'rule "Query(`k=v`, `k2`)": Query takes key=value pairs, got 3 keys and values at column 1: write `key=` to match any value' },
    { desc: 'Query template with unbalanced braces', input: 'Query(`titi={test`)', expected: 'rule "Query(`titi={test`)": Query value is not a valid template at column 7: mux: unbalanced braces in "titi={test"' },
    { desc: 'Query variable used twice', input: 'Query(`a={x}`, `b={x}`)', expected: 'rule "Query(`a={x}`, `b={x}`)": Query value is not a valid template at column 16: mux: duplicated route variable "x"' },
    { desc: 'invalid ClientIP', input: 'ClientIP(`10.0.0.1`, `1`)', expected: 'rule "ClientIP(`10.0.0.1`, `1`)": ClientIP value "1" is not an IP or CIDR at column 22' },
    { desc: 'no method', input: 'Method()', expected: 'rule "Method()": Method takes 1 or more arguments, got 0 at column 1' },
    { desc: 'v3 Header is unknown', input: 'Header(`X`, `y`)', expected: 'rule "Header(`X`, `y`)": unknown matcher "Header" at column 1' },
    { desc: 'v3 PathRegexp is unknown', input: 'Host(`a`) && PathRegexp(`^/`)', expected: 'rule "Host(`a`) && PathRegexp(`^/`)": unknown matcher "PathRegexp" at column 14' },
    { desc: 'v3 QueryRegexp is unknown', input: 'QueryRegexp(`a`, `b`)', expected: 'rule "QueryRegexp(`a`, `b`)": unknown matcher "QueryRegexp" at column 1' },
  ])('$desc', ({ input, expected }) => {
    let caught: unknown
    try {
      compileHttpRule(input, undefined, 'v2')
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(JunctionError)
    expect((caught as JunctionError).code).toBe('JCT_ERR_RULE_SYNTAX')
    expect((caught as JunctionError).message).toBe(expected)
  })
})
