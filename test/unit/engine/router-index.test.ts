import { describe, expect, it } from 'vitest'
import { RouterIndex, type RouteEntry } from '../../../src/engine/router-index.ts'
import type { RouteRequest } from '../../../src/rules/http-matcher.ts'

function entry(name: string, hosts: string[] | null, match: (req: RouteRequest) => boolean = () => true): RouteEntry {
  return { name, rule: { match, priority: 0, hosts }, handler: () => Promise.reject(new Error('not called')) }
}

function request(host: string, path = '/'): RouteRequest {
  return { host, path, method: 'GET', headers: {}, query: () => new URLSearchParams(), clientIp: '127.0.0.1' }
}

describe('RouterIndex', () => {
  const index = new RouterIndex([
    entry('a-api', ['a.test'], (req) => req.path.startsWith('/api')),
    entry('generic-admin', null, (req) => req.path === '/admin'),
    entry('a', ['a.test', 'alias.test']),
    entry('b', ['b.test']),
    entry('catch-all', null),
  ])

  it.each([
    { desc: 'host router ranked before a generic one', host: 'a.test', path: '/api/x', expected: 'a-api' },
    { desc: 'generic router ranked between host routers', host: 'a.test', path: '/admin', expected: 'generic-admin' },
    { desc: 'later host router after the generic one declines', host: 'a.test', path: '/', expected: 'a' },
    { desc: 'second host of a multi-host rule', host: 'alias.test', path: '/', expected: 'a' },
    { desc: 'another host', host: 'b.test', path: '/admin', expected: 'generic-admin' },
    { desc: 'unknown host falls to generic routers', host: 'c.test', path: '/', expected: 'catch-all' },
  ])('$desc', ({ host, path, expected }) => {
    expect(index.find(request(host, path))?.name).toBe(expected)
  })

  it('finds nothing when no router matches', () => {
    const strict = new RouterIndex([entry('a', ['a.test'])])
    expect(strict.find(request('b.test'))).toBeUndefined()
  })

  it('only tries the routers of the request host and the generic ones', () => {
    const tried: string[] = []
    const routes = Array.from({ length: 10_000 }, (_, i) =>
      entry(`h${i}`, [`h${i}.test`], () => {
        tried.push(`h${i}`)
        return true
      }),
    )
    expect(new RouterIndex(routes).find(request('h9999.test'))?.name).toBe('h9999')
    expect(tried).toEqual(['h9999'])
  })
})
