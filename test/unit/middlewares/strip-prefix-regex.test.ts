import { describe, expect, it } from 'vitest'
import { stripPrefixRegexEntry } from '../../../middlewares/strip-prefix-regex/index.ts'
import { exchange, middlewareContract } from '../../support/middleware-contract.ts'
import { testMiddlewareContext } from '../../support/context.ts'

middlewareContract(stripPrefixRegexEntry, { valid: { regex: ['^/some'] }, invalid: { regex: ['(unclosed'] } })

/** Cases from Traefik's strip_prefix_regex_test.go, on normalised paths. */
describe('stripPrefixRegex', () => {
  const regex = ['/a/api/', '/b/([a-z0-9]+)/', '/c/[a-z0-9]+/[0-9]+/']
  it.each([
    { desc: 'no match', path: '/a/test', url: '/a/test', prefix: undefined },
    { desc: 'a literal expression', path: '/a/api/test', url: '/test', prefix: '/a/api/' },
    { desc: 'the whole path', path: '/b/api/', url: '', prefix: '/b/api/' },
    { desc: 'a capturing expression', path: '/b/api/test1', url: '/test1', prefix: '/b/api/' },
    { desc: 'an expression that does not match the rest', path: '/b/api2/test2', url: '/test2', prefix: '/b/api2/' },
    { desc: 'the documentation example', path: '/c/api/123/test3', url: '/test3', prefix: '/c/api/123/' },
    { desc: 'no match: [0-9]+ needs a digit', path: '/c/api/abc/test4', url: '/c/api/abc/test4', prefix: undefined },
    { desc: 'an encoded slash after the match stays encoded', path: '/a/api/a%2Fb', url: '/a%2Fb', prefix: '/a/api/' },
    { desc: 'the query is kept', path: '/a/api/x?q=1', url: '/x?q=1', prefix: '/a/api/' },
    { desc: 'a match that is not where the path starts is not stripped', path: '/x/a/api/y', url: '/x/a/api/y', prefix: undefined },
  ])('$desc', async ({ path, url, prefix }) => {
    const { seen } = await exchange(stripPrefixRegexEntry, { regex }, path)
    expect({ url: seen?.url, prefix: seen?.headers['x-forwarded-prefix'] }).toEqual({ url, prefix })
  })

  it.each([
    { desc: 'sees encoded spaces decoded, as PathRegexp does', regex: ['^/my api/'], path: '/my%20api/x', url: '/x', prefix: '/my api/' },
    { desc: 'sees UTF-8 decoded; the header carries it encoded', regex: ['^/caf\\x{e9}'], path: '/caf%C3%A9/x', url: '/x', prefix: '/caf%C3%A9' },
    { desc: 'an encoded slash is not a slash', regex: ['^/a/b'], path: '/a%2Fb/c', url: '/a%2Fb/c', prefix: undefined },
    { desc: 'a match ending inside an encoded slash strips nothing', regex: ['^/a%2'], path: '/a%2Fb', url: '/a%2Fb', prefix: undefined },
    { desc: 'the first matching expression wins', regex: ['^/nope', '^/v[0-9]+', '^/v'], path: '/v12/x', url: '/x', prefix: '/v12' },
  ])('$desc', async ({ regex, path, url, prefix }) => {
    const { seen } = await exchange(stripPrefixRegexEntry, { regex }, path)
    expect({ url: seen?.url, prefix: seen?.headers['x-forwarded-prefix'] }).toEqual({ url, prefix })
  })

  it.each([
    { desc: 'a dot-dot segment left behind', regex: ['^/api'], path: '/api../foo' },
    { desc: 'a dot segment left behind', regex: ['^/[a-z]+'], path: '/api./foo' },
    { desc: 'a dot-dot segment between encoded slashes', regex: ['^/api'], path: '/api%2F..%2Fadmin' },
  ])('refuses with 400: $desc', async ({ regex, path }) => {
    const result = await exchange(stripPrefixRegexEntry, { regex }, path)
    expect({ status: result.status, reached: result.seen !== undefined }).toEqual({ status: 400, reached: false })
  })

  it.each([
    { desc: 'a missing list', options: {}, message: 'regex must be a non-empty list' },
    { desc: 'an empty list', options: { regex: [] }, message: 'regex must be a non-empty list' },
    { desc: 'an empty expression', options: { regex: [' '] }, message: 'regex " " must be a non-empty string' },
    { desc: 'a lookahead Go does not have', options: { regex: ['^/a(?=b)'] }, message: 'regex "^/a(?=b)": lookahead `(?=` is not supported by Go\'s regexp' },
    { desc: 'an expression that does not parse', options: { regex: ['(unclosed'] }, message: 'regex "(unclosed": error parsing regexp: missing closing ): `(unclosed`' },
  ])('refuses $desc', ({ options, message }) => {
    expect(() => stripPrefixRegexEntry.create(options, testMiddlewareContext('m@file'))).toThrow(
      expect.objectContaining({ code: 'JCT_ERR_DYNAMIC_CONFIG', message: `middleware m@file: stripPrefixRegex: ${message}` }),
    )
  })
})
