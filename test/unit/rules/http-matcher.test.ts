import { describe, expect, it } from 'vitest'
import { compileHttpRule, normaliseHost, type RouteRequest } from '../../../src/rules/http-matcher.ts'
import { routeRequest, type RequestInput } from '../../support/route-request.ts'

function request(input: RequestInput): RouteRequest {
  return routeRequest(input)
}

describe('compileHttpRule: matching', () => {
  it.each<{ desc: string; rule: string; input: RequestInput; expected: boolean }>([
    // Host
    { desc: 'Host exact', rule: 'Host(`a.test`)', input: { host: 'a.test' }, expected: true },
    { desc: 'Host other host', rule: 'Host(`a.test`)', input: { host: 'b.test' }, expected: false },
    { desc: 'Host is case-insensitive (request)', rule: 'Host(`a.test`)', input: { host: 'A.Test' }, expected: true },
    { desc: 'Host is case-insensitive (rule)', rule: 'Host(`A.TEST`)', input: { host: 'a.test' }, expected: true },
    { desc: 'Host ignores the request port', rule: 'Host(`a.test`)', input: { host: 'a.test:8080' }, expected: true },
    { desc: 'Host ignores a port in the rule', rule: 'Host(`a.test:443`)', input: { host: 'a.test' }, expected: true },
    { desc: 'Host ignores a trailing dot (request)', rule: 'Host(`a.test`)', input: { host: 'a.test.' }, expected: true },
    { desc: 'Host ignores a trailing dot (rule)', rule: 'Host(`a.test.`)', input: { host: 'a.test' }, expected: true },
    { desc: 'Host is not a suffix match', rule: 'Host(`a.test`)', input: { host: 'x.a.test' }, expected: false },
    { desc: 'Host IPv6 literal with port', rule: 'Host(`[::1]`)', input: { host: '[::1]:8080' }, expected: true },
    { desc: 'Host IPv4 literal', rule: 'Host(`127.0.0.1`)', input: { host: '127.0.0.1:80' }, expected: true },
    { desc: 'Host with no Host header', rule: 'Host(`a.test`)', input: { host: '' }, expected: false },
    // HostRegexp
    { desc: 'HostRegexp matches anywhere when unanchored', rule: 'HostRegexp(`example`)', input: { host: 'www.example.test' }, expected: true },
    { desc: 'HostRegexp anchored', rule: 'HostRegexp(`^[a-z]+\\.example\\.test$`)', input: { host: 'api.example.test' }, expected: true },
    { desc: 'HostRegexp anchored, extra label', rule: 'HostRegexp(`^[a-z]+\\.example\\.test$`)', input: { host: 'a.b.example.test' }, expected: false },
    { desc: 'HostRegexp is case-insensitive', rule: 'HostRegexp(`^API\\.example\\.test$`)', input: { host: 'api.example.test' }, expected: true },
    { desc: 'HostRegexp sees the host without port', rule: 'HostRegexp(`test$`)', input: { host: 'a.test:8443' }, expected: true },
    { desc: 'HostRegexp named group', rule: 'HostRegexp(`^(?P<sub>[a-z]+)\\.t$`)', input: { host: 'abc.t' }, expected: true },
    // Path
    { desc: 'Path exact', rule: 'Path(`/api`)', input: { path: '/api' }, expected: true },
    { desc: 'Path differs by trailing slash', rule: 'Path(`/api`)', input: { path: '/api/' }, expected: false },
    { desc: 'Path is case-sensitive', rule: 'Path(`/api`)', input: { path: '/API' }, expected: false },
    { desc: 'Path after dot segments', rule: 'Path(`/admin`)', input: { path: '/public/../admin' }, expected: true },
    { desc: 'Path after encoded dot segments', rule: 'Path(`/admin`)', input: { path: '/public/%2e%2E/admin' }, expected: true },
    { desc: 'Path with encoded unreserved characters', rule: 'Path(`/api`)', input: { path: '/%61%70%69' }, expected: true },
    { desc: 'Path with a space in the rule matches %20', rule: 'Path(`/foo bar`)', input: { path: '/foo%20bar' }, expected: true },
    { desc: 'Path with Unicode in the rule matches UTF-8', rule: 'Path(`/café`)', input: { path: '/caf%C3%A9' }, expected: true },
    { desc: 'Path encoded slash is not a slash', rule: 'Path(`/a/b`)', input: { path: '/a%2Fb' }, expected: false },
    { desc: 'Path encoded slash in the rule', rule: 'Path(`/a%2fb`)', input: { path: '/a%2Fb' }, expected: true },
    { desc: 'Path after duplicate slashes collapse', rule: 'Path(`/a/b`)', input: { path: '//a//b' }, expected: true },
    // PathPrefix
    { desc: 'PathPrefix equal path', rule: 'PathPrefix(`/api`)', input: { path: '/api' }, expected: true },
    { desc: 'PathPrefix sub-path', rule: 'PathPrefix(`/api`)', input: { path: '/api/users' }, expected: true },
    { desc: 'PathPrefix is a plain string prefix', rule: 'PathPrefix(`/api`)', input: { path: '/apifoo' }, expected: true },
    { desc: 'PathPrefix with slash', rule: 'PathPrefix(`/api/`)', input: { path: '/api' }, expected: false },
    { desc: 'PathPrefix root', rule: 'PathPrefix(`/`)', input: { path: '/anything/at/all' }, expected: true },
    { desc: 'PathPrefix not escaped by ..', rule: 'PathPrefix(`/public`)', input: { path: '/public/../admin' }, expected: false },
    { desc: 'PathPrefix encoded prefix chars', rule: 'PathPrefix(`/static`)', input: { path: '/st%61tic/app.js' }, expected: true },
    { desc: 'PathPrefix other path', rule: 'PathPrefix(`/api`)', input: { path: '/ap' }, expected: false },
    // PathRegexp
    { desc: 'PathRegexp unanchored', rule: 'PathRegexp(`\\.jpg$`)', input: { path: '/img/a.jpg' }, expected: true },
    { desc: 'PathRegexp anchored miss', rule: 'PathRegexp(`^/img/[0-9]+$`)', input: { path: '/img/12a' }, expected: false },
    { desc: 'PathRegexp anchored hit', rule: 'PathRegexp(`^/img/[0-9]+$`)', input: { path: '/img/123' }, expected: true },
    { desc: 'PathRegexp sees decoded non-reserved characters', rule: 'PathRegexp(`^/foo bar$`)', input: { path: '/foo%20bar' }, expected: true },
    { desc: 'PathRegexp sees Unicode decoded', rule: 'PathRegexp(`^/caf\\x{e9}$`)', input: { path: '/caf%C3%A9' }, expected: true },
    { desc: 'PathRegexp keeps reserved characters encoded', rule: 'PathRegexp(`^/a/b$`)', input: { path: '/a%2Fb' }, expected: false },
    { desc: 'PathRegexp is case-sensitive', rule: 'PathRegexp(`^/api`)', input: { path: '/API' }, expected: false },
    { desc: 'PathRegexp (?i) flag', rule: 'PathRegexp(`(?i)^/api`)', input: { path: '/API' }, expected: true },
    // Method
    { desc: 'Method equal', rule: 'Method(`GET`)', input: { method: 'GET' }, expected: true },
    { desc: 'Method other', rule: 'Method(`GET`)', input: { method: 'POST' }, expected: false },
    { desc: 'Method in the rule is upper-cased', rule: 'Method(`post`)', input: { method: 'POST' }, expected: true },
    { desc: 'Method on the request is compared as sent', rule: 'Method(`POST`)', input: { method: 'post' }, expected: false },
    // Header
    { desc: 'Header exact', rule: 'Header(`X-Env`, `prod`)', input: { headers: { 'x-env': 'prod' } }, expected: true },
    { desc: 'Header name is case-insensitive', rule: 'Header(`x-ENV`, `prod`)', input: { headers: { 'x-env': 'prod' } }, expected: true },
    { desc: 'Header value is case-sensitive', rule: 'Header(`X-Env`, `prod`)', input: { headers: { 'x-env': 'PROD' } }, expected: false },
    { desc: 'Header value is exact, not a substring', rule: 'Header(`X-Env`, `prod`)', input: { headers: { 'x-env': 'production' } }, expected: false },
    { desc: 'Header missing', rule: 'Header(`X-Env`, `prod`)', input: { headers: {} }, expected: false },
    { desc: 'Header any of several values', rule: 'Header(`Set-Cookie`, `b=2`)', input: { headers: { 'set-cookie': ['a=1', 'b=2'] } }, expected: true },
    { desc: 'Header none of several values', rule: 'Header(`Set-Cookie`, `c=3`)', input: { headers: { 'set-cookie': ['a=1', 'b=2'] } }, expected: false },
    // HeaderRegexp
    { desc: 'HeaderRegexp unanchored', rule: 'HeaderRegexp(`User-Agent`, `Firefox`)', input: { headers: { 'user-agent': 'Mozilla/5.0 Firefox/120' } }, expected: true },
    { desc: 'HeaderRegexp anchored miss', rule: 'HeaderRegexp(`X-Id`, `^[0-9]+$`)', input: { headers: { 'x-id': '12a' } }, expected: false },
    { desc: 'HeaderRegexp missing header', rule: 'HeaderRegexp(`X-Id`, `.*`)', input: { headers: {} }, expected: false },
    { desc: 'HeaderRegexp any of several values', rule: 'HeaderRegexp(`Set-Cookie`, `^b=`)', input: { headers: { 'set-cookie': ['a=1', 'b=2'] } }, expected: true },
    // Query
    { desc: 'Query key and value', rule: 'Query(`mobile`, `true`)', input: { query: 'mobile=true' }, expected: true },
    { desc: 'Query other value', rule: 'Query(`mobile`, `true`)', input: { query: 'mobile=false' }, expected: false },
    { desc: 'Query any of repeated values', rule: 'Query(`tag`, `b`)', input: { query: 'tag=a&tag=b' }, expected: true },
    { desc: 'Query key present', rule: 'Query(`debug`)', input: { query: 'debug=1' }, expected: true },
    { desc: 'Query key present without value', rule: 'Query(`debug`)', input: { query: 'debug' }, expected: true },
    { desc: 'Query key absent', rule: 'Query(`debug`)', input: { query: 'other=1' }, expected: false },
    { desc: 'Query decodes the value', rule: 'Query(`q`, `a b`)', input: { query: 'q=a+b' }, expected: true },
    { desc: 'Query with no query string', rule: 'Query(`q`)', input: {}, expected: false },
    // QueryRegexp
    { desc: 'QueryRegexp hit', rule: 'QueryRegexp(`id`, `^[0-9]+$`)', input: { query: 'id=42' }, expected: true },
    { desc: 'QueryRegexp miss', rule: 'QueryRegexp(`id`, `^[0-9]+$`)', input: { query: 'id=x42' }, expected: false },
    { desc: 'QueryRegexp key absent', rule: 'QueryRegexp(`id`, `.*`)', input: { query: 'other=1' }, expected: false },
    // ClientIP
    { desc: 'ClientIP single IPv4', rule: 'ClientIP(`10.1.2.3`)', input: { clientIp: '10.1.2.3' }, expected: true },
    { desc: 'ClientIP single IPv4 other', rule: 'ClientIP(`10.1.2.3`)', input: { clientIp: '10.1.2.4' }, expected: false },
    { desc: 'ClientIP IPv4 CIDR', rule: 'ClientIP(`10.0.0.0/8`)', input: { clientIp: '10.200.3.4' }, expected: true },
    { desc: 'ClientIP IPv4 CIDR miss', rule: 'ClientIP(`10.0.0.0/8`)', input: { clientIp: '11.0.0.1' }, expected: false },
    { desc: 'ClientIP IPv4-mapped socket address', rule: 'ClientIP(`192.168.0.0/16`)', input: { clientIp: '::ffff:192.168.1.9' }, expected: true },
    { desc: 'ClientIP IPv4-mapped rule', rule: 'ClientIP(`::ffff:127.0.0.1`)', input: { clientIp: '127.0.0.1' }, expected: true },
    { desc: 'ClientIP IPv6 single', rule: 'ClientIP(`::1`)', input: { clientIp: '::1' }, expected: true },
    { desc: 'ClientIP IPv6 CIDR', rule: 'ClientIP(`2001:db8::/32`)', input: { clientIp: '2001:db8:1::5' }, expected: true },
    { desc: 'ClientIP IPv6 CIDR miss', rule: 'ClientIP(`2001:db8::/32`)', input: { clientIp: '2001:db9::5' }, expected: false },
    { desc: 'ClientIP IPv4 rule, IPv6 client', rule: 'ClientIP(`127.0.0.1`)', input: { clientIp: '::1' }, expected: false },
    { desc: 'ClientIP unknown address', rule: 'ClientIP(`0.0.0.0/0`)', input: { clientIp: '' }, expected: false },
    { desc: 'ClientIP /0 takes every IPv4', rule: 'ClientIP(`0.0.0.0/0`)', input: { clientIp: '203.0.113.7' }, expected: true },
    // Operators
    { desc: '&& both true', rule: 'Host(`a.test`) && Path(`/x`)', input: { host: 'a.test', path: '/x' }, expected: true },
    { desc: '&& one false', rule: 'Host(`a.test`) && Path(`/x`)', input: { host: 'a.test', path: '/y' }, expected: false },
    { desc: '|| one true', rule: 'Host(`a.test`) || Host(`b.test`)', input: { host: 'b.test' }, expected: true },
    { desc: '|| none true', rule: 'Host(`a.test`) || Host(`b.test`)', input: { host: 'c.test' }, expected: false },
    { desc: '! inverts', rule: '!Method(`POST`)', input: { method: 'GET' }, expected: true },
    { desc: '! inverts a match', rule: '!Method(`POST`)', input: { method: 'POST' }, expected: false },
    { desc: 'precedence: a || b && c with a true', rule: 'Host(`a.test`) || Host(`b.test`) && Path(`/x`)', input: { host: 'a.test', path: '/y' }, expected: true },
    { desc: 'grouping: (a || b) && c with c false', rule: '(Host(`a.test`) || Host(`b.test`)) && Path(`/x`)', input: { host: 'a.test', path: '/y' }, expected: false },
    { desc: 'negated group', rule: '!(Path(`/a`) || Path(`/b`))', input: { path: '/c' }, expected: true },
    { desc: 'negated group miss', rule: '!(Path(`/a`) || Path(`/b`))', input: { path: '/b' }, expected: false },
    { desc: 'double negation', rule: '!!Host(`a.test`)', input: { host: 'a.test' }, expected: true },
    {
      desc: 'a realistic rule',
      rule: 'Host(`shop.test`) && (PathPrefix(`/api`) || PathPrefix(`/auth`)) && !ClientIP(`10.0.0.0/8`) && Method(`POST`)',
      input: { host: 'SHOP.test:443', path: '/auth/login', clientIp: '192.0.2.1', method: 'POST' },
      expected: true,
    },
  ])('$desc', ({ rule, input, expected }) => {
    expect(compileHttpRule(rule).match(request(input))).toBe(expected)
  })

  it('never parses the query of a rule that does not look at it', () => {
    let parsed = 0
    const req = { ...request({ host: 'a.test' }), query: () => (parsed++, new URLSearchParams()) }
    expect(compileHttpRule('Host(`a.test`) || Query(`x`)').match(req)).toBe(true)
    expect(parsed).toBe(0)
  })
})

