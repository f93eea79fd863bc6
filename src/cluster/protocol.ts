import type { AddressInfo } from 'node:net'
import type { RuntimeReport } from '../config/report.ts'
import type { StaticConfig } from '../config/static.ts'
import type { FailureKind } from '../core/outcome.ts'
import type { GenerationModel } from '../engine/data-plane.ts'
import type { TrafficCounts } from '../engine/traffic-counters.ts'

/**
 * The messages between the control plane and a worker. Everything is plain
 * data (structured clone): a worker thread shares no object with the
 * control plane but the two SharedArrayBuffers of its start.
 */

/** What a worker starts with (a worker thread's `workerData`). */
export interface WorkerStart {
  /** 0-based; a replacement takes the index of the worker it replaces. */
  readonly index: number
  readonly count: number
  readonly config: StaticConfig
  /** Ports to bind by entry point name: the first worker's, once it has bound port 0. */
  readonly ports: Readonly<Record<string, number>>
  /** Bind with SO_REUSEPORT, so the kernel spreads connections over the workers. */
  readonly reusePort: boolean
  /** The shared-decision counters (`SharedCounters`). */
  readonly shared: SharedArrayBuffer
  /** Thread id of each worker by index (0 when none runs): who may hold the shared counters' lock. */
  readonly alive: SharedArrayBuffer
  /** Modules whose `middlewares` export adds middleware types to the catalogue (embedding, tests). */
  readonly modules: readonly string[]
}

/** From the control plane to a worker. */
export type ToWorker =
  /** First message: the current generation (if any), published values and health verdicts. */
  | { readonly type: 'state'; readonly model: GenerationModel | undefined; readonly values: ReadonlyArray<readonly [string, string]>; readonly down: ReadonlyArray<readonly [string, string]> }
  | { readonly type: 'generation'; readonly model: GenerationModel }
  /** `value` null removes the key; answered with an `ack` of the same `seq`. */
  | { readonly type: 'value'; readonly key: string; readonly value: string | null; readonly seq: number }
  /** Answered with an `ack` of the same `seq`. */
  | { readonly type: 'health'; readonly service: string; readonly server: string; readonly down: boolean; readonly seq: number }
  /** Answered with `counts`: what the worker counted since the last collection. */
  | { readonly type: 'collect'; readonly seq: number }
  | { readonly type: 'drain' }

/** An entry point's bound address, as `net.Server.address()` gives it. */
export type BoundAddress = Pick<AddressInfo, 'address' | 'family' | 'port'>

/** From a worker to the control plane. */
export type FromWorker =
  /** Listening, serving `generation` (its report attached), after the `state` message was applied. */
  | { readonly type: 'ready'; readonly addresses: Readonly<Record<string, BoundAddress>>; readonly generation: number; readonly report: RuntimeReport }
  | { readonly type: 'live'; readonly generation: number; readonly report: RuntimeReport }
  | { readonly type: 'ack'; readonly seq: number }
  | { readonly type: 'counts'; readonly seq: number; readonly counts: TrafficCounts }
  | { readonly type: 'failure'; readonly service: string; readonly server: string; readonly kind: FailureKind }
  /** A formatted log line, written by the control plane so lines from every worker never interleave. */
  | { readonly type: 'log'; readonly line: string }
  /** The worker cannot start (an entry point cannot bind): `code` is the JunctionError code. */
  | { readonly type: 'fatal'; readonly code: string; readonly message: string }
  /** Drained and stopped; the last counts ride along. */
  | { readonly type: 'drained'; readonly counts: TrafficCounts }

/** The end of a channel a worker talks through: a worker thread's `parentPort`, or a `MessagePort` in this thread. */
export interface WorkerPort {
  postMessage(message: FromWorker): void
  on(event: 'message', listener: (message: ToWorker) => void): unknown
  off(event: 'message', listener: (message: ToWorker) => void): unknown
}
