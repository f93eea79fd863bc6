import { createServer, type Server } from 'node:http'
import { describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.ts'
import { send } from './support/http.ts'
import { cleanupAfterEach, listenLocal, runFixture } from './support/run.ts'

/**
 * Traefik's integration/headers_test.go. TestSecureHeadersResponses is
 * ported without its api@internal half (the API); TestReverseProxyHeaderRemoved
 * and TestConnectionHopByHop live in entry-points.test.ts.
 */

const defer = cleanupAfterEach()

/** Traefik's `startTestServer(port, 200, "")`: answers 200 with an empty body. */
async function okServer(): Promise<string> {
  const server: Server = createServer((_, res) => res.writeHead(200).end())
  return listenLocal(defer, server)
}

describe('HeadersSuite', () => {
  it('TestSimpleConfiguration: an entry point with nothing configured answers 404', async () => {
    const run = await runFixture(defer, 'headers/basic.toml')
    const web = await run.port('web')
    await eventually(async () => expect((await send(web, { path: '/' })).status).toBe(404))
  })

  it('TestCorsResponses: router1 answers preflights and sets CORS headers; router2, without CORS options, passes the preflight on and adds its custom header', async () => {
    const server = await okServer()
    const run = await runFixture(defer, 'headers/cors.toml', { Server: server })
    const web = await run.port('web')
    await run.live()
    const preflight = {
      'Access-Control-Request-Headers': 'origin',
      'Access-Control-Request-Method': ['GET', 'OPTIONS'],
      Origin: 'https://foo.bar.org',
    }
    const cases = [
      {
        desc: 'simple access control allow origin',
        method: 'GET',
        host: 'test.localhost',
        headers: { Origin: 'https://foo.bar.org' },
        expected: { 'Access-Control-Allow-Origin': ['https://foo.bar.org'], Vary: ['Origin'] },
      },
      {
        desc: 'simple preflight request',
        method: 'OPTIONS',
        host: 'test.localhost',
        headers: preflight,
        expected: { 'Access-Control-Allow-Origin': ['https://foo.bar.org'], 'Access-Control-Max-Age': ['100'], 'Access-Control-Allow-Methods': ['GET,OPTIONS,PUT'] },
      },
      { desc: 'preflight Options request with no cors configured', method: 'OPTIONS', host: 'test2.localhost', headers: preflight, expected: { 'X-Custom-Response-Header': ['True'] } },
      { desc: 'preflight Get request with no cors configured', method: 'GET', host: 'test2.localhost', headers: preflight, expected: { 'X-Custom-Response-Header': ['True'] } },
    ]
    for (const { desc, method, host, headers, expected } of cases) {
      const response = await send(web, { method, host, headers })
      // Traefik's try.HasHeaderStruct: each expected header with exactly these values.
      const got = Object.fromEntries(Object.keys(expected).map((name) => [name, response.headers[name]]))
      expect({ desc, status: response.status, headers: got }).toEqual({ desc, status: 200, headers: expected })
    }
  })

  it('TestSecureHeadersResponses: Permissions-Policy set (the api@internal half waits for the API)', async () => {
    const server = await okServer()
    const run = await runFixture(defer, 'headers/secure.toml', { Server: server })
    const web = await run.port('web')
    await run.live()
    const [secured, plain] = await Promise.all([send(web, { host: 'test.localhost' }), send(web, { host: 'test2.localhost' })])
    expect([secured.status, secured.headers['Permissions-Policy'], plain.status, plain.headers['Permissions-Policy']]).toEqual([200, ['microphone=(),'], 200, undefined])
  })

  it('TestMultipleSecureHeadersResponses: two headers middlewares on one router each add theirs', async () => {
    const server = await okServer()
    const run = await runFixture(defer, 'headers/secure_multiple.toml', { Server: server })
    const web = await run.port('web')
    await run.live()
    const response = await send(web, { host: 'test.localhost' })
    expect({ frame: response.headers['X-Frame-Options'], sniff: response.headers['X-Content-Type-Options'] }).toEqual({ frame: ['DENY'], sniff: ['nosniff'] })
  })
})