describe('compileHttpRule: hosts', () => {
  it.each<{ desc: string; input: string; expected: string[] | null }>([
    { desc: 'one Host', input: 'Host(`A.test`)', expected: ['a.test'] },
    { desc: 'Host and a path', input: 'Host(`a`) && PathPrefix(`/x`)', expected: ['a'] },
    { desc: 'path and a Host', input: 'PathPrefix(`/x`) && Host(`a`)', expected: ['a'] },
    { desc: 'Host or Host', input: 'Host(`a`) || Host(`b`)', expected: ['a', 'b'] },
    { desc: 'grouped Hosts and a method', input: '(Host(`a`) || Host(`b`)) && Method(`GET`)', expected: ['a', 'b'] },
    { desc: 'duplicates once', input: 'Host(`a`) || Host(`A.`) || Host(`a:80`)', expected: ['a'] },
    { desc: 'Host and Host intersect', input: '(Host(`a`) || Host(`b`)) && (Host(`b`) || Host(`c`))', expected: ['b'] },
    { desc: 'contradiction matches no host', input: 'Host(`a`) && Host(`b`)', expected: [] },
    { desc: 'negated negation', input: '!!Host(`a`)', expected: ['a'] },
    { desc: 'De Morgan: !(!a || !b)', input: '!(!Host(`a`) || Path(`/x`))', expected: ['a'] },
    { desc: 'Host and a negated path', input: 'Host(`a`) && !Path(`/x`)', expected: ['a'] },
    { desc: 'path only', input: 'PathPrefix(`/`)', expected: null },
    { desc: 'Host or a path', input: 'Host(`a`) || Path(`/b`)', expected: null },
    { desc: 'negated Host', input: '!Host(`a`)', expected: null },
    { desc: 'HostRegexp', input: 'HostRegexp(`^a$`)', expected: null },
    { desc: 'negated conjunction', input: '!(Host(`a`) && Path(`/x`))', expected: null },
    { desc: 'Host header matcher is not Host', input: 'Header(`Host`, `a`)', expected: null },
  ])('$desc', ({ input, expected }) => {
    expect(compileHttpRule(input).hosts).toEqual(expected)
  })
})

describe('normaliseHost', () => {
  it.each([
    { desc: 'lower-cases', input: 'Example.TEST', expected: 'example.test' },
    { desc: 'strips a port', input: 'example.test:8080', expected: 'example.test' },
    { desc: 'strips an empty port', input: 'example.test:', expected: 'example.test' },
    { desc: 'strips a trailing dot', input: 'example.test.', expected: 'example.test' },
    { desc: 'strips a trailing dot and a port', input: 'example.test.:443', expected: 'example.test' },
    { desc: 'IPv6 with port', input: '[::1]:80', expected: '::1' },
    { desc: 'IPv6 without port', input: '[2001:DB8::1]', expected: '2001:db8::1' },
    { desc: 'bare IPv6 is kept', input: '2001:db8::1', expected: '2001:db8::1' },
    { desc: 'IPv4 with port', input: '127.0.0.1:3000', expected: '127.0.0.1' },
    { desc: 'empty', input: '', expected: '' },
  ])('$desc', ({ input, expected }) => {
    expect(normaliseHost(input)).toBe(expected)
  })
})
