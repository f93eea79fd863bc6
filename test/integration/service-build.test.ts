import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startJunction, type TestJunction } from '../support/junction.ts'
import { startUpstream, type Echo, type Upstream } from '../support/upstream.ts'
import { send } from './services/harness.ts'

let junction: TestJunction
let one: Upstream
let two: Upstream

beforeAll(async () => {
  one = await startUpstream()
  two = await startUpstream()
  // Workers in this thread: a test reads the instances in the first one's table.
  junction = await startJunction({ dataPlane: 'inline' })
})

afterAll(async () => {
  await junction.stop()
  await one.close()
  await two.close()
})

function canary(extra: Record<string, unknown> = {}, v2Servers?: unknown) {
  return {
    http: {
      routers: { all: { rule: 'PathPrefix(`/`)', service: 'canary' }, ...extra },
      services: {
        canary: { weighted: { services: [{ name: 'v1', weight: 3 }, { name: 'v2', weight: 1 }] } },
        v1: { loadBalancer: { servers: [{ url: one.url }], passHostHeader: false } },
        v2: { loadBalancer: { servers: v2Servers ?? [{ url: two.url }], passHostHeader: false } },
      },
    },
  }
}

describe('services built in dependency order', () => {
  it('spreads a weighted service 3:1 over the services it names', async () => {
    await junction.write(canary())
    const order: string[] = []
    for (let i = 0; i < 8; i++) {
      const echo = JSON.parse((await send(junction.url(), '/')).body) as Echo
      order.push(echo.headers.host === `127.0.0.1:${one.port}` ? 'v1' : 'v2')
    }
    expect(order).toEqual(['v1', 'v1', 'v2', 'v1', 'v1', 'v1', 'v2', 'v1'])
  })

  it('keeps every instance across an unrelated reload, and rebuilds a parent whose child changed', async () => {
    const instances = async () => {
      const table = await junction.junction.table()
      return ['canary', 'v1', 'v2'].map((name) => table.services.get(`${name}@file`)?.instance)
    }
    await junction.write(canary({ first: { rule: 'Host(`first.test`)', service: 'v1' } }))
    const [canary0, v10, v20] = await instances()
    await junction.write(canary({ other: { rule: 'Host(`other.test`)', service: 'v1' } }))
    const [canary1, v11, v21] = await instances()
    await junction.write(canary({}, [{ url: two.url, weight: 2 }]))
    const [canary2, v12, v22] = await instances()
    expect({
      unrelated: [canary1 === canary0, v11 === v10, v21 === v20],
      childChanged: [canary2 === canary1, v12 === v11, v22 === v21],
    }).toEqual({ unrelated: [true, true, true], childChanged: [false, true, false] })
  })

  it('disables every weighted service on a reference cycle, and warns about options not honoured yet', async () => {
    const table = await junction.write({
      http: {
        routers: { all: { rule: 'PathPrefix(`/`)', service: 'w1' } },
        services: {
          w1: { weighted: { services: [{ name: 'w2' }] } },
          w2: { weighted: { services: [{ name: 'w1' }, { name: 'lb' }] } },
          lb: { loadBalancer: { servers: [{ url: one.url }], sticky: { cookie: {} } } },
          later: { mirroring: { service: 'lb' } },
          fronted: { loadBalancer: { servers: [{ url: one.url }] }, middlewares: ['auth'] },
        },
      },
    })
    const cycle = 'reference cycle: w1@file → w2@file → w1@file'
    const entry = (name: string) => [table.report.services[`${name}@file`]?.status, table.report.services[`${name}@file`]?.errors]
    expect({ w1: entry('w1'), w2: entry('w2'), lb: entry('lb'), later: entry('later'), fronted: entry('fronted') }).toEqual({
      w1: ['disabled', [`service w1@file: ${cycle}`]],
      w2: ['disabled', [`service w2@file: ${cycle}`]],
      lb: ['warning', ['service lb@file: loadBalancer.sticky is not supported yet and is ignored']],
      later: ['disabled', ['service later@file: mirroring services are not supported yet']],
      fronted: ['warning', ['service fronted@file: middlewares is not supported yet and is ignored']],
    })
  })

  it('reads `servers: {}` as no server, so the catch-all answers 503 rather than 404', async () => {
    const table = await junction.write({
      http: { routers: { catchall: { rule: 'PathPrefix(`/`)', priority: 1, service: 'nothing' } }, services: { nothing: { loadBalancer: { servers: {} } } } },
    })
    const reply = await send(junction.url(), '/anything')
    expect({ status: table.report.services['nothing@file']?.status, reply: reply.status }).toEqual({ status: 'enabled', reply: 503 })
  })
})
