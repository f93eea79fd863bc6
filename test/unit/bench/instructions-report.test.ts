import { describe, expect, it } from 'vitest'
import {
  instructionsLegend,
  instructionsTable,
  medianCount,
  toBefore,
  toYardstick,
  workersRatioLine,
  workersRatios,
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
    expect(instructionsLegend({ warmup: 3000, requests: 3000, concurrency: 8, rounds: 5, before: '/src/junction-before at 09a3af0' }).split('\n\n')).toEqual([
      "Instructions the proxy process executed (valgrind's callgrind, event Ir, all threads) while it answered the counted requests, " +
        '8 at a time over keep-alive connections after 3,000 uncounted ones per worker, divided by the requests counted (3,000 per row). ' +
        'Most rows repeat within about 3% from run to run (the first a process measures, within 8%), where CPU time per request on this machine moves by 20–40%.',
      '÷ node:http: over the minimal node:http proxy at the same size (for the host routers, its `/small` row, which carries no Host header of a router).',
      "Junction rows run with `--workers=1` (one data-plane worker thread beside the control plane) unless their label says otherwise; " +
        'with 2 workers, the kernel spreads the keep-alive connections over both (`SO_REUSEPORT`), and the uncounted requests go out ' +
        'in rounds of 500 on fresh connections so that each worker gets about its share. A row with more than one worker is counted 5 times ' +
        'in a row in the same process and shows the median round with the range of all: under callgrind its count moves from round to ' +
        'round (see README.md, Instructions). A checkout without the `workers` option runs as one process.',
      "÷ before: over the same row of the checkout before (/src/junction-before at 09a3af0); the node:http proxy is this checkout's.",
    ])
  })
})

describe('workersRatios', () => {
  const two = (size: 'small' | '16k', instructions: number, before = false): InstructionsRow => ({
    target: 'junction-2-workers',
    label: before ? 'Junction, 2 workers, before' : 'Junction, 2 workers',
    before,
    size,
    count: counted(instructions),
  })

  it.each([
    { desc: 'each size where both were counted', input: [...rows, two('small', 880_650_000), two('16k', 1_200_000_000)], expected: [{ size: 'small', ratio: 1.03 }, { size: '16k', ratio: 1 }] },
    { desc: 'not a size where the 2-worker row has no count', input: [...rows, { target: 'junction-2-workers', label: 'Junction, 2 workers', before: false, size: 'small' as const, note: 'run failed' }, two('16k', 1_320_000_000)], expected: [{ size: '16k', ratio: 1.1 }] },
    { desc: 'never a row of the checkout before', input: [...rows, two('small', 990_000_000, true)], expected: [] },
  ])('$desc', ({ input, expected }) => {
    expect(workersRatios(input).map((r) => ({ size: r.size, ratio: Number(r.ratio.toFixed(6)) }))).toEqual(expected)
  })

  it.each([
    {
      desc: 'met at the two decimals it prints with',
      input: [...rows, two('small', 855_000_000 * 1.0549), two('16k', 1_200_000_000 * 0.99)],
      expected: 'Instructions per request, Junction with 2 workers ÷ 1 worker: small 1.05, 16k 0.99 (target: ≤ 1.05; met: yes)',
    },
    {
      desc: 'not met when one size is over',
      input: [...rows, two('small', 855_000_000), two('16k', 1_200_000_000 * 1.06)],
      expected: 'Instructions per request, Junction with 2 workers ÷ 1 worker: small 1.00, 16k 1.06 (target: ≤ 1.05; met: NO)',
    },
    { desc: 'without a 2-worker row', input: rows, expected: 'Instructions per request, Junction with 2 workers ÷ 1 worker: not measured (a row of either did not run)' },
  ])('says the ratio is $desc', ({ input, expected }) => {
    expect(workersRatioLine(input)).toBe(expected)
  })
})

describe('medianCount', () => {
  it.each([
    { desc: 'one round as it is', input: [900_000_000], expected: { requests: 3000, instructions: 900_000_000 } },
    {
      desc: 'the median of five, whatever their order, with the range',
      input: [700_000_000, 540_000_000, 560_000_000, 1_000_000_000, 550_000_000],
      expected: { requests: 3000, instructions: 560_000_000, range: [540_000_000, 1_000_000_000], rounds: 5 },
    },
    { desc: 'the lower middle of an even number', input: [600, 500, 800, 700], expected: { requests: 3000, instructions: 600, range: [500, 800], rounds: 4 } },
  ])('$desc', ({ input, expected }) => {
    expect(medianCount(3000, input)).toEqual(expected)
  })

  it('prints the range per request and the rounds when a row has several', () => {
    const ranged: InstructionsRow = {
      target: 'junction-2-workers',
      label: 'Junction, 2 workers',
      before: false,
      size: 'small',
      count: medianCount(3000, [570_000_000, 540_000_000, 900_000_000]),
    }
    expect(instructionsTable([rows[0] as InstructionsRow, ranged, rows[4] as InstructionsRow]).split('\n')).toEqual([
      '| target              | size  | k instructions/request | range of rounds | ÷ node:http | requests counted |',
      '| ------------------- | ----- | ---------------------: | --------------: | ----------: | ---------------: |',
      '| Junction            | small |                  285.0 |               — |        0.95 |            3,000 |',
      '| Junction, 2 workers | small |                  190.0 |     180.0–300.0 |        0.63 |        3,000 × 3 |',
      '| node:http proxy     | small |                  300.0 |               — |           — |            3,000 |',
    ])
  })
})
