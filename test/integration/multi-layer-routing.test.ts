import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startJunction, type TestJunction } from '../support/junction.ts'
import { startUpstream, type Echo, type Upstream } from '../support/upstream.ts'
import { send } from './services/harness.ts'

let junction: TestJunction
let first: Upstream
let second: Upstream

beforeAll(async () => {
  first = await startUpstream()
  second = await startUpstream()
  junction = await startJunction()
})

afterAll(async () => {
  await junction.stop()
  await first.close()
  await second.close()
})

describe('multi-layer routing (parentRefs)', () => {
  it('matches children on the request as the parent middlewares left it, and runs their middlewares after the parent ones', async () => {
    await junction.write({
      http: {
        routers: {
          api: { rule: 'PathPrefix(`/api`)', middlewares: ['strip-api', 'tag-parent'] },
          users: { rule: 'PathPrefix(`/users`)', parentRefs: ['api'], middlewares: ['strip-users'], service: 'one' },
          orders: { rule: 'PathPrefix(`/orders`)', parentRefs: ['api'], service: 'two' },
        },
        middlewares: {
          'strip-api': { stripPrefix: { prefixes: ['/api'] } },
          'strip-users': { stripPrefix: { prefixes: ['/users'] } },
          'tag-parent': { headers: { customRequestHeaders: { 'x-parent': 'api' } } },
        },
        services: {
          one: { loadBalancer: { servers: [{ url: first.url }], passHostHeader: false } },
          two: { loadBalancer: { servers: [{ url: second.url }], passHostHeader: false } },
        },
      },
    })
    const seen = async (path: string) => {
      const reply = await send(junction.url(), path)
      if (reply.status !== 200) return reply.status
      const echo = JSON.parse(reply.body) as Echo
      return { host: echo.headers.host, url: echo.url, prefix: echo.headers['x-forwarded-prefix'], parent: echo.headers['x-parent'] }
    }
    expect({
      users: await seen('/api/users/7?x=1'),
      orders: await seen('/api/orders/9'),
      neither: await seen('/api/other'),
      outside: await seen('/users/7'),
    }).toEqual({
      // The child's stripPrefix saw the path the parent's had already stripped, and ran last; each added its prefix (Traefik's Header.Add).
      users: { host: `127.0.0.1:${first.port}`, url: '/7?x=1', prefix: '/api, /users', parent: 'api' },
      orders: { host: `127.0.0.1:${second.port}`, url: '/orders/9', prefix: '/api', parent: 'api' },
      neither: 404,
      outside: 404,
    })
  })

  it.each([
    {
      desc: 'a child that names a parent that does not exist',
      routers: { child: { rule: 'Path(`/`)', parentRefs: ['ghost'], service: 'one' } },
      expected: { child: ['disabled', ['router child@file: parent router "ghost@file" does not exist']] },
    },
    {
      desc: 'a child that sets entry points',
      routers: { root: { rule: 'PathPrefix(`/`)' }, child: { rule: 'Path(`/`)', parentRefs: ['root'], entryPoints: ['web'], service: 'one' } },
      expected: {
        root: ['disabled', ['router root@file: none of its 1 child router(s) can be used']],
        child: ['disabled', ['router child@file: a child router cannot set entryPoints: its root router does']],
      },
    },
    {
      desc: 'a parent that also has a service',
      routers: { root: { rule: 'PathPrefix(`/`)', service: 'one' }, child: { rule: 'Path(`/`)', parentRefs: ['root'], service: 'one' } },
      expected: {
        root: ['disabled', ['router root@file: it has a service and is also the parent of other routers']],
        child: ['disabled', ['router child@file: none of its parent routers is enabled, so it serves no traffic']],
      },
    },
    {
      desc: 'a cycle below a root: the closing link is dropped with a warning',
      routers: {
        root: { rule: 'PathPrefix(`/`)' },
        a: { rule: 'PathPrefix(`/`)', parentRefs: ['root', 'b'] },
        b: { rule: 'PathPrefix(`/`)', parentRefs: ['a'], service: 'one' },
      },
      expected: {
        root: ['enabled', []],
        a: ['enabled', []],
        b: ['warning', ['router b@file: reference cycle in the router tree: a@file → b@file → a@file; the link to a@file is ignored']],
      },
    },
  ])('reports $desc', async ({ routers, expected }) => {
    const table = await junction.write({ http: { routers, services: { one: { loadBalancer: { servers: [{ url: first.url }] } } } } })
    const got = Object.fromEntries(
      Object.keys(expected).map((name) => {
        const entry = table.report.routers[`${name}@file`]
        return [name, [entry?.status, entry?.errors]]
      }),
    )
    expect(got).toEqual(expected)
  })
})
