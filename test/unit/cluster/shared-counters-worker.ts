/**
 * A worker thread for shared-counters.test.ts: takes its own view of the
 * shared buffer and works on it while other threads do the same. It waits on
 * the start word so every thread begins at once. Only its types may be
 * imported elsewhere: the module runs its job when loaded.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads'
import { SharedCounters } from '../../../src/cluster/shared-counters.ts'

/** What the test asks one thread to do. */
export type CounterJob =
  /** `rounds` times: +1 on each of `up`, then +1 and -1 on `churn`; then `rounds` times -1 on each of `down`. Answers 'done'. */
  | { readonly kind: 'count'; readonly buffer: SharedArrayBuffer; readonly start: SharedArrayBuffer; readonly rounds: number; readonly up: readonly string[]; readonly down: readonly string[]; readonly churn: string }
  /** `rounds` turns of the sequence `key`. Answers with them, a Float64Array. */
  | { readonly kind: 'turns'; readonly buffer: SharedArrayBuffer; readonly start: SharedArrayBuffer; readonly rounds: number; readonly key: string }
  /**
   * Releases the lock someone else recorded as held, once `control[0]` (asked)
   * is set, after setting `control[1]` (released). Answers 'done'.
   */
  | { readonly kind: 'release'; readonly buffer: SharedArrayBuffer; readonly control: SharedArrayBuffer }

const job = workerData as CounterJob
const port = parentPort!

function awaitStart(start: SharedArrayBuffer): void {
  port.postMessage('ready')
  Atomics.wait(new Int32Array(start), 0, 0)
}

if (job.kind === 'count') {
  const counters = new SharedCounters(job.buffer, threadId)
  awaitStart(job.start)
  for (let round = 0; round < job.rounds; round++) {
    for (const key of job.up) counters.add(key, 1)
    counters.add(job.churn, 1)
    counters.add(job.churn, -1)
  }
  for (let round = 0; round < job.rounds; round++) {
    for (const key of job.down) counters.add(key, -1)
  }
  port.postMessage('done')
} else if (job.kind === 'turns') {
  const next = new SharedCounters(job.buffer, threadId).sequence(job.key)
  if (next === undefined) throw new Error(`no sequence left for ${job.key}`)
  const turns = new Float64Array(job.rounds)
  awaitStart(job.start)
  for (let round = 0; round < job.rounds; round++) turns[round] = next()
  port.postMessage(turns, [turns.buffer])
} else {
  const control = new Int32Array(job.control)
  port.postMessage('ready')
  Atomics.wait(control, 0, 0)
  Atomics.store(control, 1, 1)
  const words = new Int32Array(job.buffer)
  Atomics.store(words, 0, 0)
  Atomics.notify(words, 0)
  port.postMessage('done')
}
