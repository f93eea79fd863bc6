import { describe, expect, it } from 'vitest'
import type { Measurement } from '../../bench/lib/measure.ts'
import {
  median,
  peersTable,
  ratios,
  ratiosTable,
  ratioWithin,
  routersTable,
  streamingFigures,
  streamingLegend,
  streamingTable,
  type PeerRow,
  type StreamingResult,
  workersCpuLine,
} from '../../bench/lib/report.ts'

function m(proxyCpuUs: number | undefined, extra: Partial<Measurement> = {}): Measurement {
  return {
    requests: 100_000,
    requestsPerSecond: 10_000,
    p99Ms: 4.5,
    non2xx: 0,
    socketErrors: 0,
    backendCpuUs: 20,
    proxyCorePercent: 97,
    othersPercent: 2,
    loadStealPercent: 1,
    ...(proxyCpuUs === undefined ? {} : { proxyCpuUs }),
    ...extra,
  }
}

const rows: PeerRow[] = [
  { target: 'direct', label: 'direct (no proxy)', size: 'small', measurement: m(undefined) },
  { target: 'junction', label: 'Junction', size: 'small', measurement: m(110) },
  { target: 'haproxy', label: 'HAProxy', size: 'small', note: 'start failed: boom' },
  { target: 'node-http', label: 'node:http proxy', size: 'small', measurement: m(100, { non2xx: 3, socketErrors: 2 }) },
  { target: 'junction', label: 'Junction', size: '16k', measurement: m(150) },
  { target: 'junction-regexp', label: 'Junction (1 regexp router)', size: '16k', measurement: m(60) },
  { target: 'haproxy', label: 'HAProxy', size: '16k', measurement: m(40) },
  { target: 'node-http', label: 'node:http proxy', size: '16k', measurement: m(120) },
]

describe('ratios', () => {
  it('pairs each measured Junction row, every variant, with node:http of the same size', () => {
    expect(ratios(rows)).toEqual([
      { target: 'junction', label: 'Junction', size: 'small', junctionUs: 110, yardstickUs: 100, ratio: 1.1 },
      { target: 'junction', label: 'Junction', size: '16k', junctionUs: 150, yardstickUs: 120, ratio: 1.25 },
      { target: 'junction-regexp', label: 'Junction (1 regexp router)', size: '16k', junctionUs: 60, yardstickUs: 120, ratio: 0.5 },
    ])
  })

  it('renders verdicts against 1.15 and against the ratio before, per size', () => {
    expect(ratiosTable(ratios(rows)).split('\n').slice(2)).toEqual([
      '| Junction                   | small |           110.0 |            100.0 |  1.10 | yes    |   0.72 | NO       |',
      '| Junction                   | 16k   |           150.0 |            120.0 |  1.25 | NO     |   0.67 | NO       |',
      '| Junction (1 regexp router) | 16k   |            60.0 |            120.0 |  0.50 | yes    |   0.67 | yes      |',
    ])
  })
})

describe('workersCpuLine', () => {
  it('divides 2 workers by 1 worker per size both rows measured, without a verdict', () => {
    const withTwo: PeerRow[] = [
      ...rows,
      { target: 'junction-2-workers', label: 'Junction, 2 workers', size: 'small', measurement: m(121) },
      { target: 'junction-2-workers', label: 'Junction, 2 workers', size: '16k', note: 'run failed: boom' },
    ]
    expect(workersCpuLine(withTwo)).toBe(
      "Proxy CPU per request, Junction with 2 workers ÷ 1 worker, both workers on the proxy's one core: small 1.10 (no verdict: the target, ≤ 1.05, is for workers on cores of their own)",
    )
  })

  it('says so when either row is missing', () => {
    expect(workersCpuLine(rows)).toBe("Proxy CPU per request, Junction with 2 workers ÷ 1 worker, both workers on the proxy's one core: not measured (a row of either did not run)")
  })
})

describe('ratioWithin', () => {
  it.each([
    { desc: 'a ratio that prints as the limit keeps it', input: { ratio: 0.7237, limit: 0.72 }, expected: true },
    { desc: 'a ratio below the limit', input: { ratio: 0.65, limit: 0.72 }, expected: true },
    { desc: 'a ratio that prints above the limit', input: { ratio: 0.7251, limit: 0.72 }, expected: false },
    { desc: 'the budget itself', input: { ratio: 1.15, limit: 1.15 }, expected: true },
  ])('$desc', ({ input, expected }) => {
    expect(ratioWithin(input.ratio, input.limit)).toBe(expected)
  })
})

describe('peersTable', () => {
  it.each([
    {
      desc: 'the baseline has no proxy CPU',
      input: 0,
      expected: '| direct (no proxy)          | small | 10,000 |   4.50 |                — |               20.0 |            — |        2 |',
    },
    {
      desc: 'a target that did not start says why',
      input: 2,
      expected: '| HAProxy                    | small |      — |      — |                — |                  — |            — |        — |',
    },
    {
      desc: 'a proxy shows its share of its core',
      input: 3,
      expected: '| node:http proxy            | small | 10,000 |   4.50 |            100.0 |               20.0 |           97 |        2 |',
    },
  ])('$desc', ({ input, expected }) => {
    const line = peersTable(rows).split('\n')[input + 2] ?? ''
    expect(line.startsWith(expected)).toBe(true)
  })

  it.each([
    { desc: 'a note', input: 2, expected: 'not run: start failed: boom |' },
    { desc: 'an error count', input: 3, expected: '5 (3 non-2xx) |' },
  ])('ends a row with $desc', ({ input, expected }) => {
    expect(peersTable(rows).split('\n')[input + 2]?.endsWith(expected)).toBe(true)
  })
})

