import { describe, expect, it } from 'vitest'
import { idleMemoryFigures, idleMemoryLegend, idleMemoryTable, medianIdleRun, workerMemoryLines, type IdleMemoryResult, type IdleMemoryRow } from '../../bench/lib/memory-report.ts'

// KiB as /proc prints them: 100,000 KiB idle, 250,000 KiB with 10,000 connections open.
const result: IdleMemoryResult = { connections: 10_000, idleRssKiB: 100_000, loadedRssKiB: 250_000, openMs: 3456 }

describe('idle connection memory', () => {
  it('derives MB (10^6 bytes) and KiB per connection', () => {
    expect(idleMemoryFigures(result)).toEqual({ idleMB: 102.4, growthMB: 153.6, perConnectionKiB: 15 })
  })

  it.each([
    {
      desc: 'a proxy within the target',
      input: { label: 'Junction', result },
      expected: '| Junction        |       102.4 |                  153.6 |               15.0 | yes      |               — |         3.5 |',
    },
    {
      desc: 'a proxy whose growth is 200 MB or more',
      input: { label: 'node:http proxy', result: { ...result, loadedRssKiB: 100_000 + 195_313 } },
      expected: '| node:http proxy |       102.4 |                  200.0 |               19.5 | NO       |               — |         3.5 |',
    },
    {
      desc: 'a count the target is not stated for, without a verdict',
      input: { label: 'Junction', result: { ...result, connections: 2000 } },
      expected: '| Junction        |       102.4 |                  153.6 |               75.0 | —        |               — |         3.5 |',
    },
    {
      desc: 'the median of several runs with their range',
      input: { label: 'Junction', result, growthRangeKiB: [140_000, 160_000] as const },
      expected: '| Junction        |       102.4 |                  153.6 |               15.0 | yes      |     143.4–163.8 |         3.5 |',
    },
    {
      desc: 'a proxy that did not run',
      input: { label: 'node:http proxy', note: 'run failed: 9999 of 10000 connections open and idle' },
      expected: '| node:http proxy |           — |                      — |                  — | not run: run failed: 9999 of 10000 connections open and idle |               — |           — |',
    },
  ])('renders $desc', ({ input, expected }) => {
    const rows = [{ label: 'node:http proxy', result }, input]
    expect(idleMemoryTable(rows, 10_000).split('\n')[3]).toBe(expected)
  })

  it('names the connection count in the growth header', () => {
    expect(idleMemoryTable([], 2000).split('\n')[0]).toBe(
      '| proxy | idle RSS MB | +2,000 connections MB | KiB per connection | < 200 MB | growth range MB | opened in s |',
    )
  })

  it.each([
    {
      desc: 'one run',
      input: 1,
      expected:
        'Idle RSS: VmRSS of the proxy process (all its threads) once it has forwarded one request. Then a client in a process of its own ' +
        'opens 10,000 keep-alive connections, 100 at a time, sends one GET /small on each and keeps it open once the response is in; ' +
        'the growth is VmRSS once all have their response minus idle RSS. MB are 10^6 bytes. ' +
        'Target: 10,000 connections add < 200 MB (no verdict for other counts).',
    },
    {
      desc: 'the median of three runs',
      input: 3,
      expected:
        'Idle RSS: VmRSS of the proxy process (all its threads) once it has forwarded one request. Then a client in a process of its own ' +
        'opens 10,000 keep-alive connections, 100 at a time, sends one GET /small on each and keeps it open once the response is in; ' +
        'the growth is VmRSS once all have their response minus idle RSS. ' +
        'Each row is the run with the median growth of 3, each in a fresh process; the range is over all 3. MB are 10^6 bytes. ' +
        'Target: 10,000 connections add < 200 MB (no verdict for other counts).',
    },
  ])('states the method and the target under the table, for $desc', ({ input, expected }) => {
    expect(idleMemoryLegend(10_000, 100, input)).toBe(expected)
  })
})

describe('medianIdleRun', () => {
  const run = (growthKiB: number, openMs: number): IdleMemoryResult => ({ connections: 10_000, idleRssKiB: 100_000, loadedRssKiB: 100_000 + growthKiB, openMs })

  it.each([
    { desc: 'one run, without a range', input: [run(150_000, 1)], expected: { result: run(150_000, 1) } },
    {
      desc: 'the middle of three by growth, whatever their order',
      input: [run(170_000, 1), run(140_000, 2), run(150_000, 3)],
      expected: { result: run(150_000, 3), growthRangeKiB: [140_000, 170_000] },
    },
    { desc: 'the lower of an even count', input: [run(160_000, 1), run(150_000, 2)], expected: { result: run(150_000, 2), growthRangeKiB: [150_000, 160_000] } },
  ])('picks $desc', ({ input, expected }) => {
    expect(medianIdleRun(input)).toEqual(expected)
  })

  it('fails without a run', () => {
    expect(() => medianIdleRun([])).toThrow('measuring memory: no run to pick a median from')
  })
})

describe('workerMemoryLines', () => {
  // 107,421.875 KiB is 110.0 MB; 138,671.875 KiB is 142.0 MB.
  const withIdle = (workers: number, idleRssKiB: number): IdleMemoryRow => ({ label: `Junction, ${workers}`, workers, result: { ...result, idleRssKiB } })
  const rows = [withIdle(1, 107_421.875), withIdle(2, 138_671.875), { label: 'node:http proxy', result }]

  it.each([
    {
      desc: 'the 2-worker target met, the cost of one worker and the cold start',
      input: { rows, cold: { idleRssKiB: 175_781.25 } },
      expected: [
        'Idle RSS, Junction with 2 workers: 142.0 MB (target: < 150 MB; met: yes)',
        'Memory per worker, idle RSS with 2 workers − with 1 worker: 32.0 MB',
        'Idle RSS, Junction with 2 workers on its first start with a cold compile cache: 180.0 MB (38.0 MB more than with a warm cache)',
      ],
    },
    {
      desc: 'the target missed at 150 MB, and a cold start that failed',
      input: { rows: [withIdle(1, 107_421.875), withIdle(2, 146_484.375)], cold: { note: 'start failed: boom' } },
      expected: [
        'Idle RSS, Junction with 2 workers: 150.0 MB (target: < 150 MB; met: NO)',
        'Memory per worker, idle RSS with 2 workers − with 1 worker: 40.0 MB',
        'Idle RSS, Junction with 2 workers on its first start with a cold compile cache: not measured: start failed: boom',
      ],
    },
    {
      desc: 'a 2-worker row that did not run',
      input: { rows: [withIdle(1, 107_421.875), { label: 'Junction, 2 workers', workers: 2, note: 'start failed: boom' }], cold: { idleRssKiB: 175_781.25 } },
      expected: [
        'Idle RSS, Junction with 2 workers: not measured (its row did not run)',
        'Memory per worker, idle RSS with 2 workers − with 1 worker: not measured (a row did not run)',
        'Idle RSS, Junction with 2 workers on its first start with a cold compile cache: 180.0 MB',
      ],
    },
  ])('$desc', ({ input, expected }) => {
    expect(workerMemoryLines(input.rows, input.cold)).toEqual(expected)
  })
})
