import { describe, expect, it } from 'vitest'
import {
  instructionsLegend,
  instructionsTable,
  toBefore,
  toYardstick,
  type InstructionsCount,
  type InstructionsRow,
} from '../../bench/lib/instructions-report.ts'

const counted = (instructions: number): InstructionsCount => ({ requests: 3000, instructions })

const rows: InstructionsRow[] = [
  { target: 'junction', label: 'Junction', before: false, size: 'small', count: counted(855_000_000) },
  { target: 'junction', label: 'Junction, before', before: true, size: 'small', count: counted(900_000_000) },
  { target: 'junction-host-routers', label: 'Junction (10,000 host routers)', before: false, size: 'small', note: 'start failed: boom' },
  { target: 'junction-host-routers', label: 'Junction (10,000 host routers), before', before: true, size: 'small', count: counted(930_000_000) },
  { target: 'node-http', label: 'node:http proxy', before: false, size: 'small', count: counted(900_000_000) },
  { target: 'junction', label: 'Junction', before: false, size: '16k', count: counted(1_200_000_000) },
  { target: 'node-http', label: 'node:http proxy', before: false, size: '16k', count: counted(1_500_000_000) },
]

describe('instructions ratios', () => {
  it.each([
    { desc: 'a Junction row over node:http of its size', input: { index: 0, of: toYardstick }, expected: 0.95 },
    { desc: 'a before row over this checkout’s node:http', input: { index: 1, of: toYardstick }, expected: 1 },
    { desc: 'a Junction row over its before row', input: { index: 0, of: toBefore }, expected: 0.95 },
    { desc: 'no before row to divide by', input: { index: 5, of: toBefore }, expected: undefined },
    { desc: 'a row without a count', input: { index: 2, of: toBefore }, expected: undefined },
    { desc: 'a before row has no ratio to itself', input: { index: 3, of: toBefore }, expected: undefined },
    { desc: 'node:http has no ratio to itself', input: { index: 4, of: toYardstick }, expected: undefined },
  ])('$desc', ({ input, expected }) => {
    const row = rows[input.index]
    if (!row) throw new Error('no such row')
    const value = input.of(row, rows)
    expect(value === undefined ? undefined : Number(value.toFixed(6))).toBe(expected)
  })
})

describe('instructionsTable', () => {
  it('prints thousands of instructions per request, both ratios and why a row has none', () => {
    expect(instructionsTable(rows).split('\n')).toEqual([
      '| target                                 | size  | k instructions/request | ÷ node:http | ÷ before |            requests counted |',
      '| -------------------------------------- | ----- | ---------------------: | ----------: | -------: | --------------------------: |',
      '| Junction                               | small |                  285.0 |        0.95 |     0.95 |                       3,000 |',
      '| Junction, before                       | small |                  300.0 |        1.00 |        — |                       3,000 |',
      '| Junction (10,000 host routers)         | small |                      — |           — |        — | not run: start failed: boom |',
      '| Junction (10,000 host routers), before | small |                  310.0 |        1.03 |        — |                       3,000 |',
      '| node:http proxy                        | small |                  300.0 |           — |        — |                       3,000 |',
      '| Junction                               | 16k   |                  400.0 |        0.80 |        — |                       3,000 |',
      '| node:http proxy                        | 16k   |                  500.0 |           — |        — |                       3,000 |',
    ])
  })

  it('leaves out the before column when nothing was compared', () => {
    expect(instructionsTable(rows.filter((r) => !r.before)).split('\n')[0]).toBe(
      '| target                         | size  | k instructions/request | ÷ node:http |            requests counted |',
    )
  })
})

describe('instructionsLegend', () => {
  it('states the method and, when compared, the checkout before', () => {
    expect(instructionsLegend({ warmup: 3000, requests: 3000, concurrency: 8, before: '/src/junction-before at 09a3af0' }).split('\n\n')).toEqual([
      "Instructions the proxy process executed (valgrind's callgrind, event Ir, all threads) while it answered the counted requests, " +
        '8 at a time over keep-alive connections after 3,000 uncounted ones, divided by the requests counted (3,000 per row). ' +
        'Most rows repeat within about 3% from run to run (the first a process measures, within 8%), where CPU time per request on this machine moves by 20–40%.',
      '÷ node:http: over the minimal node:http proxy at the same size (for the host routers, its `/small` row, which carries no Host header of a router).',
      "÷ before: over the same row of the checkout before (/src/junction-before at 09a3af0); the node:http proxy is this checkout's.",
    ])
  })
})