describe('median', () => {
  it.each([
    { desc: 'odd count', input: [300, 100, 200], expected: 200 },
    { desc: 'even count', input: [400, 100, 200, 300], expected: 250 },
    { desc: 'one value', input: [42], expected: 42 },
  ])('$desc', ({ input, expected }) => {
    expect(median(input)).toBe(expected)
  })
})

describe('routersTable', () => {
  const result = {
    small: { routers: 10, before: m(110), after: m(90) },
    large: { routers: 10_000, measurement: m(103) },
    applyMs: [420.4, 380.2, 510.9],
  }

  it('compares CPU per request with both 10-router runs and the node:http proxy, and summarises apply times', () => {
    expect(routersTable({ ...result, yardstick: m(160) }).split('\n')).toEqual([
      '| run                                |  req/s | p99 ms | proxy CPU µs/req | proxy core % | others % | load steal % | errors |',
      '| ---------------------------------- | -----: | -----: | ---------------: | -----------: | -------: | -----------: | -----: |',
      '| Junction, 10 host routers (before) | 10,000 |   4.50 |            110.0 |           97 |        2 |            1 |      0 |',
      '| Junction, 10,000 host routers      | 10,000 |   4.50 |            103.0 |           97 |        2 |            1 |      0 |',
      '| Junction, 10 host routers (after)  | 10,000 |   4.50 |             90.0 |           97 |        2 |            1 |      0 |',
      '| node:http proxy                    | 10,000 |   4.50 |            160.0 |           97 |        2 |            1 |      0 |',
      '',
      'CPU per request, 10,000 routers ÷ mean of the two 10-router runs: 1.03 (target: ≤ 1.00 within noise)',
      'CPU per request, 10,000 routers ÷ minimal node:http proxy in this scenario: 0.64 (target: unchanged or better than 0.72, the ratio before; met: yes)',
      'Time to apply a 10,000-router file: median 420 ms, max 511 ms over 3 runs (420, 380, 511) (target: < 1000 ms)',
    ])
  })

  it('says so when the node:http proxy did not run', () => {
    expect(routersTable(result).split('\n')).toContain(
      'CPU per request, 10,000 routers ÷ minimal node:http proxy in this scenario: not measured (the node:http proxy did not run)',
    )
  })
})

describe('streaming memory', () => {
  const MiB = 1024 * 1024
  // KiB as /proc prints them: 80 MiB at start, +82 MiB over the first round, 150 MiB before, 157.5 MiB peak.
  const result: StreamingResult = {
    transferBytes: 100 * MiB,
    startRssKiB: 80 * 1024,
    firstPeakKiB: 162 * 1024,
    beforeRssKiB: 150 * 1024,
    peakKiB: 157.5 * 1024,
    uploadMs: [200, 300],
    downloadMs: [250, 250],
  }

  it('derives the growths and throughputs in MiB', () => {
    expect(streamingFigures(result)).toEqual({
      startRssMiB: 80,
      firstGrowthMiB: 82,
      beforeRssMiB: 150,
      peakMiB: 157.5,
      peakGrowthMiB: 7.5,
      uploadMiBps: 400,
      downloadMiBps: 400,
    })
  })

  it.each([
    {
      desc: 'a proxy within the target',
      input: { target: 'junction', label: 'Junction', result },
      expected: '| Junction        |             80.0 |                      82.0 |          150.0 |    157.5 |             7.5 | yes      |          400 |            400 |',
    },
    {
      desc: 'a proxy that grows by 50 MiB or more',
      input: { target: 'node-http', label: 'node:http proxy', result: { ...result, peakKiB: 200 * 1024 } },
      expected: '| node:http proxy |             80.0 |                      82.0 |          150.0 |    200.0 |            50.0 | NO       |          400 |            400 |',
    },
    {
      desc: 'a proxy that did not run',
      input: { target: 'node-http', label: 'node:http proxy', note: 'start failed: boom' },
      expected: '| node:http proxy |                — |                         — |              — |        — |               — | not run: start failed: boom |            — |              — |',
    },
  ])('renders $desc', ({ input, expected }) => {
    const rows = [{ target: 'junction', label: 'Junction', result }, { target: 'x', label: 'node:http proxy', result }, input]
    expect(streamingTable(rows).split('\n')[4]).toBe(expected)
  })

  it('states the method and the target under the table', () => {
    expect(streamingLegend(100, 2)).toBe(
      'Each proxy streams one 100 MiB upload and one 100 MiB download (the first large transfer leaves garbage-collector slack in any Node proxy), ' +
        'then its peak is reset (`5` into /proc/<pid>/clear_refs) and it streams 2 more of each. ' +
        'Peak growth: VmHWM after them minus VmRSS at the reset (target: < 50 MiB).',
    )
  })
})
