import { once } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootExample, type RunningExample } from '../support/example.ts'

let example: RunningExample

beforeAll(async () => {
  example = await bootExample('custom-middleware', { WHOAMI_PORT: [8083] })
})

afterAll(async () => {
  await example.stop()
})

describe('examples/custom-middleware', () => {
  it('runs a middleware of its own: it counts requests and times the chain, through the response seam', async () => {
    const first = await example.get('/one')
    const second = await example.get('/two')
    const count = (reply: { headers: Record<string, unknown> }) => Number(reply.headers['x-request-count'])
    expect({
      body: second.body.split('\n').slice(0, 2),
      timing: /^whoami;dur=\d+\.\d$/.test(String(second.headers['server-timing'])),
      counted: count(second) - count(first),
    }).toEqual({ body: ['Name: whoami', 'GET /two HTTP/1.1'], timing: true, counted: 1 })
  })

  it('stops cleanly on SIGTERM', async () => {
    example.child.kill('SIGTERM')
    const [code] = await once(example.child, 'exit')
    expect(code).toBe(0)
  })
})
