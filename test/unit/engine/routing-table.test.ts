import { describe, expect, it } from 'vitest'
import { createRuntimeReport } from '../../../src/config/report.ts'
import { RoutingTable } from '../../../src/engine/routing-table.ts'
import type { ServiceInstance } from '../../../src/services/service-kind.ts'

/** A service that records its disposal; `disposed` resolves when the table disposes it, never by the test's hand. */
function service(log: string[], name: string): ServiceInstance & { disposed: Promise<void> } {
  let done!: () => void
  const disposed = new Promise<void>((resolve) => (done = resolve))
  return {
    handler: () => Promise.reject(new Error('not called')),
    dispose: async () => {
      log.push(name)
      done()
    },
    disposed,
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
    const changed = service(disposed, 'changed')
    const old = table({ kept, changed })
    old.acquire()
    old.acquire()
    old.retire(new Set([kept]))
    old.release()
    await Promise.resolve()
    expect({ disposed: [...disposed], aborted: old.signal.aborted }).toEqual({ disposed: [], aborted: false })
    old.release()
    await changed.disposed
    expect({ disposed, aborted: old.signal.aborted }).toEqual({ disposed: ['changed'], aborted: true })
  })

  it('disposes at once a retired generation that has no request in flight', async () => {
    const disposed: string[] = []
    const only = service(disposed, 'a')
    table({ a: only }).retire(new Set())
    await only.disposed
    expect(disposed).toEqual(['a'])
  })
})
