import type { ServerResponse } from 'node:http'
import { connect, createServer, constants, type Http2Server, type IncomingHttpHeaders } from 'node:http2'
import type { AddressInfo } from 'node:net'
import { Transform } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { Http2ExchangeResponse } from '../../../src/core/http2-exchange-response.ts'
import { onResponseHead, transformBody, type ResponseInterceptor } from '../../../src/core/response-seam.ts'

const servers: Http2Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()))
})

/** A real node:http2 server (cleartext) whose responses are Http2ExchangeResponses; `respond` writes as a handler would, to a `ServerResponse`. */
async function serve(interceptors: ResponseInterceptor[], respond: (res: ServerResponse) => void): Promise<{ port: number; last: () => Http2ExchangeResponse }> {
  let last: Http2ExchangeResponse | undefined
  const server = createServer({ Http2ServerResponse: Http2ExchangeResponse }, (_req, res) => {
    const seamed = res as Http2ExchangeResponse
    last = seamed
    for (const interceptor of interceptors) seamed.intercept(interceptor)
    respond(seamed as unknown as ServerResponse)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { port: (server.address() as AddressInfo).port, last: () => last as Http2ExchangeResponse }
}

interface Reply {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  /** Whether the response HEADERS frame ended the stream. */
  readonly endedWithHead: boolean
  readonly body: string
  readonly trailers: Record<string, unknown>
}

function get(port: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://127.0.0.1:${port}`)
    session.on('error', reject)
    const stream = session.request({ ':path': '/' })
    let head: IncomingHttpHeaders = {}
    let endedWithHead = false
    let trailers: Record<string, unknown> = {}
    let body = ''
    stream.once('response', (headers, flags) => {
      head = headers
      endedWithHead = (flags & constants.NGHTTP2_FLAG_END_STREAM) !== 0
    })
    stream.once('trailers', (tail) => (trailers = Object.fromEntries(Object.entries(tail))))
    stream.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
    stream.once('end', () => {
      session.close()
      resolve({ status: Number(head[':status']), headers: head, endedWithHead, body, trailers })
    })
    stream.once('error', reject)
  })
}

const upperCase = (): Transform =>
  new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, chunk.toString('latin1').toUpperCase())
    },
  })

describe('Http2ExchangeResponse', () => {
  it('is written as a ServerResponse is, reason phrase dropped, and counts the body bytes once', async () => {
    const { port, last } = await serve([], (res) => {
      res.setHeader('x-set', 'early')
      res.writeHead(201, 'Made', { 'content-type': 'text/plain' })
      res.write('hello ')
      res.end(Buffer.from('world'))
    })
    const reply = await get(port)
    expect({ status: reply.status, set: reply.headers['x-set'], type: reply.headers['content-type'], body: reply.body, bytesOut: last().bytesOut }).toEqual({
      status: 201,
      set: 'early',
      type: 'text/plain',
      body: 'hello world',
      bytesOut: 11,
    })
  })

  it('ends the stream with the head when neither a body nor trailers follow (a gRPC trailers-only response)', async () => {
    const { port } = await serve([], (res) => {
      res.writeHead(200, { 'content-type': 'application/grpc', 'grpc-status': '5', 'grpc-message': 'not found' })
      res.end()
    })
    const reply = await get(port)
    expect({ endedWithHead: reply.endedWithHead, status: reply.headers['grpc-status'], message: reply.headers['grpc-message'], body: reply.body }).toEqual({
      endedWithHead: true,
      status: '5',
      message: 'not found',
      body: '',
    })
  })

  it('sends trailers after an empty body, the head on its own', async () => {
    const { port } = await serve([], (res) => {
      res.writeHead(200, { trailer: 'x-sum' })
      res.addTrailers({ 'x-sum': '42' })
      res.end()
    })
    const reply = await get(port)
    expect({ endedWithHead: reply.endedWithHead, trailer: reply.headers['trailer'], trailers: reply.trailers }).toEqual({ endedWithHead: false, trailer: 'x-sum', trailers: { 'x-sum': '42' } })
  })

  it('says the head is sent once written, before it is on the wire, and leaves connection-specific fields out', async () => {
    const seen: boolean[] = []
    const { port } = await serve([], (res) => {
      seen.push(res.headersSent)
      res.writeHead(200, { connection: 'close', 'keep-alive': 'timeout=5', 'transfer-encoding': 'chunked', 'x-ok': '1' })
      seen.push(res.headersSent)
      res.end('done')
    })
    const reply = await get(port)
    expect({ seen, ok: reply.headers['x-ok'], dropped: ['connection', 'keep-alive', 'transfer-encoding'].filter((name) => name in reply.headers), body: reply.body }).toEqual({
      seen: [false, true],
      ok: '1',
      dropped: [],
      body: 'done',
    })
  })

  it('runs interceptors over the head and the body, as HTTP/1.1 responses do', async () => {
    const { port, last } = await serve([onResponseHead((head) => (head.headers['x-seen'] = String(head.status))), transformBody(() => upperCase())], (res) => {
      res.statusCode = 404
      res.setHeader('content-type', 'text/plain')
      res.write('not ')
      res.end('here')
    })
    const reply = await get(port)
    expect({ status: reply.status, seen: reply.headers['x-seen'], body: reply.body, bytesOut: last().bytesOut, headStarted: last().headStarted }).toEqual({
      status: 404,
      seen: '404',
      body: 'NOT HERE',
      bytesOut: 8,
      headStarted: true,
    })
  })

  it('refuses an interceptor once the head is written', async () => {
    let refused: unknown
    const { port } = await serve([], (res) => {
      res.writeHead(200)
      try {
        ;(res as unknown as Http2ExchangeResponse).intercept(onResponseHead(() => undefined))
      } catch (error) {
        refused = error
      }
      res.end()
    })
    await get(port)
    expect((refused as Error).message).toBe('response seam: the response head has already started out')
  })
})
