import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Pool } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startJunction, type TestJunction } from '../support/junction.ts'

const clients = 64
const rewrites = 50

let junction: TestJunction
const upstreams: Record<string, Server> = {}
const ports: Record<string, number> = {}

beforeAll(async () => {
  for (const name of ['a', 'b', 'c']) {
    const server = createServer((_req, res) => res.end(name))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    upstreams[name] = server
    ports[name] = (server.address() as AddressInfo).port
  }
})

afterAll(() => {
  for (const server of Object.values(upstreams)) server.close()
})

/**
 * Version k tags its responses `x-config: k`. Even versions balance a and b
 * with changing weights, odd versions send everything to c, and each version
 * adds or removes a few other routers.
 */
function version(k: number): unknown {
  const servers = k % 2 === 0 ? [{ url: `http://127.0.0.1:${ports['a']}`, weight: (k % 3) + 1 }, { url: `http://127.0.0.1:${ports['b']}` }] : [{ url: `http://127.0.0.1:${ports['c']}` }]
  const extra = Object.fromEntries(
    Array.from({ length: k % 5 }, (_, i) => [`extra-${k}-${i}`, { rule: `Host(\`extra-${i}.test\`)`, service: `svc-${k}` }]),
  )
  return {
    http: {
      routers: { main: { rule: 'PathPrefix(`/`)', service: `svc-${k}`, middlewares: [`tag-${k}`] }, ...extra },
      middlewares: { [`tag-${k}`]: { headers: { customResponseHeaders: { 'X-Config': String(k) } } } },
      services: { [`svc-${k}`]: { loadBalancer: { servers } } },
    },
  }
}

describe.each([1, 2])('reload under load, %i worker(s)', (workers) => {
  beforeAll(async () => {
    junction = await startJunction({ workers })
  })

  afterAll(async () => {
    await junction.stop()
  })

  it(`${clients} clients see no failure while the file is rewritten ${rewrites} times, each response from one version`, async () => {
    await junction.write(version(0))
    const pool = new Pool(junction.url(), { connections: clients, pipelining: 1 })
    const seen: Array<{ status: number; version: string | undefined; body: string }> = []
    let writing = true
    const client = async (): Promise<void> => {
      while (writing) {
        const { statusCode, headers, body } = await pool.request({ path: '/', method: 'GET' })
        const text = await body.text()
        seen.push({ status: statusCode, version: headers['x-config'] as string | undefined, body: text })
      }
    }
    const load = Promise.all(Array.from({ length: clients }, client))
    for (let k = 1; k <= rewrites; k++) await junction.write(version(k))
    writing = false
    await load
    await pool.close()

    const failures = seen.filter((response) => response.status !== 200)
    expect(failures).toEqual([])
    const inconsistent = seen.filter(({ version, body }) => {
      const k = Number(version)
      if (!Number.isInteger(k) || k < 0 || k > rewrites) return true
      return k % 2 === 0 ? body !== 'a' && body !== 'b' : body !== 'c'
    })
    expect(inconsistent).toEqual([])
    const versions = new Set(seen.map((response) => response.version))
    // Load ran through the reloads, not only before or after them.
    expect(versions.size).toBeGreaterThan(rewrites / 2)
    expect(seen.length).toBeGreaterThan(clients * rewrites)
  })
})
