import type { HealthView, InstanceChannels, SharedCounterTable } from '../core/instance.ts'

/**
 * The channels of an instance that has this one data plane alone, with
 * nothing published: what the builder uses when it runs outside a worker
 * (unit tests, tools). Its counters are a plain map: nobody else shares them.
 */
export function localChannels(): InstanceChannels {
  const counters = new Map<string, number>()
  const shared: SharedCounterTable = {
    add: (key, delta) => {
      const value = (counters.get(key) ?? 0) + delta
      if (value === 0) counters.delete(key)
      else counters.set(key, value)
      return value
    },
    get: (key) => counters.get(key) ?? 0,
    sequence: () => {
      let turn = 0
      return () => turn++
    },
  }
  const health: HealthView = { isDown: () => false, watch: () => () => undefined }
  return { worker: 0, workers: 1, shared, value: () => undefined, health, reportFailure: () => undefined }
}

let standalone: InstanceChannels | undefined

/** One set of {@link localChannels} for every build that runs outside a worker, made on first use. */
export function standaloneChannels(): InstanceChannels {
  return (standalone ??= localChannels())
}
