import { describe, expect, it } from 'vitest'
import { canonicalRulePath, escapedPrefixLength, routingPath, sanitizePath } from '../../../src/rules/sanitize-path.ts'

describe('sanitizePath', () => {
  it.each<{ desc: string; input: string; expected: string | null }>([
    { desc: 'root', input: '/', expected: '/' },
    { desc: 'clean path unchanged', input: '/api/v1/users', expected: '/api/v1/users' },
    { desc: 'trailing slash kept', input: '/api/', expected: '/api/' },
    { desc: 'dot segment', input: '/a/./b', expected: '/a/b' },
    { desc: 'dot-dot segment', input: '/a/b/../c', expected: '/a/c' },
    { desc: 'dot-dot above root stops at root', input: '/../../etc/passwd', expected: '/etc/passwd' },
    { desc: 'only dot-dot', input: '/..', expected: '/' },
    { desc: 'only dot', input: '/.', expected: '/' },
    { desc: 'trailing dot-dot drops the slash, as Go does', input: '/a/b/..', expected: '/a' },
    { desc: 'trailing dot-dot-slash keeps it', input: '/a/b/../', expected: '/a/' },
    { desc: 'trailing dot', input: '/a/.', expected: '/a' },
    { desc: 'encoded dots', input: '/public/%2e%2e/admin', expected: '/admin' },
    { desc: 'upper-case encoded dots', input: '/public/%2E%2E/admin', expected: '/admin' },
    { desc: 'mixed dot and encoded dot', input: '/public/.%2e/admin', expected: '/admin' },
    { desc: 'encoded single dot', input: '/a/%2e/b', expected: '/a/b' },
    { desc: 'encoded dots above root', input: '/%2e%2e/%2e%2e/x', expected: '/x' },
    { desc: 'dots inside a name are not segments', input: '/a/..b/c../.d/', expected: '/a/..b/c../.d/' },
    { desc: 'three dots are a name', input: '/a/.../b', expected: '/a/.../b' },
    { desc: 'duplicate slashes collapse, as Traefik does', input: '//a///b//', expected: '/a/b/' },
    { desc: 'leading double slash', input: '//evil.test/x', expected: '/evil.test/x' },
    { desc: 'encoded slash stays encoded', input: '/a%2fb/c', expected: '/a%2Fb/c' },
    { desc: 'encoded slash is no separator for ..', input: '/a%2F..%2Fb', expected: '/a%2F..%2Fb' },
    { desc: 'encoded unreserved decoded', input: '/%7Euser/%41pi', expected: '/~user/Api' },
    { desc: 'encoded reserved kept, upper-cased', input: '/a%3fb%23c%25d', expected: '/a%3Fb%23c%25d' },
    { desc: 'UTF-8 kept encoded', input: '/caf%c3%a9', expected: '/caf%C3%A9' },
    { desc: 'raw characters that may not appear are encoded', input: '/a"b\\c{d}|^`', expected: '/a%22b%5Cc%7Bd%7D%7C%5E%60' },
    { desc: 'sub-delims stay raw', input: "/a;b=c,d!$&'()*+:@", expected: "/a;b=c,d!$&'()*+:@" },
    { desc: 'query kept as it is', input: '/a/../b?x=/../y&z=%2e', expected: '/b?x=/../y&z=%2e' },
    { desc: 'query-less path with question mark only', input: '/a?', expected: '/a?' },
    { desc: 'asterisk-form', input: '*', expected: '*' },
    { desc: 'empty is not origin-form', input: '', expected: null },
    { desc: 'relative path', input: 'a/b', expected: null },
    { desc: 'absolute-form is not origin-form', input: 'http://a.test/', expected: null },
    { desc: 'malformed percent-encoding', input: '/a%zzb', expected: null },
    { desc: 'truncated percent-encoding', input: '/a%2', expected: null },
    { desc: 'fragment', input: '/a#b', expected: null },
  ])('$desc', ({ input, expected }) => {
    expect(sanitizePath(input)).toBe(expected)
  })

  it('returns a clean path as the very same string', () => {
    const path = '/static/app.js'
    expect(sanitizePath(path)).toBe(path)
  })
})

