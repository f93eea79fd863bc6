import { createServer, request, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Transform } from 'node:stream'
import { createGzip, gunzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { ExchangeResponse } from '../../../src/core/exchange-response.ts'
import { onResponseHead, transformBody, type ResponseInterceptor } from '../../../src/core/response-seam.ts'
import { generatedBody } from '../../support/upstream.ts'

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()))
})

/** A real node:http server whose responses are ExchangeResponses; `respond` writes as any handler would. */
async function serve(interceptors: ResponseInterceptor[], respond: (res: ServerResponse) => void): Promise<{ url: string; last: () => ExchangeResponse }> {
  let last: ExchangeResponse | undefined
  const server = createServer({ ServerResponse: ExchangeResponse }, (_req, res) => {
    last = res
    for (const interceptor of interceptors) res.intercept(interceptor)
    respond(res)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, last: () => last as ExchangeResponse }
}

function get(url: string): Promise<{ status: number; statusText: string; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      const parts: Buffer[] = []
      res.on('data', (chunk: Buffer) => parts.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(parts) }))
    })
      .on('error', reject)
      .end()
  })
}

const upperCase = (): Transform =>
  new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, chunk.toString('latin1').toUpperCase())
    },
  })

describe('ExchangeResponse without interceptors', () => {
  it('is a plain ServerResponse that counts the body bytes it sends', async () => {
    const { url, last } = await serve([], (res) => {
      res.setHeader('x-set', 'early')
      res.writeHead(201, { 'content-type': 'text/plain' })
      res.write('hello ')
      res.end(Buffer.from('world'))
    })
    const reply = await get(url)
    expect({ status: reply.status, set: reply.headers['x-set'], body: reply.body.toString(), bytesOut: last().bytesOut }).toEqual({
      status: 201,
      set: 'early',
      body: 'hello world',
      bytesOut: 11,
    })
  })
})

describe('the response seam', () => {
  it('lets an interceptor change the status, the headers (set ones included) and the body', async () => {
    const rewrite: ResponseInterceptor = (downstream, control) =>
      transformBody((head) => {
        head.status = 203
        head.statusText = 'Rewritten'
        head.headers['x-seen-status'] = '200'
        delete head.headers['x-secret']
        delete head.headers['content-length']
        return upperCase()
      })(downstream, control)
    const { url, last } = await serve([rewrite], (res) => {
      res.setHeader('x-secret', 'internal')
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 11 })
      res.end('hello world')
    })
    const reply = await get(url)
    expect({
      status: reply.status,
      statusText: reply.statusText,
      seen: reply.headers['x-seen-status'],
      secret: reply.headers['x-secret'],
      body: reply.body.toString(),
      bytesOut: last().bytesOut,
    }).toEqual({ status: 203, statusText: 'Rewritten', seen: '200', secret: undefined, body: 'HELLO WORLD', bytesOut: 11 })
  })

  it('runs interceptors from the innermost registered (server side) to the first registered (client side)', async () => {
    const trail = (name: string): ResponseInterceptor =>
      onResponseHead((head) => {
        head.headers['x-trail'] = `${String(head.headers['x-trail'] ?? 'server')},${name}`
      })
    const { url } = await serve([trail('outer'), trail('inner')], (res) => {
      res.end('ok')
    })
    expect((await get(url)).headers['x-trail']).toBe('server,inner,outer')
  })

  it('sees the implicit head of a response written with setHeader and write alone', async () => {
    const { url } = await serve([onResponseHead((head) => (head.headers['x-status'] = String(head.status)))], (res) => {
      res.statusCode = 404
      res.setHeader('content-type', 'text/plain')
      res.write('not ')
      res.end('here')
    })
    const reply = await get(url)
    expect({ status: reply.status, seen: reply.headers['x-status'], type: reply.headers['content-type'], body: reply.body.toString() }).toEqual({
      status: 404,
      seen: '404',
      type: 'text/plain',
      body: 'not here',
    })
  })

  it('carries a streamed 20 MB body through a compressing interceptor, intact', async () => {
    const gzip = transformBody((head) => {
      delete head.headers['content-length']
      head.headers['content-encoding'] = 'gzip'
      return createGzip({ level: 1 })
    })
    const size = 20 * 1024 * 1024
    const { url } = await serve([gzip], (res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size })
      generatedBody(size).pipe(res)
    })
    const reply = await get(url)
    const body = gunzipSync(reply.body)
    expect({ encoding: reply.headers['content-encoding'], length: body.length, allX: body.every((byte) => byte === 0x78) }).toEqual({
      encoding: 'gzip',
      length: size,
      allX: true,
    })
  })

  it('drops what a failed attempt registered when rewound to its mark', async () => {
    const tag = (value: string): ResponseInterceptor => onResponseHead((head) => void (head.headers[`x-${value}`] = 'yes'))
    const { url } = await serve([], (res) => {
      const seam = res as ExchangeResponse
      seam.intercept(tag('kept'))
      const mark = seam.mark()
      seam.intercept(tag('dropped'))
      seam.rewind(mark)
      res.end('ok')
    })
    const reply = await get(url)
    expect({ kept: reply.headers['x-kept'], dropped: reply.headers['x-dropped'] }).toEqual({ kept: 'yes', dropped: undefined })
  })

  it('refuses an interceptor once the head has started out', async () => {
    let refused: unknown
    const { url } = await serve([], (res) => {
      res.writeHead(200)
      try {
        ;(res as ExchangeResponse).intercept(onResponseHead(() => undefined))
      } catch (error) {
        refused = error
      }
      res.end()
    })
    await get(url)
    expect((refused as Error).message).toBe('response seam: the response head has already started out')
  })
})
