import { createServer, type Server } from 'node:http'
import { describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.ts'
import { spawnJunction } from '../support/process.ts'
import { startWhoami, type Whoami } from '../support/whoami.ts'
import { renderFixture } from './support/fixture.ts'
import { rawExchange, send } from './support/http.ts'
import { cleanupAfterEach, listenLocal, runFixture } from './support/run.ts'

/**
 * Traefik's integration/simple_test.go, the tests that need only the file
 * provider and what Junction serves today. Each starts the real `junction`
 * command on its own copy of the fixture (test/traefik/fixtures/).
 */

const defer = cleanupAfterEach()

async function whoami(name: string): Promise<Whoami> {
  const server = await startWhoami(name)
  defer(() => server.close())
  return server
}

/** Resolves with `promise`, or fails once `ms` have passed: a deadline, not a pause. */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}

describe('SimpleSuite', () => {
  it('TestInvalidConfigShouldFail: a configuration file that is not TOML stops the start with the parser error', async () => {
    const rendered = await renderFixture('invalid_configuration.toml')
    defer(() => rendered.remove())
    const junction = spawnJunction([`--configFile=${rendered.path}`])
    defer(() => junction.kill())
    expect(await junction.exited).toEqual({ code: 1, signal: null })
    // Traefik's TOML parser says "expected '.' or '=', but got '{' instead"; ours names the same place.
    expect(junction.stderr()).toBe(`invalid static configuration:\n  parsing ${rendered.path}: line 1, column 1: illegal character in key\n`)
  })

  it('TestSimpleDefaultConfig: an entry point with nothing configured answers 404', async () => {
    const run = await runFixture(defer, 'simple_default.toml')
    const web = await run.port('web')
    await eventually(async () => expect((await send(web, { path: '/' })).status).toBe(404))
  })

  it('TestRequestAcceptGraceTimeout: after SIGTERM, requests are still served during requestAcceptGraceTimeout, then the process exits 0 (the ping half waits for ping)', async () => {
    const server = await whoami('whoami')
    // Traefik's fixture waits 10s; 3s keeps the test short and still leaves
    // the request below well inside the grace period.
    const run = await runFixture(defer, 'reqacceptgrace.toml', { Server: server.url, RequestAcceptGraceTimeout: '3s' })
    const web = await run.port('web')
    await eventually(async () => expect((await send(web, { path: '/' })).status).toBe(404))
    await eventually(async () => expect((await send(web, { path: '/service' })).status).toBe(200))

    run.junction.child.kill('SIGTERM')
    await eventually(() => expect(run.logsContaining('draining')).toHaveLength(1))
    const during = await send(web, { path: '/service' })
    expect(during.status).toBe(200)
    expect(server.requests.at(-1)?.url).toBe('/service')

    expect(await within(10_000, run.junction.exited, 'junction exiting after the grace period')).toEqual({ code: 0, signal: null })
  })

  it('TestSimpleConfigurationHostRequestTrailingPeriod: hosts with and without a trailing dot match rules with and without one', async () => {
    const server = await whoami('whoami1')
    const run = await runFixture(defer, 'simple-hosts.toml', { Server: server.url })
    const web = await run.port('web')
    const cases = [
      { desc: 'request host without trailing period, rule without trailing period', host: 'test.localhost' },
      { desc: 'request host with trailing period, rule without trailing period', host: 'test.localhost.' },
      { desc: 'request host without trailing period, rule with trailing period', host: 'test.foo.localhost' },
      { desc: 'request host with trailing period, rule with trailing period', host: 'test.foo.localhost.' },
    ]
    for (const { desc, host } of cases) {
      await eventually(async () => expect({ desc, status: (await send(web, { host })).status }).toEqual({ desc, status: 200 }))
    }
  })

  it('TestWithDefaultRuleSyntax: with v2 as the default, a v2 rule routes and the v3-only rule and the v2 rule marked v3 disable their routers', async () => {
    const run = await runFixture(defer, 'with_default_rule_syntax.toml')
    const web = await run.port('web')
    await run.live()
    expect(run.junction.logs.filter((log) => log['router'] === 'router1@file')).toEqual([])
    await eventually(async () => expect((await send(web, { path: '/notfound' })).status).toBe(404))
    expect((await send(web, { path: '/foo' })).status).toBe(503)
    expect((await send(web, { path: '/bar' })).status).toBe(503)
    // Router2's rule would match this request had it loaded.
    expect((await send(web, { path: '/notfound?foo=bar' })).status).toBe(404)
    // Traefik: "parsing rule QueryRegexp(`foo`, `bar`): unsupported function: QueryRegexp"
    expect(routerErrors(run.junction.logs, 'router2@file')).toEqual(['router router2@file: rule "QueryRegexp(`foo`, `bar`)": unknown matcher "QueryRegexp" at column 1'])
    // Traefik: "adding rule PathPrefix: unexpected number of parameters; got 2, expected one of [1]"
    expect(routerErrors(run.junction.logs, 'router3@file')).toEqual(['router router3@file: rule "PathPrefix(`/foo`, `/bar`)": PathPrefix takes 1 argument, got 2 at column 1'])
  })

  it('TestWithoutDefaultRuleSyntax: with v3 as the default, a v3 rule routes and the v2-only rule and the v3 rule marked v2 disable their routers', async () => {
    const run = await runFixture(defer, 'without_default_rule_syntax.toml')
    const web = await run.port('web')
    await run.live()
    expect(run.junction.logs.filter((log) => log['router'] === 'router1@file')).toEqual([])
    await eventually(async () => expect((await send(web, { path: '/notfound' })).status).toBe(404))
    expect((await send(web, { path: '/foo' })).status).toBe(503)
    expect((await send(web, { path: '/bar' })).status).toBe(503)
    expect((await send(web, { path: '/notfound?foo=bar' })).status).toBe(404)
    // Traefik: "adding rule PathPrefix: unexpected number of parameters; got 2, expected one of [1]"
    expect(routerErrors(run.junction.logs, 'router2@file')).toEqual(['router router2@file: rule "PathPrefix(`/foo`, `/bar`)": PathPrefix takes 1 argument, got 2 at column 1'])
    // Traefik: "parsing rule QueryRegexp(`foo`, `bar`): unsupported function: QueryRegexp"
    expect(routerErrors(run.junction.logs, 'router3@file')).toEqual(['router router3@file: rule "QueryRegexp(`foo`, `bar`)": unknown matcher "QueryRegexp" at column 1'])
  })

  it('TestWRRServer: servers weighted 3 and 1 share 4 requests 3 to 1', async () => {
    const [one, two] = [await whoami('whoami1'), await whoami('whoami2')]
    const run = await runFixture(defer, 'wrr_server.toml', { Server1: one.url, Server2: two.url })
    const web = await run.port('web')
    await run.live()
    expect(await repartition(web, 4, ['whoami1', 'whoami2'])).toEqual({ whoami1: 3, whoami2: 1 })
  })

  it('TestWRR: a weighted service over two services, 3 and 1, shares 4 requests 3 to 1', async () => {
    const [one, two] = [await whoami('whoami1'), await whoami('whoami2')]
    const run = await runFixture(defer, 'wrr.toml', { Server1: one.url, Server2: two.url })
    const web = await run.port('web')
    await run.live()
    expect(await repartition(web, 4, ['whoami1', 'whoami2'])).toEqual({ whoami1: 3, whoami2: 1 })
  })

  it('TestContentTypeDisableAutoDetect: a response without Content-Type reaches the client without one; one with it keeps it (the autodetect half waits for the contentType middleware)', async () => {
    const server = await contentTypeServer()
    const run = await runFixture(defer, 'simple_contenttype.toml', { Server: server })
    const web = await run.port('web')
    await run.live()
    await eventually(async () => expect((await send(web, { path: '/css/ct' })).headers['Content-Type']).toEqual(['text/css']))
    expect((await send(web, { path: '/pdf/ct' })).headers['Content-Type']).toEqual(['application/pdf'])
    const css = await send(web, { path: '/css/noct' })
    expect(css.status).toBe(200)
    expect(css.headers['Content-Type']).toBeUndefined()
    expect(css.body).toBe('.testcss { }')
    const pdf = await send(web, { path: '/pdf/noct' })
    expect(pdf.status).toBe(200)
    expect(pdf.headers['Content-Type']).toBeUndefined()
    expect(pdf.body).toBe(pdfBytes)
  })

  it('TestMuxer: !Host, !HostRegexp and !QueryRegexp rules, with absolute-form targets (with and without a host) and semicolons in the query', async () => {
    const server = await whoami('whoami1')
    const run = await runFixture(defer, 'simple_muxer.toml', { Server1: server.url })
    const ports: Record<string, number> = {
      webHost: await run.port('webHost'),
      webHostRegexp: await run.port('webHostRegexp'),
      webQuery: await run.port('webQuery'),
    }
    await run.live()
    const cases = [
      { desc: '!Host with absolute-form URL and host header, no match', request: 'GET http://test.localhost/ HTTP/1.1\r\nHost: toto.localhost\r\n\r\n', target: 'webHost', expected: 404 },
      { desc: '!Host with absolute-form URL and host header, match', request: 'GET http://toto.localhost/ HTTP/1.1\r\nHost: test.localhost\r\n\r\n', target: 'webHost', expected: 200 },
      { desc: '!HostRegexp with absolute-form URL and host header, no match', request: 'GET http://test.localhost/ HTTP/1.1\r\nHost: toto.localhost\r\n\r\n', target: 'webHostRegexp', expected: 404 },
      { desc: '!HostRegexp with absolute-form URL and host header, match', request: 'GET http://toto.localhost/ HTTP/1.1\r\nHost: test.localhost\r\n\r\n', target: 'webHostRegexp', expected: 200 },
      { desc: '!Host with absolute-form URL with empty host and host header, no match', request: 'GET http://@/ HTTP/1.1\r\nHost: test.localhost\r\n\r\n', target: 'webHost', expected: 404 },
      { desc: '!Host with absolute-form URL with empty host and host header, match', request: 'GET http://@/ HTTP/1.1\r\nHost: toto.localhost\r\n\r\n', target: 'webHost', expected: 200 },
      { desc: '!HostRegexp with absolute-form URL with empty host and host header, no match', request: 'GET http://@/ HTTP/1.1\r\nHost: test.localhost\r\n\r\n', target: 'webHostRegexp', expected: 404 },
      { desc: '!HostRegexp with absolute-form URL with empty host and host header, match', request: 'GET http://@/ HTTP/1.1\r\nHost: toto.localhost\r\n\r\n', target: 'webHostRegexp', expected: 200 },
      { desc: '!Query with semicolon and empty query param value, no match', request: 'GET /?foo=; HTTP/1.1\r\nHost: other.localhost\r\n\r\n', target: 'webQuery', expected: 404 },
      { desc: '!Query with semicolon, no match', request: 'GET /?foo=titi;bar=toto HTTP/1.1\r\nHost: other.localhost\r\n\r\n', target: 'webQuery', expected: 404 },
      { desc: '!Query with semicolon, match', request: 'GET /?bar=toto;boo=titi HTTP/1.1\r\nHost: other.localhost\r\n\r\n', target: 'webQuery', expected: 200, body: 'bar=toto&boo=titi' },
    ]
    const outcomes: Array<{ desc: string; status: number; hasBody: boolean }> = []
    for (const test of cases) {
      const response = await rawExchange(ports[test.target]!, test.request)
      outcomes.push({ desc: test.desc, status: response.status, hasBody: test.body === undefined || response.body.includes(test.body) })
    }
    expect(outcomes).toEqual(cases.map((test) => ({ desc: test.desc, status: test.expected, hasBody: true })))
  })

  it('TestDenyFragment: a request target with a fragment is answered 400', async () => {
    const run = await runFixture(defer, 'simple_deny.toml')
    const web = await run.port('web')
    await run.live()
    // Traefik's request, bare LF line ends included.
    expect((await rawExchange(web, 'GET /#/?bar=toto;boo=titi HTTP/1.1\nHost: deny.localhost\n\n')).status).toBe(400)
    // The same with CRLF: the fragment alone is refused, not the line ends.
    expect((await rawExchange(web, 'GET /#/?bar=toto;boo=titi HTTP/1.1\r\nHost: deny.localhost\r\n\r\n')).status).toBe(400)
  })
})

