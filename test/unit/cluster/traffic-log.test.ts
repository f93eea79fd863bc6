import { describe, expect, it } from 'vitest'
import { trafficLine } from '../../../src/cluster/traffic-log.ts'
import type { Counts, TrafficCounts } from '../../../src/engine/traffic-counters.ts'

function counts(buckets: Array<{ le: number; count: number }>): Counts {
  return {
    requests: 3,
    status: { none: 0, '1xx': 0, '2xx': 2, '3xx': 0, '4xx': 1, '5xx': 0 },
    requestBytes: 30,
    responseBytes: 300,
    latency: { sum: 1.5, count: 3, buckets },
  }
}

const buckets = [
  { le: 0.1, count: 1 },
  { le: 2.5, count: 2 },
  { le: Infinity, count: 3 },
]

describe('trafficLine', () => {
  it('writes each bound as Prometheus does, the last as +Inf, for every kind of object', () => {
    const traffic: TrafficCounts = {
      entryPoints: { web: counts(buckets) },
      routers: { 'app@file': counts(buckets) },
      services: { 'app@file': counts(buckets) },
      servers: { 'app@file': { 'http://10.0.0.1:8080': counts(buckets) } },
    }
    const line = {
      requests: 3,
      status: { none: 0, '1xx': 0, '2xx': 2, '3xx': 0, '4xx': 1, '5xx': 0 },
      requestBytes: 30,
      responseBytes: 300,
      latency: {
        sum: 1.5,
        count: 3,
        buckets: [
          { le: '0.1', count: 1 },
          { le: '2.5', count: 2 },
          { le: '+Inf', count: 3 },
        ],
      },
    }
    const written = trafficLine(traffic)
    expect(written).toEqual({
      entryPoints: { web: line },
      routers: { 'app@file': line },
      services: { 'app@file': line },
      servers: { 'app@file': { 'http://10.0.0.1:8080': line } },
    })
    // What JSON would have turned into null survives a round trip.
    expect(JSON.parse(JSON.stringify(written))).toEqual(written)
  })

  it('leaves the counts it was given as they were', () => {
    const traffic: TrafficCounts = { entryPoints: { web: counts(buckets) }, routers: {}, services: {}, servers: {} }
    trafficLine(traffic)
    expect(traffic.entryPoints['web']?.latency.buckets).toEqual(buckets)
  })

  it('writes no objects when nothing was counted', () => {
    expect(trafficLine({ entryPoints: {}, routers: {}, services: {}, servers: {} })).toEqual({ entryPoints: {}, routers: {}, services: {}, servers: {} })
  })
})
