import { createServer, type Server } from 'node:http'
import { describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.ts'
import { send } from './support/http.ts'
import { cleanupAfterEach, listenLocal, runFixture } from './support/run.ts'

/**
 * Traefik's integration/headers_test.go. Junction's `headers` middleware
 * honours customRequestHeaders and customResponseHeaders today and refuses
 * the CORS and security options by name: the CORS half of
 * TestCorsResponses, TestSecureHeadersResponses and
 * TestMultipleSecureHeadersResponses wait for them.
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

  it('TestCorsResponses: preflight OPTIONS and GET requests through the router without CORS get its custom response header (the cors router waits for the CORS options)', async () => {
    const server = await okServer()
    const run = await runFixture(defer, 'headers/cors.toml', { Server: server })
    const web = await run.port('web')
    await run.live()
    const headers = {
      'Access-Control-Request-Headers': 'origin',
      'Access-Control-Request-Method': ['GET', 'OPTIONS'],
      Origin: 'https://foo.bar.org',
    }
    const cases = [
      { desc: 'preflight Options request with no cors configured', method: 'OPTIONS' },
      { desc: 'preflight Get request with no cors configured', method: 'GET' },
    ]
    for (const { desc, method } of cases) {
      await eventually(async () => {
        const response = await send(web, { method, host: 'test2.localhost', headers })
        expect({ desc, header: response.headers['X-Custom-Response-Header'] }).toEqual({ desc, header: ['True'] })
      })
    }
  })
})
