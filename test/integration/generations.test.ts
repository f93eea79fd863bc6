import { createServer, request, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.ts'
import { startJunction, type TestJunction } from '../support/junction.ts'

let junction: TestJunction
const servers: Server[] = []
const held: ServerResponse[] = []

async function upstream(name: string): Promise<string> {
  const server = createServer((req, res) => {
    if (req.url === '/slow') {
      res.writeHead(200)
      res.write(`${name}:`)
      held.push(res)
    } else {
      res.end(name)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function get(path: string): Promise<string> {
  const url = new URL(junction.url())
  return new Promise((resolve, reject) => {
    request({ host: url.hostname, port: url.port, path, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (data: string) => (body += data))
      res.on('end', () => resolve(body))
    })
      .on('error', reject)
      .end()
  })
}

function config(service: string, url: string): unknown {
  return { http: { routers: { all: { rule: 'PathPrefix(`/`)', service } }, services: { [service]: { loadBalancer: { servers: [{ url }] } } } } }
}

beforeAll(async () => {
  junction = await startJunction()
})

afterAll(async () => {
  for (const res of held) res.destroy()
  await junction.stop()
  for (const server of servers) server.close()
})

describe('generations', () => {
  it('lets a request started on generation N finish on it after N+1 replaced its service', async () => {
    const first = await junction.write(config('old', await upstream('a')))
    await eventually(async () => expect(await get('/')).toBe('a'))
    const slow = get('/slow')
    await eventually(() => expect(held).toHaveLength(1))

    await junction.write(config('new', await upstream('b')))
    expect(await get('/')).toBe('b')
    expect(first.report.services['old@file']?.status).toBe('enabled')

    held[0]!.end('finished on the old generation')
    expect(await slow).toBe('a:finished on the old generation')
  })
})
