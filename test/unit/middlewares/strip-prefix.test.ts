import { describe, expect, it } from 'vitest'
import { stripPrefixEntry } from '../../../middlewares/strip-prefix/index.ts'
import { exchange, middlewareContract } from '../../support/middleware-contract.ts'
import { testMiddlewareContext } from '../../support/context.ts'

middlewareContract(stripPrefixEntry, { valid: { prefixes: ['/api'] }, invalid: { prefixes: [] } })

describe('stripPrefix', () => {
  it.each([
    { desc: 'strips the prefix, keeps the query', prefixes: ['/api'], path: '/api/users?x=1', url: '/users?x=1', prefix: '/api' },
    { desc: 'the whole path becomes /', prefixes: ['/api'], path: '/api', url: '/', prefix: '/api' },
    { desc: 'a plain string prefix, as Traefik does', prefixes: ['/api'], path: '/apiv2/x', url: '/v2/x', prefix: '/api' },
    { desc: 'the first matching prefix wins', prefixes: ['/a', '/a/b'], path: '/a/b/c', url: '/b/c', prefix: '/a' },
    { desc: 'a prefix with a trailing slash', prefixes: ['/api/'], path: '/api/users', url: '/users', prefix: '/api/' },
    { desc: 'no match leaves the request alone', prefixes: ['/api'], path: '/other', url: '/other', prefix: undefined },
  ])('$desc', async ({ prefixes, path, url, prefix }) => {
    const { seen } = await exchange(stripPrefixEntry, { prefixes }, path)
    expect(seen?.url).toBe(url)
    expect(seen?.headers['x-forwarded-prefix']).toBe(prefix)
  })

  it.each([
    { desc: 'missing prefixes', options: {}, message: 'prefixes must be a non-empty list' },
    { desc: 'empty prefix', options: { prefixes: [''] }, message: 'prefix "" must be a non-empty string' },
    { desc: 'unknown option', options: { prefixes: ['/a'], prefix: '/b' }, message: 'unknown option "prefix"' },
  ])('refuses $desc', ({ options, message }) => {
    expect(() => stripPrefixEntry.create(options, testMiddlewareContext('m@file'))).toThrow(
      `middleware m@file: stripPrefix: ${message}`,
    )
  })
})
