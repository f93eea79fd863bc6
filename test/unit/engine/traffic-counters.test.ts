import { describe, expect, it } from 'vitest'
import type { RequestContext } from '../../../src/core/context.ts'
import type { Outcome } from '../../../src/core/outcome.ts'
import { addTraffic, type Counts, emptyTraffic, TrafficCounter } from '../../../src/engine/traffic-counters.ts'
import { testContext } from '../../support/context.ts'

const bounds = [0.1, 0.3, 1.2, 5]

interface Exchange {
  readonly entryPoint?: string
  readonly router?: string
  readonly service?: string
  readonly server?: string
  readonly status?: number
  /** From the request reaching the entry point to the exchange's end. */
  readonly ms?: number
  readonly requestBytes?: number
  readonly responseBytes?: number
}

/** Records one exchange as the data plane does, the context and outcome built from `exchange`. */
function record(counter: TrafficCounter, exchange: Exchange): void {
  const start = 1000
  const ctx: RequestContext = {
    ...testContext(),
    start,
    entryPoint: exchange.entryPoint ?? 'web',
    router: exchange.router ?? 'app@file',
    service: exchange.service ?? 'app@file',
    server: exchange.server ?? 'http://10.0.0.1:8080',
  }
  const status = exchange.status ?? 200
  const outcome: Outcome = {
    status,
    serverStatus: status,
    headersSent: status !== 0,
    failure: undefined,
    requestBytes: exchange.requestBytes ?? 0,
    responseBytes: exchange.responseBytes ?? 0,
    server: ctx.server,
    start,
    headersAt: start,
    end: start + (exchange.ms ?? 0),
    upgraded: false,
  }
  counter.record(ctx, status, outcome, exchange.responseBytes ?? 0)
}

