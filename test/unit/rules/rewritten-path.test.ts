import { describe, expect, it } from 'vitest'
import { checkRewrittenPath } from '../../../src/rules/rewritten-path.ts'

describe('checkRewrittenPath', () => {
  it.each([
    { desc: 'a clean path', path: '/v2/users', expected: '/v2/users' },
    { desc: 'the empty path', path: '', expected: '' },
    { desc: 'a trailing slash', path: '/a/', expected: '/a/' },
    { desc: 'dots inside a segment', path: '/a..b/.c/d.', expected: '/a..b/.c/d.' },
    { desc: 'encoding normalised', path: '/a b/%7e/%2f', expected: '/a%20b/~/%2F' },
    { desc: 'double encoding decoded once: %252e is the text %2e', path: '/%252e%252e/x', expected: '/%252e%252e/x' },
    { desc: 'a dot-dot segment', path: '/..', expected: null },
    { desc: 'a dot segment', path: '/./x', expected: null },
    { desc: 'a dot-dot segment in the middle', path: '/a/../b', expected: null },
    { desc: 'an encoded dot-dot segment', path: '/%2e%2E/admin', expected: null },
    { desc: 'a half-encoded dot segment', path: '/a/.%2e', expected: null },
    { desc: 'dot-dot between encoded slashes', path: '/a%2F..%2Fb', expected: null },
    { desc: 'dot-dot between encoded backslashes', path: '/a%5c..%5Cb', expected: null },
    { desc: 'dot-dot after a raw backslash', path: '/a\\..\\b', expected: null },
    { desc: 'a malformed encoding', path: '/100%', expected: null },
    { desc: 'a raw #', path: '/a#b', expected: null },
    { desc: 'an empty segment', path: '/a//b', expected: null },
  ])('$desc', ({ path, expected }) => {
    expect(checkRewrittenPath(path, 'refuse')).toBe(expected)
  })

  it('keeps empty segments when told to', () => {
    expect([checkRewrittenPath('/foo//bar', 'keep'), checkRewrittenPath('/foo//..', 'keep')]).toEqual(['/foo//bar', null])
  })
})
