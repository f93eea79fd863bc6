import { afterEach, describe, expect, it, vi } from 'vitest'
import { Watcher } from '../../../src/engine/watcher.ts'
import { silentLogger } from '../../../src/observability/logger.ts'
import type { Snapshot } from '../../../src/provider-plugin.ts'
import { eventually } from '../../support/eventually.ts'
import { MemoryProvider } from '../../support/memory-provider.ts'

const controllers: AbortController[] = []

afterEach(() => {
  for (const controller of controllers) controller.abort()
  vi.useRealTimers()
})

function watch(providers: MemoryProvider[], throttle: number): Array<Record<string, unknown>> {
  const applied: Array<Record<string, unknown>> = []
  const controller = new AbortController()
  controllers.push(controller)
  const watcher = new Watcher(providers, {
    throttle,
    logger: silentLogger(),
    onChange: (snapshots: ReadonlyMap<string, Snapshot>) => {
      applied.push(Object.fromEntries([...snapshots].map(([name, snapshot]) => [name, snapshot.config['v']])))
    },
  })
  void watcher.run(controller.signal)
  return applied
}

describe('Watcher', () => {
  it('applies each change with every provider’s latest snapshot, and drops unchanged ones', async () => {
    const one = new MemoryProvider('one', { v: 1 })
    const two = new MemoryProvider('two', { v: 'a' })
    const applied = watch([one, two], 0)
    await eventually(() => expect(applied).toHaveLength(2))
    one.push({ v: 1 })
    one.push({ v: 2 })
    await eventually(() => expect(applied).toHaveLength(3))
    expect(applied[2]).toEqual({ one: 2, two: 'a' })
  })

  it('throttles a provider: the first change at once, the newest of a burst at the end of the window', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const one = new MemoryProvider('one', { v: 1 })
    const applied = watch([one], 2000)
    await eventually(() => expect(applied).toEqual([{ one: 1 }]))
    one.push({ v: 2 })
    one.push({ v: 3 })
    one.push({ v: 4 })
    await vi.advanceTimersByTimeAsync(1999)
    expect(applied).toEqual([{ one: 1 }])
    await vi.advanceTimersByTimeAsync(1)
    expect(applied).toEqual([{ one: 1 }, { one: 4 }])
  })
})
