import type { FailureKind } from './outcome.ts'

/**
 * What a worker's data plane sees of the instance it belongs to: the
 * worker-side ends of the channels that join every worker to the control
 * plane (src/cluster/). Middlewares and services reach them through their
 * build context, so a limit, a health verdict or a published value is the
 * instance's, not one worker's.
 */
export interface InstanceChannels {
  /** This worker's index (0-based) among the instance's `workers`. */
  readonly worker: number
  /** How many workers the instance runs. */
  readonly workers: number
  /** Shared decisions: counters every worker changes at once (see `SharedCounters`). */
  readonly shared: SharedCounterTable
  /** A value the control plane published for every worker to answer (an ACME HTTP-01 token); `undefined` when unset. */
  value(key: string): string | undefined
  /** Health verdicts the control plane sent: which servers of which services are down. */
  readonly health: HealthView
  /** Tells the control plane a server failed an exchange (passive health); cheap, and coalesced per server. */
  reportFailure(service: string, server: string, kind: FailureKind): void
}

/** Counters shared by every worker of the instance. */
export interface SharedCounterTable {
  /**
   * Adds `delta` to the counter `key` and returns its new value for the
   * whole instance, or `undefined` when the key is new and the table is
   * full (the caller then decides alone, and should say so).
   */
  add(key: string, delta: number): number | undefined
  /** The counter's value now; 0 for a key never set. */
  get(key: string): number
  /**
   * A counter that only goes up, for picks every worker takes turns on (a
   * round robin's position): `next()` returns the next turn. For configured
   * objects only (its key is never freed); `undefined` when none is left.
   */
  sequence(key: string): (() => number) | undefined
}

/** The health verdicts a worker holds. */
export interface HealthView {
  /** Whether the control plane marked `server` (a URL's `href`) of `service` down. */
  isDown(service: string, server: string): boolean
  /** Calls `listener` each time a verdict on one of `service`'s servers changes; returns the function that unsubscribes. */
  watch(service: string, listener: () => void): () => void
}
