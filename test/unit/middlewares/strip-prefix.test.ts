import { describe, expect, it } from 'vitest'
import { stripPrefixEntry } from '../../../middlewares/strip-prefix/index.ts'
import { exchange, middlewareContract } from '../../support/middleware-contract.ts'
import { testMiddlewareContext } from '../../support/context.ts'

middlewareContract(stripPrefixEntry, { valid: { prefixes: ['/api'] }, invalid: { prefixes: [] } })

/** Paths as the entry point hands them on: normalised. `url` is what the next handler saw ('' is the empty path). */
describe('stripPrefix', () => {
  it.each([
    { desc: 'strips the prefix, keeps the query', prefixes: ['/api'], path: '/api/users?x=1', url: '/users?x=1', prefix: '/api' },
    { desc: 'the whole path: empty, as in Traefik v3', prefixes: ['/stat'], path: '/stat', url: '', prefix: '/stat' },
    { desc: 'the whole path with a query', prefixes: ['/stat'], path: '/stat?a=b', url: '?a=b', prefix: '/stat' },
    { desc: 'prefix / on /', prefixes: ['/'], path: '/', url: '', prefix: '/' },
    { desc: 'a prefix with its slash on that exact path', prefixes: ['/stat/'], path: '/stat/', url: '', prefix: '/stat/' },
    { desc: 'a prefix with its slash on a longer path', prefixes: ['/stat/'], path: '/stat/us', url: '/us', prefix: '/stat/' },
    { desc: 'a prefix with its slash does not strip a longer segment', prefixes: ['/stat/'], path: '/status', url: '/status', prefix: undefined },
    { desc: 'a prefix without slash on a path with one', prefixes: ['/stat'], path: '/stat/', url: '/', prefix: '/stat' },
    { desc: 'a plain string: inside a segment, as Traefik does', prefixes: ['/stat'], path: '/status', url: '/us', prefix: '/stat' },
    { desc: 'the first matching prefix wins', prefixes: ['/stat', '/stat/us'], path: '/stat/us', url: '/us', prefix: '/stat' },
    { desc: 'a later prefix matches', prefixes: ['/mismatch', '/stat'], path: '/stat', url: '', prefix: '/stat' },
    { desc: 'an encoded slash after the prefix stays encoded', prefixes: ['/stat'], path: '/stat/a%2Fb', url: '/a%2Fb', prefix: '/stat' },
    { desc: 'an encoded slash is not the prefix\'s slash', prefixes: ['/a/b'], path: '/a%2Fb/c', url: '/a%2Fb/c', prefix: undefined },
    { desc: 'a prefix written with a space matches its encoding', prefixes: ['/my api'], path: '/my%20api/x', url: '/x', prefix: '/my api' },
    { desc: 'a non-ASCII prefix is sent encoded in the header', prefixes: ['/café'], path: '/caf%C3%A9/x', url: '/x', prefix: '/caf%C3%A9' },
    { desc: 'spaces around a prefix are trimmed', prefixes: [' /api '], path: '/api/x', url: '/x', prefix: '/api' },
    { desc: 'no match leaves the request alone', prefixes: ['/api'], path: '/other', url: '/other', prefix: undefined },
  ])('$desc', async ({ prefixes, path, url, prefix }) => {
    const { seen } = await exchange(stripPrefixEntry, { prefixes }, path)
    expect({ url: seen?.url, prefix: seen?.headers['x-forwarded-prefix'] }).toEqual({ url, prefix })
  })

  // The forceSlash tables of Traefik's v3.6 documentation.
  it.each([
    { forceSlash: true, path: '/', prefix: '/', url: '/' },
    { forceSlash: true, path: '/foo', prefix: '/foo', url: '/' },
    { forceSlash: true, path: '/foo/', prefix: '/foo', url: '/' },
    { forceSlash: true, path: '/foo/', prefix: '/foo/', url: '/' },
    { forceSlash: true, path: '/bar', prefix: '/foo', url: '/bar' },
    { forceSlash: true, path: '/foo/bar', prefix: '/foo', url: '/bar' },
    { forceSlash: false, path: '/', prefix: '/', url: '' },
    { forceSlash: false, path: '/foo', prefix: '/foo', url: '' },
    { forceSlash: false, path: '/foo/', prefix: '/foo', url: '/' },
    { forceSlash: false, path: '/foo/', prefix: '/foo/', url: '' },
    { forceSlash: false, path: '/bar', prefix: '/foo', url: '/bar' },
    { forceSlash: false, path: '/foo/bar', prefix: '/foo', url: '/bar' },
  ])('forceSlash $forceSlash: $path stripped of $prefix is "$url"', async ({ forceSlash, path, prefix, url }) => {
    const { seen } = await exchange(stripPrefixEntry, { prefixes: [prefix], forceSlash }, path)
    expect(seen?.url).toBe(url)
  })

  it.each([
    { desc: 'a dot segment left by a prefix inside a segment', prefixes: ['/api'], path: '/api./foo' },
    { desc: 'a dot-dot segment left by a prefix inside a segment', prefixes: ['/api'], path: '/api../foo' },
    { desc: 'a dot-dot segment, with forceSlash', prefixes: ['/api'], path: '/api../foo', forceSlash: true },
    { desc: 'a dot-dot segment between encoded slashes', prefixes: ['/api'], path: '/api%2F..%2Fadmin' },
    { desc: 'a dot-dot segment between encoded backslashes', prefixes: ['/api'], path: '/api%5C..%5Cadmin' },
    { desc: 'a dot-dot segment before an encoded slash', prefixes: ['/api/'], path: '/api/..%2Fadmin' },
  ])('refuses with 400: $desc', async ({ prefixes, path, forceSlash }) => {
    const result = await exchange(stripPrefixEntry, { prefixes, ...(forceSlash && { forceSlash }) }, path)
    expect({ status: result.status, reached: result.seen !== undefined }).toEqual({ status: 400, reached: false })
  })

  it('adds its prefix after one a trusted proxy sent, one value each, as Go\'s Header.Add', async () => {
    const { seen } = await exchange(stripPrefixEntry, { prefixes: ['/api'] }, '/api/x', { 'x-forwarded-prefix': '/outer' })
    expect(seen?.headers['x-forwarded-prefix']).toEqual(['/outer', '/api'])
  })

  it.each([
    { desc: 'missing prefixes', options: {}, message: 'prefixes must be a non-empty list' },
    { desc: 'empty prefix', options: { prefixes: [''] }, message: 'prefix "" must be a non-empty string' },
    { desc: 'blank prefix', options: { prefixes: ['  '] }, message: 'prefix "  " must be a non-empty string' },
    { desc: 'a forceSlash that is not a boolean', options: { prefixes: ['/a'], forceSlash: 'yes' }, message: 'forceSlash must be a boolean' },
  ])('refuses $desc', ({ options, message }) => {
    expect(() => stripPrefixEntry.create(options, testMiddlewareContext('m@file'))).toThrow(
      expect.objectContaining({ code: 'JCT_ERR_DYNAMIC_CONFIG', message: `middleware m@file: stripPrefix: ${message}` }),
    )
  })
})
