import type { Size } from './configs.ts'
import { isJunction, ratioWithin, yardstick } from './report.ts'
import { fixed, grouped, markdownTable, type Column } from './table.ts'

/** Requests counted, and the instructions the proxy executed for them. */
export interface InstructionsCount {
  readonly requests: number
  readonly instructions: number
  /** With several counts of `requests` each (rounds): the lowest and highest instructions of one; `instructions` is the median one. */
  readonly range?: readonly [number, number]
  /** How many counts of `requests` each were taken (1 unless told). */
  readonly rounds?: number
}

/**
 * The count of several rounds of the same requests in one process: the
 * median round (the lower one of an even number), with the range of all.
 */
export function medianCount(requests: number, rounds: readonly number[]): InstructionsCount {
  const sorted = [...rounds].sort((a, b) => a - b)
  const median = sorted[Math.floor((sorted.length - 1) / 2)]
  const low = sorted[0]
  const high = sorted[sorted.length - 1]
  if (median === undefined || low === undefined || high === undefined) throw new Error('counting instructions: no round to take a median of')
  return sorted.length === 1 ? { requests, instructions: median } : { requests, instructions: median, range: [low, high], rounds: sorted.length }
}

/** One line of the instructions table: a count, or why there is none. */
export interface InstructionsRow {
  readonly target: string
  readonly label: string
  /** Measured in the checkout of `BENCH_COMPARE_ROOT`, not this one. */
  readonly before: boolean
  readonly size: Size
  readonly count?: InstructionsCount
  readonly note?: string
}

/** Instructions per request of a row that has a count. */
export function perRequest(row: InstructionsRow): number | undefined {
  return row.count && row.count.requests > 0 ? row.count.instructions / row.count.requests : undefined
}

function ratio(row: InstructionsRow, base: InstructionsRow | undefined): number | undefined {
  const top = perRequest(row)
  const bottom = base && perRequest(base)
  return top === undefined || bottom === undefined || !(bottom > 0) ? undefined : top / bottom
}

/** A Junction row over the node:http proxy of this checkout at the same size; undefined for other rows. */
export function toYardstick(row: InstructionsRow, rows: readonly InstructionsRow[]): number | undefined {
  if (!isJunction(row.target)) return undefined
  return ratio(
    row,
    rows.find((r) => r.target === yardstick && !r.before && r.size === row.size),
  )
}

/** A Junction row of this checkout over the same target and size in the checkout before; undefined for other rows. */
export function toBefore(row: InstructionsRow, rows: readonly InstructionsRow[]): number | undefined {
  if (!isJunction(row.target) || row.before) return undefined
  return ratio(
    row,
    rows.find((r) => r.target === row.target && r.before && r.size === row.size),
  )
}

/** The target names of Junction with one catch-all router at one and at two workers. */
export const workerTargets = { one: 'junction', two: 'junction-2-workers' } as const
/** The issue's target: with a second worker, at most this many instructions per request over one worker. */
export const workersRatioTarget = 1.05

/** Junction with 2 workers over Junction with 1, this checkout, at each size where both have a count. */
export function workersRatios(rows: readonly InstructionsRow[]): { size: Size; ratio: number }[] {
  const find = (target: string, size: Size): InstructionsRow | undefined => rows.find((r) => r.target === target && !r.before && r.size === size)
  const sizes = [...new Set(rows.map((r) => r.size))]
  return sizes.flatMap((size) => {
    const two = find(workerTargets.two, size)
    const value = two && ratio(two, find(workerTargets.one, size))
    return value === undefined ? [] : [{ size, ratio: value }]
  })
}

/** The line under the table that holds the 2-worker ratio to its target, or why it cannot. */
export function workersRatioLine(rows: readonly InstructionsRow[]): string {
  const list = workersRatios(rows)
  const head = 'Instructions per request, Junction with 2 workers ÷ 1 worker'
  if (list.length === 0) return `${head}: not measured (a row of either did not run)`
  const ok = list.every((r) => ratioWithin(r.ratio, workersRatioTarget))
  const figures = list.map((r) => `${r.size} ${fixed(r.ratio, 2)}`).join(', ')
  return `${head}: ${figures} (target: ≤ ${fixed(workersRatioTarget, 2)}; met: ${ok ? 'yes' : 'NO'})`
}

/** The instructions table, in the order of `rows`; the `÷ before` column only when some row is from before. */
export function instructionsTable(rows: readonly InstructionsRow[]): string {
  const compared = rows.some((r) => r.before)
  const ranged = rows.some((r) => r.count?.range !== undefined)
  const columns: Column[] = [
    { header: 'target' },
    { header: 'size' },
    { header: 'k instructions/request', align: 'right' },
    ...(ranged ? [{ header: 'range of rounds', align: 'right' } as const] : []),
    { header: '÷ node:http', align: 'right' },
    ...(compared ? [{ header: '÷ before', align: 'right' } as const] : []),
    { header: 'requests counted', align: 'right' },
  ]
  const cells = rows.map((r) => {
    const each = perRequest(r)
    const range = r.count?.range?.map((n) => fixed(n / (r.count?.requests ?? 1) / 1000, 1)).join('–') ?? '—'
    const counted = r.count ? `${grouped(r.count.requests)}${r.count.rounds === undefined ? '' : ` × ${r.count.rounds}`}` : `not run: ${r.note ?? 'unknown'}`
    return [
      r.label,
      r.size,
      each === undefined ? '—' : fixed(each / 1000, 1),
      ...(ranged ? [range] : []),
      fixed(toYardstick(r, rows), 2),
      ...(compared ? [fixed(toBefore(r, rows), 2)] : []),
      counted,
    ]
  })
  return markdownTable(columns, cells)
}

/** How the instructions table was measured, printed under it. */
export function instructionsLegend(o: { warmup: number; requests: number; concurrency: number; rounds: number; before?: string }): string {
  const lines = [
    "Instructions the proxy process executed (valgrind's callgrind, event Ir, all threads) while it answered the counted " +
      `requests, ${grouped(o.concurrency)} at a time over keep-alive connections after ${grouped(o.warmup)} uncounted ones per worker, ` +
      `divided by the requests counted (${grouped(o.requests)} per row). Most rows repeat within about 3% from run to run (the first a process measures, within 8%), where ` +
      'CPU time per request on this machine moves by 20–40%.',
    '÷ node:http: over the minimal node:http proxy at the same size (for the host routers, its `/small` row, which carries no Host header of a router).',
    "Junction rows run with `--workers=1` (one data-plane worker thread beside the control plane) unless their label says otherwise; " +
      'with 2 workers, the kernel spreads the keep-alive connections over both (`SO_REUSEPORT`), and the uncounted requests go out ' +
      `in rounds of 500 on fresh connections so that each worker gets about its share. A row with more than one worker is counted ${o.rounds} times ` +
      'in a row in the same process and shows the median round with the range of all: under callgrind its count moves from round to ' +
      'round (see README.md, Instructions). A checkout without the `workers` option runs as one process.',
  ]
  if (o.before !== undefined) lines.push(`÷ before: over the same row of the checkout before (${o.before}); the node:http proxy is this checkout's.`)
  return lines.join('\n\n')
}
