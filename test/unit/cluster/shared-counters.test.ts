import { once } from 'node:events'
import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { createSharedCounterBuffer, SharedCounters } from '../../../src/cluster/shared-counters.ts'
import type { CounterJob } from './shared-counters-worker.ts'

/** Word 0 of the buffer is the lock: 0 free, else the owner's thread id + 1. */
const lockWord = 0

function view(buffer: SharedArrayBuffer, owner = 0, alive?: (owner: number) => boolean): SharedCounters {
  return new SharedCounters(buffer, owner, alive)
}

describe('SharedCounters add and get', () => {
  it.each([
    { desc: 'a new key takes the delta', steps: [['a', 3]], expected: { a: 3, used: 1 } },
    { desc: 'deltas add up', steps: [['a', 3], ['a', 4], ['a', -2]], expected: { a: 5, used: 1 } },
    { desc: 'a counter may go below zero', steps: [['a', -2]], expected: { a: -2, used: 1 } },
    { desc: 'a counter back at zero frees its entry', steps: [['a', 2], ['b', 1], ['a', -2]], expected: { a: 0, used: 1 } },
    { desc: 'a freed key comes back', steps: [['a', 2], ['a', -2], ['a', 7]], expected: { a: 7, used: 1 } },
  ] as const)('$desc', ({ steps, expected }) => {
    const counters = view(createSharedCounterBuffer(64))
    let value: number | undefined
    for (const [key, delta] of steps) value = counters.add(key, delta)
    expect(value).toBe(expected.a)
    expect(counters.get('a')).toBe(expected.a)
    expect(counters.used).toBe(expected.used)
  })

  it('answers 0 for a key never set, without taking an entry', () => {
    const counters = view(createSharedCounterBuffer(64))
    expect(counters.get('never')).toBe(0)
    expect(counters.add('never', 0)).toBe(0)
    expect(counters.used).toBe(0)
  })

  it('reads back 5,000 distinct keys exactly, from a second view of the buffer too', () => {
    const buffer = createSharedCounterBuffer(16_384)
    const writer = view(buffer, 0)
    const reader = view(buffer, 1)
    const keys = Array.from({ length: 5000 }, (_, i) => `ratelimit@file|10.${i >> 8}.${i & 255}.1`)
    const returned = keys.map((key, i) => writer.add(key, i + 1))
    expect(returned).toEqual(keys.map((_, i) => i + 1))
    expect(keys.map((key) => reader.get(key))).toEqual(keys.map((_, i) => i + 1))
    expect(reader.used).toBe(5000)
  })

  it('refuses a new key when the table is full, and keeps serving the keys it has', () => {
    // 16 entries: three quarters (12) may be in use, so probes always end.
    const counters = view(createSharedCounterBuffer(16))
    expect(Array.from({ length: 12 }, (_, i) => counters.add(`k${i}`, i + 1))).toEqual(Array.from({ length: 12 }, (_, i) => i + 1))
    expect(counters.add('k12', 1)).toBeUndefined()
    expect(counters.sequence('turns')).toBeUndefined()
    expect(counters.get('k12')).toBe(0)
    expect(counters.used).toBe(12)
    expect(counters.add('k3', 10)).toBe(14)
    expect(counters.get('k11')).toBe(12)
    // One key back at zero makes room for one new key.
    expect(counters.add('k0', -1)).toBe(0)
    expect(counters.add('k12', 2)).toBe(2)
    expect(counters.add('k13', 1)).toBeUndefined()
    expect(counters.used).toBe(12)
  })

  it('keeps every live value through compactions while 100,000 short-lived keys come and go', () => {
    // 1,024 entries: without freeing and compaction, the churn would fill the table a hundred times over.
    const counters = view(createSharedCounterBuffer(1024))
    const longLived = Array.from({ length: 100 }, (_, i) => `long-${i}`)
    longLived.forEach((key, i) => counters.add(key, i + 1))
    let refused = 0
    let wrong = 0
    for (let batch = 0; batch < 2000; batch++) {
      const shortLived = Array.from({ length: 50 }, (_, i) => `short-${batch}-${i}`)
      for (const key of shortLived) if (counters.add(key, 2) !== 2) refused++
      // The long-lived keys change while freed entries pile up around them.
      const long = longLived[batch % 100]!
      counters.add(long, 1)
      for (const key of shortLived) if (counters.add(key, -2) !== 0) wrong++
      counters.add(long, -1)
    }
    expect({ refused, wrong }).toEqual({ refused: 0, wrong: 0 })
    expect(longLived.map((key) => counters.get(key))).toEqual(longLived.map((_, i) => i + 1))
    expect(counters.used).toBe(100)
  })
})

