import type { Size } from './configs.ts'
import { isJunction, yardstick } from './report.ts'
import { fixed, grouped, markdownTable, type Column } from './table.ts'

/** Requests counted, and the instructions the proxy executed for them. */
export interface InstructionsCount {
  readonly requests: number
  readonly instructions: number
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

/** The instructions table, in the order of `rows`; the `÷ before` column only when some row is from before. */
export function instructionsTable(rows: readonly InstructionsRow[]): string {
  const compared = rows.some((r) => r.before)
  const columns: Column[] = [
    { header: 'target' },
    { header: 'size' },
    { header: 'k instructions/request', align: 'right' },
    { header: '÷ node:http', align: 'right' },
    ...(compared ? [{ header: '÷ before', align: 'right' } as const] : []),
    { header: 'requests counted', align: 'right' },
  ]
  const cells = rows.map((r) => {
    const each = perRequest(r)
    return [
      r.label,
      r.size,
      each === undefined ? '—' : fixed(each / 1000, 1),
      fixed(toYardstick(r, rows), 2),
      ...(compared ? [fixed(toBefore(r, rows), 2)] : []),
      r.count ? grouped(r.count.requests) : `not run: ${r.note ?? 'unknown'}`,
    ]
  })
  return markdownTable(columns, cells)
}

/** How the instructions table was measured, printed under it. */
export function instructionsLegend(o: { warmup: number; requests: number; concurrency: number; before?: string }): string {
  const lines = [
    "Instructions the proxy process executed (valgrind's callgrind, event Ir, all threads) while it answered the counted " +
      `requests, ${grouped(o.concurrency)} at a time over keep-alive connections after ${grouped(o.warmup)} uncounted ones, ` +
      `divided by the requests counted (${grouped(o.requests)} per row). Most rows repeat within about 3% from run to run (the first a process measures, within 8%), where ` +
      'CPU time per request on this machine moves by 20–40%.',
    '÷ node:http: over the minimal node:http proxy at the same size (for the host routers, its `/small` row, which carries no Host header of a router).',
  ]
  if (o.before !== undefined) lines.push(`÷ before: over the same row of the checkout before (${o.before}); the node:http proxy is this checkout's.`)
  return lines.join('\n\n')
}
