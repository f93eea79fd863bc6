import { describe, expect, it } from 'vitest'
import { createRuntimeReport } from '../../../src/config/report.ts'
import { RoutingTable } from '../../../src/engine/routing-table.ts'
import type { ServiceInstance } from '../../../src/services/service-kind.ts'

function service(log: string[], name: string): ServiceInstance {
  return {
    handler: () => Promise.reject(new Error('not called')),
    dispose: async () => {
      log.push(name)
    },
  }
}

function table(services: Record<string, ServiceInstance>): RoutingTable {
  return new RoutingTable({
    generation: 1,
    report: createRuntimeReport(1),
    entryPoints: new Map(),
    services: new Map(Object.entries(services).map(([name, instance]) => [name, { key: name, instance }])),
  })
}

describe('RoutingTable', () => {
  it('disposes a retired generation only when its last request has finished, and never what the next one kept', async () => {
    const disposed: string[] = []
    const kept = service(disposed, 'kept')
    const old = table({ kept, changed: service(disposed, 'changed') })
    old.acquire()
    old.acquire()
    old.retire(new Set([kept]))
    old.release()
    await Promise.resolve()
    expect(disposed).toEqual([])
    old.release()
    await old.dispose()
    expect(disposed).toEqual(['changed'])
  })

  it('disposes at once a retired generation that has no request in flight', async () => {
    const disposed: string[] = []
    const old = table({ a: service(disposed, 'a') })
    old.retire(new Set())
    await old.dispose()
    expect(disposed).toEqual(['a'])
  })
})