describe('SharedCounters sequences', () => {
  it('hands the same sequence to every view for one key, and independent ones for distinct keys', () => {
    const buffer = createSharedCounterBuffer(64)
    const first = view(buffer, 0).sequence('wrr:app@file')!
    const second = view(buffer, 1).sequence('wrr:app@file')!
    const other = view(buffer, 1).sequence('wrr:api@file')!
    expect([first(), first(), second(), first(), second()]).toEqual([0, 1, 2, 3, 4])
    expect([other(), other()]).toEqual([0, 1])
    expect(second()).toBe(5)
  })

  it('keeps its turns through compactions', () => {
    // 64 entries, so churning 1,000 keys compacts the table many times.
    const buffer = createSharedCounterBuffer(64)
    const counters = view(buffer)
    const next = counters.sequence('wrr:app@file')!
    expect([next(), next(), next()]).toEqual([0, 1, 2])
    counters.add('held', 9)
    for (let i = 0; i < 1000; i++) {
      counters.add(`client-${i}`, 1)
      counters.add(`client-${i}`, -1)
    }
    expect(next()).toBe(3)
    expect(view(buffer, 1).sequence('wrr:app@file')!()).toBe(4)
    expect(counters.get('held')).toBe(9)
    expect(counters.used).toBe(2)
  })

  it('refuses add on a sequence key and a sequence on a counter key, and the table stays usable', () => {
    const counters = view(createSharedCounterBuffer(64))
    const next = counters.sequence('wrr:app@file')!
    expect(() => counters.add('wrr:app@file', 1)).toThrowError(new Error('shared counter wrr:app@file: the key names a sequence'))
    counters.add('limit@file|10.0.0.1', 2)
    expect(() => counters.sequence('limit@file|10.0.0.1')).toThrowError(new Error('shared counter limit@file|10.0.0.1: the key names a counter, not a sequence'))
    expect(counters.get('limit@file|10.0.0.1')).toBe(2)
    // A lock left held by the throw would block this call forever.
    expect(counters.add('other', 1)).toBe(1)
    expect(next()).toBe(0)
  })

  it('runs out of sequences at a quarter of the capacity, without keeping an entry for the refused key', () => {
    const counters = view(createSharedCounterBuffer(16))
    const granted = ['s0', 's1', 's2', 's3'].map((key) => counters.sequence(key))
    expect(granted.map((next) => next?.())).toEqual([0, 0, 0, 0])
    expect(counters.used).toBe(4)
    expect(counters.sequence('s4')).toBeUndefined()
    expect(counters.used).toBe(4)
    // A key granted before is still granted.
    expect(counters.sequence('s2')?.()).toBe(1)
  })
})

/** Starts one thread per job, lets them all begin at once, and returns what each answered. */
async function runThreads(jobs: readonly ((start: SharedArrayBuffer) => CounterJob)[]): Promise<unknown[]> {
  const start = new SharedArrayBuffer(4)
  const workers = jobs.map((job) => new Worker(new URL('./shared-counters-worker.ts', import.meta.url), { workerData: job(start) }))
  try {
    await Promise.all(workers.map((worker) => once(worker, 'message')))
    const answers = Promise.all(workers.map(async (worker) => ((await once(worker, 'message')) as [unknown])[0]))
    Atomics.store(new Int32Array(start), 0, 1)
    Atomics.notify(new Int32Array(start), 0)
    return await answers
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()))
  }
}

