import { median } from './report.ts'
import { fixed, grouped, markdownTable, type Column } from './table.ts'

/** What the reload scenario measured for one Junction process: one figure per rewrite of its file. */
export interface ReloadRow {
  readonly workers: number
  /** Routers in the rewritten file: 1, or the large count. */
  readonly routers: number
  /** Rewrites that had both figures; fewer than asked when the run failed on the way. */
  readonly rewrites: number
  /** From the rename's completion to the `time` of the line saying its generation is live on every worker, ms. */
  readonly toLiveMs: readonly number[]
  /** From the rename's completion to the end of the first batch of fresh-connection requests that all carried the new header, ms; absent when not polled. */
  readonly toServingMs?: readonly number[]
  /** How long each batch of requests took while polling, ms: the resolution of `toServingMs`. */
  readonly batchMs?: readonly number[]
  readonly note?: string
}

function stat(values: readonly number[] | undefined, pick: (v: readonly number[]) => number, decimals: number): string {
  return values === undefined || values.length === 0 ? '—' : fixed(pick(values), decimals)
}

const max = (values: readonly number[]): number => Math.max(...values)

/** The reload table: per Junction process, median and max of both figures. */
export function reloadTable(rows: readonly ReloadRow[]): string {
  const columns: Column[] = [
    { header: 'Junction' },
    { header: 'routers', align: 'right' },
    { header: 'rewrites', align: 'right' },
    { header: 'to live median ms', align: 'right' },
    { header: 'to live max ms', align: 'right' },
    { header: 'to serving median ms', align: 'right' },
    { header: 'to serving max ms', align: 'right' },
    { header: 'batch median ms', align: 'right' },
    { header: 'note' },
  ]
  const cells = rows.map((r) => [
    `${r.workers} worker${r.workers === 1 ? '' : 's'}`,
    grouped(r.routers),
    grouped(r.rewrites),
    stat(r.toLiveMs, median, 0),
    stat(r.toLiveMs, max, 0),
    stat(r.toServingMs, median, 1),
    stat(r.toServingMs, max, 1),
    stat(r.batchMs, median, 1),
    r.note ?? '',
  ])
  return markdownTable(columns, cells)
}

/** How the reload table was measured, printed under it. */
export function reloadLegend(o: { probes: number }): string {
  return [
    'Each rewrite writes the next version of the dynamic file beside the watched folder and renames it in (so the file is never read ' +
      'half-written); each version adds a response header of its own through a `headers` middleware (`customResponseHeaders`), on the ' +
      'one router or on the last of the large file. Junction runs pinned to one core (its workers share it), with ' +
      '`--providers.providersThrottleDuration=0s --log.format=json --log.level=INFO`. Both figures include the file provider\'s debounce ' +
      '(the quiet time it waits for after a file event before it reads the folder again).',
    "To live: from the rename's completion to the `time` of the JSON log line `configuration generation N is live`, which the control " +
      'plane writes once every worker has acknowledged that version (millisecond clock on both sides; each rewrite must make exactly one ' +
      'generation, or the row fails).',
    `To serving: from the rename's completion to the end of the first batch of ${grouped(o.probes)} requests, each on a fresh ` +
      'connection (which the kernel spreads over the workers), that all carry the new header; batches follow each other without pause ' +
      'while the control plane works (and take some of its core), so the figure includes part of a batch: `batch median ms` is how ' +
      'long one took. Not polled for the large file, whose header is only checked once after it is live.',
  ].join('\n\n')
}