/** The error messages logged for a router, in order. */
function routerErrors(logs: ReadonlyArray<Record<string, unknown>>, router: string): unknown[] {
  return logs.filter((log) => log['router'] === router && log['level'] === 50).map((log) => log['msg'])
}

/** Sends `count` requests to /whoami, one connection each, and counts which whoami answered. */
async function repartition(port: number, count: number, names: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]))
  for (let i = 0; i < count; i++) {
    const response = await send(port, { path: '/whoami' })
    expect(response.status).toBe(200)
    for (const name of names) if (response.body.includes(`Name: ${name}\r\n`)) counts[name]!++
  }
  return counts
}

// Any bytes do: only the non-detecting half of the test is ported.
const pdfBytes = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'

/**
 * Traefik's content-type server: `/css…` and `/pdf…` (after an optional
 * `/autodetect`) answer a stylesheet or a PDF, with a Content-Type only
 * when the path contains `/ct`, and never one Node adds on its own.
 */
async function contentTypeServer(): Promise<string> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').replace(/^\/autodetect/, '')
    const withType = (req.url ?? '').includes('/ct')
    if (path.startsWith('/css')) {
      if (withType) res.setHeader('Content-Type', 'text/css')
      res.writeHead(200).end('.testcss { }')
    } else if (path.startsWith('/pdf')) {
      if (withType) res.setHeader('Content-Type', 'application/pdf')
      res.writeHead(200).end(Buffer.from(pdfBytes, 'latin1'))
    } else {
      res.writeHead(404).end()
    }
  })
  return listenLocal(defer, server)
}