describe('SharedCounters across threads', () => {
  const threads = 4
  const rounds = 20_000

  it(`adds exactly when ${threads} threads change the same keys at once`, async () => {
    const buffer = createSharedCounterBuffer(1024)
    const up = ['lb@file|a', 'lb@file|b', 'limit@file|10.0.0.1', 'limit@file|10.0.0.2']
    const down = ['lb@file|a', 'lb@file|b']
    const churn = 'inflight@file|client'
    const answers = await runThreads(Array.from({ length: threads }, () => (start) => ({ kind: 'count', buffer, start, rounds, up, down, churn })))
    expect(answers).toEqual(Array.from({ length: threads }, () => 'done'))
    const counters = view(buffer)
    expect([...up, churn].map((key) => counters.get(key))).toEqual([0, 0, threads * rounds, threads * rounds, 0])
    expect(counters.used).toBe(2)
    expect(Atomics.load(new Int32Array(buffer), lockWord)).toBe(0)
  })

  it(`hands out every turn of a sequence exactly once across ${threads} threads`, async () => {
    const buffer = createSharedCounterBuffer(64)
    const key = 'wrr:app@file'
    const answers = (await runThreads(Array.from({ length: threads }, () => (start) => ({ kind: 'turns', buffer, start, rounds, key })))) as Float64Array[]
    const turns = answers.flatMap((thread) => [...thread]).sort((a, b) => a - b)
    expect(turns.length).toBe(threads * rounds)
    expect(turns.findIndex((turn, index) => turn !== index)).toBe(-1)
    // Each thread's own turns go up: a turn is never handed out twice, even to one thread.
    expect(answers.map((thread) => thread.every((turn, index) => index === 0 || turn > thread[index - 1]!))).toEqual(Array.from({ length: threads }, () => true))
    expect(view(buffer).sequence(key)!()).toBe(threads * rounds)
  })
})

describe('SharedCounters lock', () => {
  it.each([
    { desc: 'add', operation: (counters: SharedCounters) => counters.add('k', 5), expected: 5 },
    { desc: 'get', operation: (counters: SharedCounters) => counters.get('k'), expected: 0 },
    { desc: 'sequence', operation: (counters: SharedCounters) => counters.sequence('k')?.(), expected: 0 },
  ])('$desc takes over a lock whose owner died', ({ operation, expected }) => {
    const buffer = createSharedCounterBuffer(64)
    const words = new Int32Array(buffer)
    const asked: number[] = []
    const counters = view(buffer, 0, (owner) => {
      asked.push(owner)
      return owner !== 7
    })
    words[lockWord] = 7 + 1
    expect(operation(counters)).toBe(expected)
    // The owner is checked once, after one wait timed out, then the lock is taken over and released.
    expect(asked).toEqual([7])
    expect(Atomics.load(words, lockWord)).toBe(0)
  })

  it('waits for a live owner to release the lock from another thread', async () => {
    const buffer = createSharedCounterBuffer(64)
    const words = new Int32Array(buffer)
    const control = new SharedArrayBuffer(8)
    const flags = new Int32Array(control)
    words[lockWord] = 42 + 1
    const asked: number[] = []
    const counters = view(buffer, 0, (owner) => {
      asked.push(owner)
      // The owner lets go only once the waiter has checked on it, so the waiter surely waited.
      Atomics.store(flags, 0, 1)
      Atomics.notify(flags, 0)
      return true
    })
    const worker = new Worker(new URL('./shared-counters-worker.ts', import.meta.url), { workerData: { kind: 'release', buffer, control } satisfies CounterJob })
    try {
      expect((await once(worker, 'message'))[0]).toBe('ready')
      const done = once(worker, 'message')
      expect(counters.add('k', 3)).toBe(3)
      expect(Atomics.load(flags, 1)).toBe(1)
      expect(asked.length).toBeGreaterThanOrEqual(1)
      expect(asked.filter((owner) => owner !== 42)).toEqual([])
      expect((await done)[0]).toBe('done')
      expect(Atomics.load(words, lockWord)).toBe(0)
    } finally {
      await worker.terminate()
    }
  })
})
