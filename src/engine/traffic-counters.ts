import type { RequestContext } from '../core/context.ts'
import type { Outcome } from '../core/outcome.ts'

/**
 * Traffic counters, the counters-in channel: each worker counts its own
 * exchanges per entry point, router, service and server, and hands the
 * control plane what it counted since the last time it was asked. The
 * control plane adds every worker's deltas into the instance's totals, so
 * a worker that is replaced loses at most what it counted since the last
 * collection, and reading never stops traffic.
 */

/** One object's counts: plain numbers, so they cross threads as they are. */
export interface Counts {
  requests: number
  /** Responses by status class; `none` is an exchange that ended with no response head. */
  status: { '1xx': number; '2xx': number; '3xx': number; '4xx': number; '5xx': number; none: number }
  requestBytes: number
  responseBytes: number
  /** Seconds from the request reaching the entry point to the exchange's end. */
  latency: { sum: number; count: number; buckets: Array<{ le: number; count: number }> }
}

/** Counts by object: `servers` keyed by service, then server URL. */
export interface TrafficCounts {
  entryPoints: Record<string, Counts>
  routers: Record<string, Counts>
  services: Record<string, Counts>
  servers: Record<string, Record<string, Counts>>
}

const statusClasses = ['none', '1xx', '2xx', '3xx', '4xx', '5xx'] as const
/** Slots of a row before the latency buckets. */
const requestsSlot = 0
const statusSlot = 1
const requestBytesSlot = 7
const responseBytesSlot = 8
const latencySumSlot = 9
const bucketsSlot = 10

type Row = Float64Array

/**
 * One worker's counters. `record` is on the request path: a few map
 * lookups and additions into preallocated rows, no allocation once an
 * object has been seen.
 */
export class TrafficCounter {
  /** Upper bounds in seconds, ascending; a last bucket counts the rest. */
  readonly #bounds: readonly number[]
  #entryPoints = new Map<string, Row>()
  #routers = new Map<string, Row>()
  #services = new Map<string, Row>()
  #servers = new Map<string, Map<string, Row>>()

  constructor(bounds: readonly number[]) {
    this.#bounds = [...bounds].sort((a, b) => a - b)
  }

  /** Counts one finished exchange: `status` is what the client received (0: no response head), `responseBytes` the body bytes it got. */
  record(ctx: RequestContext, status: number, outcome: Outcome, responseBytes: number): void {
    const seconds = (outcome.end - ctx.start) / 1000
    const statusIndex = statusSlot + (status >= 100 && status < 600 ? Math.floor(status / 100) : 0)
    let bucket = bucketsSlot
    while (bucket - bucketsSlot < this.#bounds.length && seconds > (this.#bounds[bucket - bucketsSlot] as number)) bucket++
    const add = (row: Row): void => {
      row[requestsSlot]! += 1
      row[statusIndex]! += 1
      row[requestBytesSlot]! += outcome.requestBytes
      row[responseBytesSlot]! += responseBytes
      row[latencySumSlot]! += seconds
      row[bucket]! += 1
    }
    add(this.#row(this.#entryPoints, ctx.entryPoint))
    if (ctx.router !== '') add(this.#row(this.#routers, ctx.router))
    if (ctx.service !== '') {
      add(this.#row(this.#services, ctx.service))
      if (ctx.server !== '') {
        let servers = this.#servers.get(ctx.service)
        if (servers === undefined) this.#servers.set(ctx.service, (servers = new Map()))
        add(this.#row(servers, ctx.server))
      }
    }
  }

  /** What was counted since the last call, and a fresh start. */
  take(): TrafficCounts {
    const bounds = this.#bounds
    const read = (rows: Map<string, Row>): Record<string, Counts> => Object.fromEntries([...rows].map(([name, row]) => [name, countsOf(row, bounds)]))
    const counts: TrafficCounts = {
      entryPoints: read(this.#entryPoints),
      routers: read(this.#routers),
      services: read(this.#services),
      servers: Object.fromEntries([...this.#servers].map(([service, rows]) => [service, read(rows)])),
    }
    this.#entryPoints = new Map()
    this.#routers = new Map()
    this.#services = new Map()
    this.#servers = new Map()
    return counts
  }

  #row(rows: Map<string, Row>, name: string): Row {
    let row = rows.get(name)
    if (row === undefined) rows.set(name, (row = new Float64Array(bucketsSlot + this.#bounds.length + 1)))
    return row
  }
}

function countsOf(row: Row, bounds: readonly number[]): Counts {
  const status = Object.fromEntries(statusClasses.map((name, index) => [name, row[statusSlot + index] ?? 0])) as Counts['status']
  let cumulative = 0
  const buckets = [...bounds, Infinity].map((le, index) => ({ le, count: (cumulative += row[bucketsSlot + index] ?? 0) }))
  return {
    requests: row[requestsSlot] ?? 0,
    status,
    requestBytes: row[requestBytesSlot] ?? 0,
    responseBytes: row[responseBytesSlot] ?? 0,
    latency: { sum: row[latencySumSlot] ?? 0, count: row[requestsSlot] ?? 0, buckets },
  }
}

/** An empty set of counts. */
export function emptyTraffic(): TrafficCounts {
  return { entryPoints: {}, routers: {}, services: {}, servers: {} }
}

/** Adds `delta` into `total`, object by object (the control plane's sum over workers). */
export function addTraffic(total: TrafficCounts, delta: TrafficCounts): void {
  addRecords(total.entryPoints, delta.entryPoints)
  addRecords(total.routers, delta.routers)
  addRecords(total.services, delta.services)
  for (const [service, servers] of Object.entries(delta.servers)) addRecords((total.servers[service] ??= {}), servers)
}

function addRecords(total: Record<string, Counts>, delta: Record<string, Counts>): void {
  for (const [name, counts] of Object.entries(delta)) {
    const into = total[name]
    if (into === undefined) {
      total[name] = structuredClone(counts)
      continue
    }
    into.requests += counts.requests
    for (const name of statusClasses) into.status[name] += counts.status[name]
    into.requestBytes += counts.requestBytes
    into.responseBytes += counts.responseBytes
    into.latency.sum += counts.latency.sum
    into.latency.count += counts.latency.count
    counts.latency.buckets.forEach((bucket, index) => {
      const target = into.latency.buckets[index]
      if (target !== undefined && target.le === bucket.le) target.count += bucket.count
    })
  }
}
