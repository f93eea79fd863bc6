import type { Counts, TrafficCounts } from '../engine/traffic-counters.ts'

/** A log-friendly form of one object's counts: the last latency bucket's bound as Prometheus writes it. */
export interface CountsLine extends Omit<Counts, 'latency'> {
  readonly latency: { readonly sum: number; readonly count: number; readonly buckets: ReadonlyArray<{ readonly le: string; readonly count: number }> }
}

/** The counts with each histogram's bounds written as Prometheus writes them: `"0.1"`, ..., `"+Inf"` (JSON has no Infinity). */
export function trafficLine(traffic: TrafficCounts): Record<string, unknown> {
  const line = (records: Record<string, Counts>): Record<string, CountsLine> =>
    Object.fromEntries(
      Object.entries(records).map(([name, counts]) => [
        name,
        {
          ...counts,
          latency: {
            sum: counts.latency.sum,
            count: counts.latency.count,
            buckets: counts.latency.buckets.map(({ le, count }) => ({ le: le === Infinity ? '+Inf' : String(le), count })),
          },
        },
      ]),
    )
  return {
    entryPoints: line(traffic.entryPoints),
    routers: line(traffic.routers),
    services: line(traffic.services),
    servers: Object.fromEntries(Object.entries(traffic.servers).map(([service, servers]) => [service, line(servers)])),
  }
}