/** Counts as `take` should report them; `buckets` cumulative, for `bounds` then +Inf. */
function counts(requests: number, status: Partial<Counts['status']>, bytes: [number, number], sum: number, buckets: number[]): Counts {
  return {
    requests,
    status: { none: 0, '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, ...status },
    requestBytes: bytes[0],
    responseBytes: bytes[1],
    latency: { sum, count: requests, buckets: [...bounds, Infinity].map((le, index) => ({ le, count: buckets[index]! })) },
  }
}

describe('TrafficCounter', () => {
  it('counts each exchange for its entry point, router, service and server', () => {
    const counter = new TrafficCounter(bounds)
    // Latencies are sums of powers of two, so the expected sums are exact.
    record(counter, { router: 'app@file', service: 'app@file', server: 'http://a', status: 200, ms: 250, requestBytes: 10, responseBytes: 100 })
    record(counter, { router: 'app@file', service: 'app@file', server: 'http://b', status: 502, ms: 500, requestBytes: 5, responseBytes: 20 })
    // No router matched: the entry point answered 404 itself.
    record(counter, { entryPoint: 'websecure', router: '', service: '', server: '', status: 404, ms: 2000 })
    // The service had no server to send it to.
    record(counter, { entryPoint: 'websecure', router: 'api@file', service: 'api@file', server: '', status: 0, ms: 62.5, requestBytes: 7 })
    expect(counter.take()).toEqual({
      entryPoints: {
        web: counts(2, { '2xx': 1, '5xx': 1 }, [15, 120], 0.75, [0, 1, 2, 2, 2]),
        websecure: counts(2, { '4xx': 1, none: 1 }, [7, 0], 2.0625, [1, 1, 1, 2, 2]),
      },
      routers: {
        'app@file': counts(2, { '2xx': 1, '5xx': 1 }, [15, 120], 0.75, [0, 1, 2, 2, 2]),
        'api@file': counts(1, { none: 1 }, [7, 0], 0.0625, [1, 1, 1, 1, 1]),
      },
      services: {
        'app@file': counts(2, { '2xx': 1, '5xx': 1 }, [15, 120], 0.75, [0, 1, 2, 2, 2]),
        'api@file': counts(1, { none: 1 }, [7, 0], 0.0625, [1, 1, 1, 1, 1]),
      },
      servers: {
        'app@file': {
          'http://a': counts(1, { '2xx': 1 }, [10, 100], 0.25, [0, 1, 1, 1, 1]),
          'http://b': counts(1, { '5xx': 1 }, [5, 20], 0.5, [0, 0, 1, 1, 1]),
        },
      },
    })
  })

  it.each([
    { status: 0, expected: 'none' },
    { status: 99, expected: 'none' },
    { status: 100, expected: '1xx' },
    { status: 199, expected: '1xx' },
    { status: 200, expected: '2xx' },
    { status: 304, expected: '3xx' },
    { status: 404, expected: '4xx' },
    { status: 499, expected: '4xx' },
    { status: 500, expected: '5xx' },
    { status: 599, expected: '5xx' },
    { status: 600, expected: 'none' },
  ] as const)('counts status $status as $expected', ({ status, expected }) => {
    const counter = new TrafficCounter(bounds)
    record(counter, { status })
    expect(counter.take().entryPoints['web']?.status).toEqual({ none: 0, '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, [expected]: 1 })
  })

  it.each([
    { desc: 'no time at all', ms: 0, expected: [1, 1, 1, 1, 1] },
    { desc: 'exactly the first bound', ms: 100, expected: [1, 1, 1, 1, 1] },
    { desc: 'just past the first bound', ms: 100.5, expected: [0, 1, 1, 1, 1] },
    { desc: 'exactly the second bound', ms: 300, expected: [0, 1, 1, 1, 1] },
    { desc: 'exactly the third bound', ms: 1200, expected: [0, 0, 1, 1, 1] },
    { desc: 'exactly the last bound', ms: 5000, expected: [0, 0, 0, 1, 1] },
    { desc: 'past the last bound', ms: 5001, expected: [0, 0, 0, 0, 1] },
  ])('puts a latency of $desc ($ms ms) in buckets with le semantics', ({ ms, expected }) => {
    const counter = new TrafficCounter(bounds)
    record(counter, { ms })
    expect(counter.take().entryPoints['web']?.latency.buckets).toEqual([...bounds, Infinity].map((le, index) => ({ le, count: expected[index] })))
  })

  it('sorts the bounds it is given', () => {
    const counter = new TrafficCounter([5, 0.1, 1.2, 0.3])
    record(counter, { ms: 1000 })
    expect(counter.take().entryPoints['web']?.latency.buckets).toEqual([
      { le: 0.1, count: 0 },
      { le: 0.3, count: 0 },
      { le: 1.2, count: 1 },
      { le: 5, count: 1 },
      { le: Infinity, count: 1 },
    ])
  })

  it('starts afresh after take', () => {
    const counter = new TrafficCounter(bounds)
    record(counter, { status: 200, ms: 250, requestBytes: 3, responseBytes: 4 })
    record(counter, { status: 200, ms: 250, requestBytes: 3, responseBytes: 4 })
    expect(counter.take().routers['app@file']?.requests).toBe(2)
    expect(counter.take()).toEqual(emptyTraffic())
    record(counter, { status: 503, ms: 500, requestBytes: 1, responseBytes: 2 })
    expect(counter.take().routers).toEqual({ 'app@file': counts(1, { '5xx': 1 }, [1, 2], 0.5, [0, 0, 1, 1, 1]) })
  })
})

describe('addTraffic', () => {
  const first: Exchange[] = [
    { status: 200, ms: 250, requestBytes: 10, responseBytes: 100, server: 'http://a' },
    { status: 200, ms: 62.5, requestBytes: 1, responseBytes: 2, server: 'http://b' },
    { entryPoint: 'websecure', router: '', service: '', server: '', status: 404, ms: 0.5 },
  ]
  const second: Exchange[] = [
    { status: 503, ms: 2000, requestBytes: 4, responseBytes: 8, server: 'http://a' },
    { router: 'api@file', service: 'api@file', server: 'http://c', status: 301, ms: 125 },
  ]

  it("sums two workers' deltas into what one counter of every exchange would hold", () => {
    const [one, two, both] = [new TrafficCounter(bounds), new TrafficCounter(bounds), new TrafficCounter(bounds)]
    for (const exchange of first) record(one, exchange)
    for (const exchange of second) record(two, exchange)
    for (const exchange of [...first, ...second]) record(both, exchange)
    const total = emptyTraffic()
    addTraffic(total, one.take())
    addTraffic(total, two.take())
    expect(total).toEqual(both.take())
    expect(total.servers['app@file']?.['http://a']).toEqual(counts(2, { '2xx': 1, '5xx': 1 }, [14, 108], 2.25, [0, 1, 1, 2, 2]))
  })

  it('keeps the total apart from the deltas it copied', () => {
    const one = new TrafficCounter(bounds)
    const two = new TrafficCounter(bounds)
    for (const exchange of first) record(one, exchange)
    for (const exchange of first) record(two, exchange)
    const delta = one.take()
    const before = structuredClone(delta)
    const total = emptyTraffic()
    addTraffic(total, delta)
    addTraffic(total, two.take())
    expect(delta).toEqual(before)
    expect(total.entryPoints['web']?.requests).toBe(4)
  })
})
