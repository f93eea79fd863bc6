import { describe, expect, it } from 'vitest'
import { addPrefixEntry } from '../../../middlewares/add-prefix/index.ts'
import { stripPrefixEntry } from '../../../middlewares/strip-prefix/index.ts'
import type { MiddlewareEntry } from '../../../src/plugin.ts'
import { exchange, middlewareContract } from '../../support/middleware-contract.ts'
import { testMiddlewareContext } from '../../support/context.ts'

middlewareContract(addPrefixEntry, { valid: { prefix: '/foo' }, invalid: { prefix: '' } })

describe('addPrefix', () => {
  it.each([
    { desc: 'prefixes the path, keeps the query', prefix: '/foo', path: '/bar?x=1', url: '/foo/bar?x=1' },
    { desc: 'on /', prefix: '/foo', path: '/', url: '/foo/' },
    { desc: 'a missing leading slash is added, as Traefik does', prefix: 'foo', path: '/bar', url: '/foo/bar' },
    { desc: 'a trailing slash is kept as written, as Traefik does', prefix: '/foo/', path: '/bar', url: '/foo//bar' },
    { desc: 'encoded characters in the path stay encoded', prefix: '/foo', path: '/a%2Fb', url: '/foo/a%2Fb' },
    { desc: 'a prefix is written as in a URL: a space is encoded', prefix: '/my app', path: '/x', url: '/my%20app/x' },
    { desc: 'an encoded slash in the prefix stays encoded', prefix: '/a%2fb', path: '/x', url: '/a%2Fb/x' },
    { desc: 'a ? in the prefix is part of the path', prefix: '/a?b', path: '/x?q', url: '/a%3Fb/x?q' },
  ])('$desc', async ({ prefix, path, url }) => {
    const { seen } = await exchange(addPrefixEntry, { prefix }, path)
    expect(seen?.url).toBe(url)
  })

  it('after stripPrefix took the whole path, gives the prefix alone', async () => {
    const strip = stripPrefixEntry.create({ prefixes: ['/api'] }, testMiddlewareContext('strip@file'))
    const add = addPrefixEntry.create({ prefix: '/foo' }, testMiddlewareContext('add@file'))
    const stripThenAdd: MiddlewareEntry = { type: 'stripThenAdd', schema: addPrefixEntry.schema, create: () => (next) => strip(add(next)) }
    const { seen } = await exchange(stripThenAdd, {}, '/api?x=1')
    expect(seen?.url).toBe('/foo?x=1')
  })

  it.each([
    { desc: 'a missing prefix', options: {}, message: 'prefix must be a non-empty string' },
    { desc: 'an empty prefix', options: { prefix: '' }, message: 'prefix must be a non-empty string' },
    { desc: 'a dot-dot segment', options: { prefix: '/a/..' }, message: 'prefix "/a/.." must not hold "." or ".." segments, a "#" or a malformed percent-encoding' },
    { desc: 'an encoded dot segment', options: { prefix: '/%2e' }, message: 'prefix "/%2e" must not hold "." or ".." segments, a "#" or a malformed percent-encoding' },
    { desc: 'a dot segment without a slash', options: { prefix: '.' }, message: 'prefix "." must not hold "." or ".." segments, a "#" or a malformed percent-encoding' },
    { desc: 'a malformed encoding', options: { prefix: '/100%' }, message: 'prefix "/100%" must not hold "." or ".." segments, a "#" or a malformed percent-encoding' },
  ])('refuses $desc', ({ options, message }) => {
    expect(() => addPrefixEntry.create(options, testMiddlewareContext('m@file'))).toThrow(
      expect.objectContaining({ code: 'JCT_ERR_DYNAMIC_CONFIG', message: `middleware m@file: addPrefix: ${message}` }),
    )
  })
})
