import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { beforeAll, describe, expect, it } from 'vitest'
import { ExchangeResponse } from '../../src/core/exchange-response.ts'
import { answered, type Handler, type MiddlewareEntry } from '../../src/plugin.ts'
import { testContext, testMiddlewareContext } from './context.ts'

export interface Exchange {
  /** What reached the handler behind the middleware. */
  readonly seen: { url: string; headers: IncomingHttpHeaders } | undefined
  readonly status: number
  readonly headers: IncomingHttpHeaders
}

/**
 * Runs a middleware for real: a node:http server on 127.0.0.1 whose handler
 * is the middleware composed over a terminal handler that records what it
 * received and answers 200 with `x-terminal: yes`.
 */
export async function exchange(
  entry: MiddlewareEntry,
  options: Record<string, unknown>,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Exchange> {
  let seen: Exchange['seen']
  const terminal: Handler = (req, res, ctx) => {
    seen = { url: req.url ?? '', headers: { ...req.headers } }
    res.writeHead(200, { 'x-terminal': 'yes', 'content-type': 'text/plain' })
    res.end('ok')
    return Promise.resolve(answered(res, ctx, 2))
  }
  const handler = entry.create(options, testMiddlewareContext())(terminal)
  const server: Server = createServer({ ServerResponse: ExchangeResponse }, (req, res) => void handler(req, res, testContext({ res })))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const { port } = server.address() as AddressInfo
    const response = await new Promise<{ status: number; headers: IncomingHttpHeaders }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
        res.resume()
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }))
      })
        .on('error', reject)
        .end()
    })
    return { seen, ...response }
  } finally {
    server.close()
  }
}

/**
 * The suite every middleware runs with one line: it is listed under its
 * configuration key, refuses bad options with a coded error naming the
 * middleware, and with valid options hands the request on.
 */
export function middlewareContract(
  entry: MiddlewareEntry,
  cases: {
    valid: Record<string, unknown>
    invalid: Record<string, unknown>
    /** A request the valid options hand on (a redirect's own URL); default `/some/path`. */
    passing?: { path: string; headers?: Record<string, string> }
  },
): void {
  describe(`middleware contract: ${entry.type}`, () => {
    let list: readonly MiddlewareEntry[]
    beforeAll(async () => {
      list = (await import('../../middlewares/index.ts')).middlewares
    })

    it('is in the middleware list under its configuration key', () => {
      expect(list.filter((candidate) => candidate.type === entry.type)).toEqual([entry])
    })

    it('refuses invalid options with JCT_ERR_DYNAMIC_CONFIG, naming the middleware', () => {
      expect(() => entry.create(cases.invalid, testMiddlewareContext())).toThrow(
        expect.objectContaining({ code: 'JCT_ERR_DYNAMIC_CONFIG', message: expect.stringContaining('middleware under-test@file') }),
      )
    })

    it('hands the request on to the next handler', async () => {
      const result = await exchange(entry, cases.valid, cases.passing?.path ?? '/some/path', cases.passing?.headers)
      expect(result.status).toBe(200)
      expect(result.headers['x-terminal']).toBe('yes')
      expect(result.seen).toBeDefined()
    })
  })
}
