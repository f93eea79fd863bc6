import { describe, expect, it } from 'vitest'
import { idleMemoryFigures, idleMemoryLegend, idleMemoryTable, type IdleMemoryResult } from '../../bench/lib/memory-report.ts'

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
      expected: '| Junction        |       102.4 |                  153.6 |               15.0 | yes      |         3.5 |',
    },
    {
      desc: 'a proxy whose growth is 200 MB or more',
      input: { label: 'node:http proxy', result: { ...result, loadedRssKiB: 100_000 + 195_313 } },
      expected: '| node:http proxy |       102.4 |                  200.0 |               19.5 | NO       |         3.5 |',
    },
    {
      desc: 'a count the target is not stated for, without a verdict',
      input: { label: 'Junction', result: { ...result, connections: 2000 } },
      expected: '| Junction        |       102.4 |                  153.6 |               75.0 | —        |         3.5 |',
    },
    {
      desc: 'a proxy that did not run',
      input: { label: 'node:http proxy', note: 'run failed: 9999 of 10000 connections open and idle' },
      expected: '| node:http proxy |           — |                      — |                  — | not run: run failed: 9999 of 10000 connections open and idle |           — |',
    },
  ])('renders $desc', ({ input, expected }) => {
    const rows = [{ label: 'node:http proxy', result }, input]
    expect(idleMemoryTable(rows, 10_000).split('\n')[3]).toBe(expected)
  })

  it('names the connection count in the growth header', () => {
    expect(idleMemoryTable([], 2000).split('\n')[0]).toBe(
      '| proxy | idle RSS MB | +2,000 connections MB | KiB per connection | < 200 MB | opened in s |',
    )
  })

  it('states the method and the target under the table', () => {
    expect(idleMemoryLegend(10_000, 100)).toBe(
      'Idle RSS: VmRSS of the proxy process (all its threads) once it has forwarded one request. Then a client in a process of its own ' +
        'opens 10,000 keep-alive connections, 100 at a time, sends one GET /small on each and keeps it open once the response is in; ' +
        'the growth is VmRSS once all have their response minus idle RSS. MB are 10^6 bytes. ' +
        'Target: 10,000 connections add < 200 MB (no verdict for other counts).',
    )
  })
})
