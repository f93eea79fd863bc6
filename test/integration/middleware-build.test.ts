import { Transform } from 'node:stream'
import { Pool } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { answered, obj, str, transformBody, type MiddlewareEntry } from '../../src/plugin.ts'
import { startJunction, type TestJunction } from '../support/junction.ts'
import { startUpstream, type Upstream } from '../support/upstream.ts'
import { send } from './services/harness.ts'

/** Rewrites the server's response through the seam: status 200 → 299, a header, the body upper-cased. */
const shout: MiddlewareEntry = {
  type: 'shout',
  schema: obj({}),
  create: () => {
    const interceptor = transformBody((head) => {
      head.headers['x-original-status'] = String(head.status)
      if (head.status === 200) head.status = 299
      delete head.headers['content-length']
      return new Transform({ transform: (chunk: Buffer, _encoding, done) => done(null, chunk.toString('latin1').toUpperCase()) })
    })
    return (next) => (req, res, ctx) => {
      ctx.response.intercept(interceptor)
      return next(req, res, ctx)
    }
  },
}

/** Counts the requests it sees in state that outlives reloads; answers the count itself. */
const counter: MiddlewareEntry = {
  type: 'counter',
  schema: obj({ label: str() }),
  create: (options, context) => {
    const state = context.state(() => ({ seen: 0, label: String(options['label']) }))
    return () => (_req, res, ctx) => {
      state.seen++
      res.writeHead(200, { 'x-count': String(state.seen), 'x-label': state.label })
      res.end()
      return Promise.resolve(answered(res, ctx))
    }
  },
}

/** Asks a server first, through the shared HTTP client, and passes on what it said (a forwardAuth in miniature). */
const askFirst: MiddlewareEntry = {
  type: 'askFirst',
  schema: obj({ address: str() }),
  create: (options, context) => {
    const address = new URL(String(options['address']))
    return (next) => async (req, res, ctx) => {
      const answer = await context.http.request({ origin: address.origin, path: address.pathname, method: 'GET', signal: context.signal })
      req.headers['x-asked'] = `${answer.statusCode} ${(JSON.parse(await answer.body.text()) as { url: string }).url}`
      return next(req, res, ctx)
    }
  },
}

let junction: TestJunction
let server: Upstream

beforeAll(async () => {
  server = await startUpstream()
  junction = await startJunction({ middlewares: [shout, counter, askFirst] })
})

afterAll(async () => {
  await junction.stop()
  await server.close()
})

describe('a middleware on the response seam', () => {
  it('changes the status, headers and body of what the server sent', async () => {
    await junction.write({
      http: {
        routers: { loud: { rule: 'PathPrefix(`/`)', middlewares: ['shout'], service: 'app' } },
        middlewares: { shout: { shout: {} } },
        services: { app: { loadBalancer: { servers: [{ url: server.url }] } } },
      },
    })
    const reply = await send(junction.url(), '/status/204/Fine')
    const echo = await send(junction.url(), '/quiet')
    expect({ status: reply.status, original: reply.headers['x-original-status'] }).toEqual({ status: 204, original: '204' })
    expect({ status: echo.status, original: echo.headers['x-original-status'], url: (JSON.parse(echo.body.toLowerCase()) as { url: string }).url, loud: echo.body.includes('"URL":"/QUIET"') }).toEqual({
      status: 299,
      original: '200',
      url: '/quiet',
      loud: true,
    })
  })
})

describe('building middlewares', () => {
  it('disables every middleware on a chain cycle, and what depends on it, each with its reason', async () => {
    const table = await junction.write({
      http: {
        routers: { looped: { rule: 'PathPrefix(`/`)', middlewares: ['outer'], service: 'app' } },
        middlewares: {
          a: { chain: { middlewares: ['b'] } },
          b: { chain: { middlewares: ['c', 'a'] } },
          c: { headers: { customRequestHeaders: { 'x-c': 'yes' } } },
          outer: { chain: { middlewares: ['a'] } },
        },
        services: { app: { loadBalancer: { servers: [{ url: server.url }] } } },
      },
    })
    const cycle = 'reference cycle: a@file → b@file → a@file'
    const status = (section: 'middlewares' | 'routers', name: string) => ({ status: table.report[section][name]?.status, errors: table.report[section][name]?.errors })
    expect({
      a: status('middlewares', 'a@file'),
      b: status('middlewares', 'b@file'),
      c: status('middlewares', 'c@file'),
      outer: status('middlewares', 'outer@file'),
      router: status('routers', 'looped@file'),
    }).toEqual({
      a: { status: 'disabled', errors: [`middleware a@file: ${cycle}`] },
      b: { status: 'disabled', errors: [`middleware b@file: ${cycle}`] },
      c: { status: 'enabled', errors: [] },
      outer: { status: 'disabled', errors: [`middleware outer@file: middleware "a@file" is disabled: ${cycle}`] },
      router: { status: 'disabled', errors: [`router looped@file: middleware "outer@file" is disabled: middleware "a@file" is disabled: ${cycle}`] },
    })
    expect((await send(junction.url(), '/')).status).toBe(404)
  })

  it('keeps middleware state across an unrelated reload and starts afresh when its own definition changes', async () => {
    const config = (label: string, extra: Record<string, unknown> = {}) => ({
      http: {
        routers: { counted: { rule: 'PathPrefix(`/`)', middlewares: ['count'], service: 'app' }, ...extra },
        middlewares: { count: { counter: { label } } },
        services: { app: { loadBalancer: { servers: [{ url: server.url }] } } },
      },
    })
    // State is per worker: one keep-alive connection keeps every request on one worker, with one worker or several.
    const connection = new Pool(junction.url(), { connections: 1 })
    const seen = async () => {
      const reply = await connection.request({ path: '/', method: 'GET' })
      await reply.body.text()
      return `${String(reply.headers['x-label'])}:${String(reply.headers['x-count'])}`
    }
    await junction.write(config('first'))
    const before = [await seen(), await seen()]
    await junction.write(config('first', { other: { rule: 'Host(`other.test`)', service: 'app' } }))
    const afterUnrelated = await seen()
    await junction.write(config('second', { other: { rule: 'Host(`other.test`)', service: 'app' } }))
    const afterOwnChange = [await seen(), await seen()]
    await connection.close()
    expect({ before, afterUnrelated, afterOwnChange }).toEqual({
      before: ['first:1', 'first:2'],
      afterUnrelated: 'first:3',
      afterOwnChange: ['second:1', 'second:2'],
    })
  })

  it('gives a middleware an HTTP client of its own to call out with', async () => {
    await junction.write({
      http: {
        routers: { asked: { rule: 'PathPrefix(`/`)', middlewares: ['ask'], service: 'app' } },
        middlewares: { ask: { askFirst: { address: `${server.url}/auth/check` } } },
        services: { app: { loadBalancer: { servers: [{ url: server.url }] } } },
      },
    })
    const echo = JSON.parse((await send(junction.url(), '/page')).body) as { url: string; headers: Record<string, string> }
    expect({ url: echo.url, asked: echo.headers['x-asked'] }).toEqual({ url: '/page', asked: '200 /auth/check' })
  })
})
