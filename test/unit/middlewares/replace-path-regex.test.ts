import { describe, expect, it } from 'vitest'
import { replacePathRegexEntry } from '../../../middlewares/replace-path-regex/index.ts'
import { exchange, middlewareContract } from '../../support/middleware-contract.ts'
import { testMiddlewareContext } from '../../support/context.ts'

middlewareContract(replacePathRegexEntry, { valid: { regex: '^/some/(.*)', replacement: '/other/$1' }, invalid: { regex: '(' } })

/** Cases from Traefik's replace_path_regex_test.go, on normalised paths. */
describe('replacePathRegex', () => {
  it.each([
    { desc: 'simple regex', regex: '^/whoami/(.*)', replacement: '/who-am-i/$1', path: '/whoami/and/whoami', url: '/who-am-i/and/whoami', replaced: '/whoami/and/whoami' },
    { desc: 'every match replaced', regex: '/whoami', replacement: '/who-am-i', path: '/whoami/and/whoami', url: '/who-am-i/and/who-am-i', replaced: '/whoami/and/whoami' },
    { desc: 'no match: left alone, no header', regex: '^/toto/(.*)', replacement: '/titi/$1', path: '/whoami/and/whoami', url: '/whoami/and/whoami', replaced: undefined },
    { desc: 'a named group', regex: '^/(?P<tenant>[a-z]+)/(.*)', replacement: '/t/${tenant}/$2', path: '/acme/x/y', url: '/t/acme/x/y', replaced: '/acme/x/y' },
    { desc: '$1x names the group 1x: empty', regex: '^/(a)', replacement: '/$1x', path: '/a', url: '/', replaced: '/a' },
    { desc: 'matched on the path as written: encoded slash', regex: '^/aaa/bbb', replacement: '/foo', path: '/aaa/bbb%2Fccc', url: '/foo%2Fccc', replaced: '/aaa/bbb%2Fccc' },
    { desc: 'an encoded space in a capture stays encoded', regex: '^/foo/(.*)', replacement: '/bar/$1', path: '/foo/a%20b', url: '/bar/a%20b', replaced: '/foo/a%20b' },
    { desc: 'a replacement with an encoded slash', regex: '^/(a)/(b)', replacement: '/$1%2F$2', path: '/a/b', url: '/a%2Fb', replaced: '/a/b' },
    { desc: 'the query is kept', regex: '^/foo', replacement: '/bar', path: '/foo?x=1', url: '/bar?x=1', replaced: '/foo' },
    { desc: 'a result without a leading slash gets one', regex: '^/foo/(.*)', replacement: '$1', path: '/foo/bar', url: '/bar', replaced: '/foo/bar' },
    { desc: 'the regex and replacement are trimmed, as Traefik does', regex: ' ^/foo ', replacement: ' /bar ', path: '/foo', url: '/bar', replaced: '/foo' },
  ])('$desc', async ({ regex, replacement, path, url, replaced }) => {
    const { seen } = await exchange(replacePathRegexEntry, { regex, replacement }, path)
    expect({ url: seen?.url, replaced: seen?.headers['x-replaced-path'] }).toEqual({ url, replaced })
  })

  it.each([
    { desc: 'a capture that ends up a dot-dot segment', regex: '^/foo(.*)', replacement: '/bar/$1', path: '/foo..' },
    { desc: 'a dot-dot segment between encoded slashes', regex: '^/foo/(.*)', replacement: '/bar/$1', path: '/foo/..%2Fadmin' },
    { desc: 'an empty segment, as Traefik refuses it', regex: '^/foo/(.*)', replacement: '/bar//$1', path: '/foo/x' },
    { desc: 'a malformed encoding', regex: '^/foo/(.*)', replacement: '/100%$1', path: '/foo/x' },
  ])('refuses with 400: $desc', async ({ regex, replacement, path }) => {
    const result = await exchange(replacePathRegexEntry, { regex, replacement }, path)
    expect({ status: result.status, reached: result.seen !== undefined }).toEqual({ status: 400, reached: false })
  })

  it.each([
    { desc: 'a missing regex', options: { replacement: '/x' }, message: 'regex must be a non-empty string' },
    { desc: 'a regex that does not parse', options: { regex: '^(/a', replacement: '/x' }, message: 'regex "^(/a": error parsing regexp: missing closing ): `^(/a`' },
    { desc: 'a replacement that is not a string', options: { regex: '^/a', replacement: 1 }, message: 'replacement must be a string' },
  ])('refuses $desc', ({ options, message }) => {
    expect(() => replacePathRegexEntry.create(options, testMiddlewareContext('m@file'))).toThrow(
      expect.objectContaining({ code: 'JCT_ERR_DYNAMIC_CONFIG', message: `middleware m@file: replacePathRegex: ${message}` }),
    )
  })
})