describe('canonicalRulePath', () => {
  it.each([
    { desc: 'plain', input: '/api', expected: '/api' },
    { desc: 'space', input: '/foo bar', expected: '/foo%20bar' },
    { desc: 'Unicode', input: '/café', expected: '/caf%C3%A9' },
    { desc: 'encoded unreserved', input: '/%61pi', expected: '/api' },
    { desc: 'encoded reserved upper-cased', input: '/a%2fb', expected: '/a%2Fb' },
    { desc: 'lone percent', input: '/100%', expected: '/100%25' },
    { desc: 'question mark and hash', input: '/a?b#c', expected: '/a%3Fb%23c' },
  ])('$desc', ({ input, expected }) => {
    expect(canonicalRulePath(input)).toBe(expected)
  })
})

describe('routingPath', () => {
  it.each([
    { desc: 'no encoding', input: '/a/b', expected: '/a/b' },
    { desc: 'space decoded', input: '/foo%20bar', expected: '/foo bar' },
    { desc: 'UTF-8 decoded', input: '/caf%C3%A9', expected: '/café' },
    { desc: 'reserved kept', input: '/a%2Fb%3F%25', expected: '/a%2Fb%3F%25' },
    { desc: 'invalid UTF-8 kept encoded', input: '/x%FFy', expected: '/x%FFy' },
    { desc: 'mixed', input: '/%E2%82%AC%2F%22', expected: '/€%2F"' },
  ])('$desc', ({ input, expected }) => {
    expect(routingPath(input)).toBe(expected)
  })
})

describe('escapedPrefixLength', () => {
  it.each([
    { desc: 'plain ASCII', path: '/foo/bar', length: 4, expected: 4 },
    { desc: 'the whole path', path: '/foo', length: 4, expected: 4 },
    { desc: 'an encoded space is one character', path: '/a%20b/c', length: 4, expected: 6 },
    { desc: 'a UTF-8 sequence is one character', path: '/caf%C3%A9/x', length: 5, expected: 10 },
    { desc: 'an astral character is two', path: '/%F0%9F%98%80/x', length: 3, expected: 13 },
    { desc: 'inside an astral character', path: '/%F0%9F%98%80/x', length: 2, expected: -1 },
    { desc: 'an encoded slash stays three characters', path: '/a%2Fb/c', length: 5, expected: 5 },
    { desc: 'inside an encoded slash', path: '/a%2Fb/c', length: 3, expected: -1 },
    { desc: 'bytes that are not UTF-8 stay three characters each', path: '/%FF%FE/x', length: 7, expected: 7 },
    { desc: 'inside an undecodable byte', path: '/%FF/x', length: 2, expected: -1 },
    { desc: 'longer than the path', path: '/a', length: 3, expected: -1 },
  ])('$desc', ({ path, length, expected }) => {
    expect(escapedPrefixLength(path, length)).toBe(expected)
  })

  it('cuts a mixed path only between what routingPath decodes, and agrees with it there', () => {
    const path = '/a%20%C3%A9%2F%FF/%F0%9F%98%80b'
    const decoded = routingPath(path)
    const cuts = [...Array(decoded.length + 1).keys()].map((length) => escapedPrefixLength(path, length))
    expect(decoded).toBe('/a é%2F%FF/😀b')
    expect(cuts).toEqual([0, 1, 2, 5, 11, -1, -1, 14, -1, -1, 17, 18, -1, 30, 31])
    for (const [length, cut] of cuts.entries()) {
      if (cut >= 0) expect(routingPath(path.slice(0, cut))).toBe(decoded.slice(0, length))
    }
  })
})
