import { describe, expect, it } from 'vitest'
import { parseWrkCount, parseWrkOutput, parseWrkTime, wrkArgs } from '../../bench/lib/wrk.ts'

const clean = `Running 2s test @ http://127.0.0.1:18080/
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.01ms    9.84ms 147.97ms   97.32%
    Req/Sec    18.86k     5.36k   25.47k    80.00%
  Latency Distribution
     50%    2.33ms
     75%    2.77ms
     90%    4.33ms
     99%   54.42ms
  37451 requests in 2.00s, 4.86MB read
Requests/sec:  18705.28
Transfer/sec:      2.43MB
`

const troubled = `Running 10s test @ http://127.0.0.1:18081/16k
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   812.00us    1.47ms  1.02s    90.59%
    Req/Sec    17.99k     3.08k   20.94k    81.82%
  Latency Distribution
     50%  700.00us
     75%    3.01ms
     90%    3.67ms
     99%    1.50s
  1.20M requests in 10.10s, 2.90GB read
  Socket errors: connect 1, read 20, write 3, timeout 4
  Non-2xx or 3xx responses: 19650
Requests/sec: 118812.12
Transfer/sec:    294.10MB
`

describe('parseWrkOutput', () => {
  it.each([
    {
      desc: 'a clean run',
      input: clean,
      expected: { requests: 37451, requestsPerSecond: 18705.28, p99Ms: 54.42, non2xx: 0, socketErrors: 0 },
    },
    {
      desc: 'a run with errors, scaled counts and seconds',
      input: troubled,
      expected: { requests: 1_200_000, requestsPerSecond: 118812.12, p99Ms: 1500, non2xx: 19650, socketErrors: 28 },
    },
  ])('reads $desc', ({ input, expected }) => {
    expect(parseWrkOutput(input)).toEqual(expected)
  })

  it('fails without a latency distribution (wrk run without --latency)', () => {
    const input = clean.replace('     99%   54.42ms\n', '')
    expect(() => parseWrkOutput(input)).toThrow(/^parsing wrk output: no p99 latency in /)
  })
})

describe('parseWrkTime', () => {
  it.each([
    { desc: 'microseconds', input: '812.00us', expected: 0.812 },
    { desc: 'milliseconds', input: '2.33ms', expected: 2.33 },
    { desc: 'seconds', input: '1.02s', expected: 1020 },
    { desc: 'minutes', input: '1.00m', expected: 60_000 },
  ])('converts $desc', ({ input, expected }) => {
    expect(parseWrkTime(input)).toBeCloseTo(expected, 9)
  })

  it('rejects an unknown unit', () => {
    expect(() => parseWrkTime('3.00d')).toThrow('parsing wrk time: unrecognised "3.00d"')
  })
})

describe('parseWrkCount', () => {
  it.each([
    { desc: 'a plain count', input: '37451', expected: 37451 },
    { desc: 'thousands', input: '18.86k', expected: 18860 },
    { desc: 'millions', input: '1.20M', expected: 1_200_000 },
  ])('converts $desc', ({ input, expected }) => {
    expect(parseWrkCount(input)).toBe(expected)
  })
})

describe('wrkArgs', () => {
  it.each([
    {
      desc: 'a pinned run with latency percentiles',
      input: { url: 'http://127.0.0.1:1/small', seconds: 10, connections: 50, core: 1 },
      expected: ['-c', '1', 'wrk', '-t1', '-c50', '-d10s', '--latency', 'http://127.0.0.1:1/small'],
    },
    {
      desc: 'a Host header spelled so that wrk replaces its own',
      input: { url: 'http://127.0.0.1:1/small', seconds: 2, connections: 8, core: 1, headers: { host: 'h9.test', 'x-a': 'b' } },
      expected: ['-c', '1', 'wrk', '-t1', '-c8', '-d2s', '--latency', '-H', 'Host: h9.test', '-H', 'x-a: b', 'http://127.0.0.1:1/small'],
    },
  ])('builds $desc', ({ input, expected }) => {
    expect(wrkArgs(input)).toEqual(expected)
  })
})
