import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.ts'
import { startJunction, type TestJunction } from '../support/junction.ts'
import { MemoryProvider } from '../support/memory-provider.ts'

interface Echo {
  name: string
  method: string
  url: string
  headers: IncomingHttpHeaders
}

let junction: TestJunction
const memory = new MemoryProvider('mem')
const upstreams: Server[] = []
let connections = 0

async function echo(name: string): Promise<string> {
  const server = createServer((req, res) => {
    const body = JSON.stringify({ name, method: req.method, url: req.url, headers: req.headers })
    res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': name })
    res.end(body)
  })
  server.on('connection', () => connections++)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  upstreams.push(server)
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function send(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
  target: TestJunction = junction,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const url = new URL(target.url())
  return new Promise((resolve, reject) => {
    request({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
      .on('error', reject)
      .end()
  })
}

async function reach(path: string, headers: Record<string, string> = {}, target: TestJunction = junction): Promise<Echo> {
  const response = await send(path, headers, 'GET', target)
  expect(response.status).toBe(200)
  return JSON.parse(response.body) as Echo
}

let urls: Record<string, string>
let dynamic: { http: { routers: Record<string, unknown> } & Record<string, unknown> }

beforeAll(async () => {
  urls = { a: await echo('a'), b: await echo('b'), c: await echo('c'), shared: await echo('shared') }
  memory.push({ http: { services: { shared: { loadBalancer: { servers: [{ url: urls['shared'] }] } } } } })
  junction = await startJunction({
    providers: [memory],
    flags: ['--entryPoints.web.address=127.0.0.1:0', '--entryPoints.web.http.middlewares=stamp@file'],
  })
  dynamic = {
    http: {
      routers: {
        'host-a': { rule: 'Host(`a.test`)', service: 'a' },
        'host-b-api': { rule: 'Host(`b.test`) && PathPrefix(`/api`)', service: 'b', middlewares: ['strip-api'] },
        'host-b': { rule: 'Host(`b.test`)', service: 'a' },
        admin: { rule: 'Path(`/admin`)', service: 'c' },
        low: { rule: 'PathPrefix(`/prio`)', service: 'a', priority: 1 },
        high: { rule: 'PathPrefix(`/prio`)', service: 'b', priority: 100 },
        cross: { rule: 'Host(`cross.test`)', service: 'shared@mem' },
        'local-missing': { rule: 'Host(`local.test`)', service: 'shared' },
        'bad-rule': { rule: 'Host(`x.test`) && Pathh(`/`)', service: 'a' },
        'bad-middleware': { rule: 'Host(`y.test`)', service: 'a', middlewares: ['nope'] },
        'bad-entry': { rule: 'Host(`z.test`)', service: 'a', entryPoints: ['nowhere'] },
        tagged: { rule: 'Host(`tag.test`)', service: 'a', middlewares: ['tag'] },
        empty: { rule: 'Host(`empty.test`)', service: 'empty' },
        down: { rule: 'Host(`down.test`)', service: 'down' },
      },
      middlewares: {
        'strip-api': { stripPrefix: { prefixes: ['/api'] } },
        tag: { headers: { customRequestHeaders: { 'X-Tag': 'on', 'User-Agent': '' }, customResponseHeaders: { 'X-Upstream': '', 'X-Tagged': 'yes' } } },
        stamp: { headers: { customRequestHeaders: { 'X-Entry-Point': 'web' } } },
      },
      services: {
        a: { loadBalancer: { servers: [{ url: urls['a'] }] } },
        b: { loadBalancer: { servers: [{ url: urls['b'] }] } },
        c: { loadBalancer: { servers: [{ url: urls['c'] }] } },
        empty: { loadBalancer: { servers: [] } },
        down: { loadBalancer: { servers: [{ url: 'http://127.0.0.1:1' }] } },
      },
    },
  }
  await junction.write(dynamic)
  await eventually(async () => expect((await reach('/', { host: 'cross.test' })).name).toBe('shared'))
})

afterAll(async () => {
  await junction.stop()
  for (const server of upstreams) server.close()
})

describe('routing', () => {
  it.each([
    { desc: 'exact host', path: '/', host: 'a.test', expected: 'a' },
    { desc: 'host in another case, with port and trailing dot', path: '/', host: 'A.Test.:8080', expected: 'a' },
    { desc: 'longer rule wins on the same host', path: '/api/x', host: 'b.test', expected: 'b' },
    { desc: 'host rule without the path', path: '/other', host: 'b.test', expected: 'a' },
    { desc: 'explicit priority beats rule length', path: '/prio', host: 'none.test', expected: 'b' },
    { desc: 'cross-provider service reference', path: '/', host: 'cross.test', expected: 'shared' },
    { desc: 'encoded dot segments resolve before routing', path: '/public/%2e%2e/admin', host: 'none.test', expected: 'c' },
    { desc: 'plain dot segments resolve before routing', path: '/x/./../admin', host: 'none.test', expected: 'c' },
  ])('$desc', async ({ path, host, expected }) => {
    expect((await reach(path, { host })).name).toBe(expected)
  })

  it('sends the normalised path to the server', async () => {
    expect((await reach('/public/%2E%2e/admin?x=1', { host: 'none.test' })).url).toBe('/admin?x=1')
  })

  it('answers 404 with the error code when no router matches', async () => {
    const response = await send('/', { host: 'nothing.test' })
    expect(response.status).toBe(404)
    expect(response.body).toBe('Not Found')
    expect(response.headers['x-junction-error']).toBe('JCT_ERR_NOT_FOUND')
  })

  it('answers 503 for a service without servers and 502 for an unreachable one', async () => {
    expect((await send('/', { host: 'empty.test' })).status).toBe(503)
    const down = await send('/', { host: 'down.test' })
    expect({ status: down.status, body: down.body, code: down.headers['x-junction-error'] }).toEqual({ status: 502, body: 'Bad Gateway', code: 'JCT_ERR_BAD_GATEWAY' })
  })
})

describe('middlewares', () => {
  it('strips the prefix and says which through X-Forwarded-Prefix', async () => {
    const seen = await reach('/api/users?page=2', { host: 'b.test' })
    expect(seen.url).toBe('/users?page=2')
    expect(seen.headers['x-forwarded-prefix']).toBe('/api')
  })

  it('sets and removes request and response headers', async () => {
    const response = await send('/', { host: 'tag.test', 'user-agent': 'test-agent' })
    const seen = JSON.parse(response.body) as Echo
    expect(seen.headers['x-tag']).toBe('on')
    expect(seen.headers['user-agent']).toBeUndefined()
    expect(response.headers['x-tagged']).toBe('yes')
    expect(response.headers['x-upstream']).toBeUndefined()
  })

  it('runs entry-point middlewares before every router', async () => {
    expect((await reach('/', { host: 'a.test' })).headers['x-entry-point']).toBe('web')
    expect((await reach('/', { host: 'cross.test' })).headers['x-entry-point']).toBe('web')
  })
})

describe('runtime report', () => {
  it.each([
    { router: 'bad-rule@file', error: 'router bad-rule@file: rule "Host(`x.test`) && Pathh(`/`)": unknown matcher "Pathh"' },
    { router: 'bad-middleware@file', error: 'router bad-middleware@file: middleware "nope@file" does not exist' },
    { router: 'bad-entry@file', error: 'router bad-entry@file: entry point "nowhere" does not exist' },
    { router: 'local-missing@file', error: 'router local-missing@file: service "shared@file" does not exist' },
  ])('disables $router alone, saying why', ({ router, error }) => {
    const entry = junction.junction.live.report.routers[router]
    expect(entry?.status).toBe('disabled')
    expect(entry?.errors[0]).toContain(error)
  })

  it('keeps every other router enabled', () => {
    const enabled = Object.entries(junction.junction.live.report.routers)
      .filter(([, entry]) => entry.status === 'enabled')
      .map(([name]) => name)
      .sort()
    expect(enabled).toEqual(
      ['admin', 'cross', 'down', 'empty', 'high', 'host-a', 'host-b', 'host-b-api', 'low', 'tagged'].map((name) => `${name}@file`).sort(),
    )
  })
})

describe('reloads', () => {
  // One worker in this thread: the test reads its table, and counts the keep-alive connections of its one pool.
  it('keeps an unchanged service, and its keep-alive connection, across a reload', async () => {
    const single = await startJunction({ workers: 1, dataPlane: 'inline', initial: dynamic })
    try {
      await eventually(async () => expect((await reach('/', { host: 'a.test' }, single)).name).toBe('a'))
      const service = (await single.junction.table()).services.get('a@file')?.instance
      const opened = connections
      const routers = { ...dynamic.http.routers, added: { rule: 'Host(`added.test`)', service: 'a' } }
      const after = await single.write({ http: { ...dynamic.http, routers } })
      expect(after.report.routers['added@file']?.status).toBe('enabled')
      expect((await single.junction.table()).services.get('a@file')?.instance).toBe(service)
      for (let i = 0; i < 5; i++) await reach('/', { host: 'a.test' }, single)
      expect(connections).toBe(opened)
    } finally {
      await single.stop()
    }
  })
})
