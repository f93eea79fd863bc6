import { describe, expect, it } from 'vitest'
import { replacePathEntry } from '../../../middlewares/replace-path/index.ts'
import { exchange, middlewareContract } from '../../support/middleware-contract.ts'
import { testMiddlewareContext } from '../../support/context.ts'

middlewareContract(replacePathEntry, { valid: { path: '/foo' }, invalid: { path: 'foo' } })

describe('replacePath', () => {
  it.each([
    { desc: 'replaces the path, keeps the query', path: '/foo', request: '/bar/baz?x=1', url: '/foo?x=1', replaced: '/bar/baz' },
    { desc: 'the old path as the request wrote it', path: '/foo', request: '/a%2Fb%20c', url: '/foo', replaced: '/a%2Fb%20c' },
    { desc: 'an encoded slash in the new path stays encoded', path: '/foo%2fbar', request: '/x', url: '/foo%2Fbar', replaced: '/x' },
    { desc: 'a space in the new path is encoded', path: '/foo bar', request: '/x', url: '/foo%20bar', replaced: '/x' },
  ])('$desc', async ({ path, request, url, replaced }) => {
    const { seen } = await exchange(replacePathEntry, { path }, request)
    expect({ url: seen?.url, replaced: seen?.headers['x-replaced-path'] }).toEqual({ url, replaced })
  })

  it('adds the old path after a value already there, as Go\'s Header.Add', async () => {
    const { seen } = await exchange(replacePathEntry, { path: '/foo' }, '/bar', { 'x-replaced-path': '/earlier' })
    expect(seen?.headers['x-replaced-path']).toEqual(['/earlier', '/bar'])
  })

  it.each([
    { desc: 'a missing path', options: {}, message: 'path must be a string starting with "/"' },
    { desc: 'a path without its slash', options: { path: 'foo' }, message: 'path must be a string starting with "/"' },
    { desc: 'a dot-dot segment', options: { path: '/a/../b' }, message: 'path "/a/../b" must not hold "." or ".." segments, a "#" or a malformed percent-encoding' },
    { desc: 'an encoded dot-dot segment', options: { path: '/a/%2E%2e' }, message: 'path "/a/%2E%2e" must not hold "." or ".." segments, a "#" or a malformed percent-encoding' },
    { desc: 'a malformed encoding', options: { path: '/100%' }, message: 'path "/100%" must not hold "." or ".." segments, a "#" or a malformed percent-encoding' },
  ])('refuses $desc', ({ options, message }) => {
    expect(() => replacePathEntry.create(options, testMiddlewareContext('m@file'))).toThrow(
      expect.objectContaining({ code: 'JCT_ERR_DYNAMIC_CONFIG', message: `middleware m@file: replacePath: ${message}` }),
    )
  })
})
