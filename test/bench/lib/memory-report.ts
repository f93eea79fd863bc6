import { fixed, grouped, markdownTable, type Column } from './table.ts'

/** The issue's target: 10,000 idle keep-alive client connections add less than this to a proxy's RSS, in MB (10^6 bytes). */
export const idleGrowthTargetMB = 200
/** The connection count that target is stated for; other counts get no verdict. */
export const idleTargetConnections = 10_000

/** What the memory scenario read of one proxy; memory in KiB as /proc prints it. */
export interface IdleMemoryResult {
  /** Connections held open and idle when `loadedRssKiB` was read. */
  readonly connections: number
  /** VmRSS after the proxy had forwarded its readiness probe, before any client connection. */
  readonly idleRssKiB: number
  /** VmRSS once every connection had its response. */
  readonly loadedRssKiB: number
  /** From starting the client to its ready line. */
  readonly openMs: number
}

/** One proxy of the memory table: a result (the median run), or why there is none. */
export interface IdleMemoryRow {
  readonly label: string
  /** Junction's data-plane workers in this row; absent for other proxies. */
  readonly workers?: number
  readonly result?: IdleMemoryResult
  /** Lowest and highest growth over the runs, in KiB, when there were several (`BENCH_REPEAT`). */
  readonly growthRangeKiB?: readonly [number, number]
  readonly note?: string
}

/**
 * The run with the median growth (the lower one of an even count), and the
 * range of the growths when there are several runs: a fresh process's RSS
 * growth varies by several MB from run to run.
 */
export function medianIdleRun(runs: readonly IdleMemoryResult[]): Pick<IdleMemoryRow, 'result' | 'growthRangeKiB'> {
  const growth = (r: IdleMemoryResult): number => r.loadedRssKiB - r.idleRssKiB
  const sorted = [...runs].sort((a, b) => growth(a) - growth(b))
  const first = sorted[0]
  const last = sorted[sorted.length - 1]
  if (first === undefined || last === undefined) throw new Error('measuring memory: no run to pick a median from')
  const result = sorted[Math.floor((sorted.length - 1) / 2)] ?? first
  return sorted.length === 1 ? { result } : { result, growthRangeKiB: [growth(first), growth(last)] }
}

/** The derived figures of one result: MB (10^6 bytes) as the issue states its targets, KiB per connection. */
export interface IdleMemoryFigures {
  readonly idleMB: number
  readonly growthMB: number
  readonly perConnectionKiB: number
}

const bytesPerKiB = 1024
const bytesPerMB = 1_000_000

export function idleMemoryFigures(r: IdleMemoryResult): IdleMemoryFigures {
  const growthKiB = r.loadedRssKiB - r.idleRssKiB
  return {
    idleMB: (r.idleRssKiB * bytesPerKiB) / bytesPerMB,
    growthMB: (growthKiB * bytesPerKiB) / bytesPerMB,
    perConnectionKiB: r.connections > 0 ? growthKiB / r.connections : Number.NaN,
  }
}

/** The memory table: idle RSS and its growth with the connections open, with the target's verdict. */
export function idleMemoryTable(rows: readonly IdleMemoryRow[], connections: number): string {
  const columns: Column[] = [
    { header: 'proxy' },
    { header: 'idle RSS MB', align: 'right' },
    { header: `+${grouped(connections)} connections MB`, align: 'right' },
    { header: 'KiB per connection', align: 'right' },
    { header: `< ${idleGrowthTargetMB} MB` },
    { header: 'growth range MB', align: 'right' },
    { header: 'opened in s', align: 'right' },
  ]
  const cells = rows.map((row) => {
    if (!row.result) return [row.label, '—', '—', '—', `not run: ${row.note ?? 'unknown'}`, '—', '—']
    const f = idleMemoryFigures(row.result)
    const verdict = row.result.connections !== idleTargetConnections ? '—' : f.growthMB < idleGrowthTargetMB ? 'yes' : 'NO'
    const range = row.growthRangeKiB?.map((kiB) => fixed((kiB * bytesPerKiB) / bytesPerMB, 1)).join('–') ?? '—'
    return [row.label, fixed(f.idleMB, 1), fixed(f.growthMB, 1), fixed(f.perConnectionKiB, 1), verdict, range, fixed(row.result.openMs / 1000, 1)]
  })
  return markdownTable(columns, cells)
}

/** How the memory table was measured and what it is held to, printed under it. */
export function idleMemoryLegend(connections: number, concurrency: number, runs: number): string {
  const median = runs > 1 ? ` Each row is the run with the median growth of ${runs}, each in a fresh process; the range is over all ${runs}.` : ''
  return (
    'Idle RSS: VmRSS of the proxy process (all its threads) once it has forwarded one request. Then a client in a ' +
    `process of its own opens ${grouped(connections)} keep-alive connections, ${concurrency} at a time, sends one GET /small ` +
    'on each and keeps it open once the response is in; the growth is VmRSS once all have their response minus idle RSS.' +
    `${median} MB are 10^6 bytes. Target: ${grouped(idleTargetConnections)} connections add < ${idleGrowthTargetMB} MB (no verdict for other counts).`
  )
}

/** The issue's target for an idle Junction with 2 workers (warm compile cache), in MB. */
export const idleTwoWorkersTargetMB = 150

/** The idle RSS of Junction's first start with a cold compile cache (2 workers), or why there is none. */
export type ColdStart = { readonly idleRssKiB: number } | { readonly note: string }

const toMB = (kiB: number): number => (kiB * bytesPerKiB) / bytesPerMB

/**
 * The lines under the table about workers: the idle RSS with 2 workers
 * against its target, what one more worker costs idle (2 workers − 1
 * worker), and the first start with a cold compile cache beside the warm one.
 */
export function workerMemoryLines(rows: readonly IdleMemoryRow[], cold: ColdStart): string[] {
  const idle = (workers: number): number | undefined => rows.find((r) => r.workers === workers)?.result?.idleRssKiB
  const one = idle(1)
  const two = idle(2)
  const twoLine =
    two === undefined
      ? 'Idle RSS, Junction with 2 workers: not measured (its row did not run)'
      : `Idle RSS, Junction with 2 workers: ${fixed(toMB(two), 1)} MB (target: < ${idleTwoWorkersTargetMB} MB; met: ${toMB(two) < idleTwoWorkersTargetMB ? 'yes' : 'NO'})`
  const perWorker =
    one === undefined || two === undefined
      ? 'not measured (a row did not run)'
      : `${fixed(toMB(two - one), 1)} MB`
  const coldLine =
    'note' in cold
      ? `not measured: ${cold.note}`
      : `${fixed(toMB(cold.idleRssKiB), 1)} MB${two === undefined ? '' : ` (${fixed(toMB(cold.idleRssKiB - two), 1)} MB more than with a warm cache)`}`
  return [
    twoLine,
    `Memory per worker, idle RSS with 2 workers − with 1 worker: ${perWorker}`,
    `Idle RSS, Junction with 2 workers on its first start with a cold compile cache: ${coldLine}`,
  ]
}

/** How the Junction rows of the memory table run, printed under its legend. */
export const junctionMemoryNote =
  'Junction rows start through `src/bin.js`, the installed command, with a warm compile cache: each row is started and stopped once ' +
  "before it is measured, with Node's default cache folder. With 2 workers, the kernel spreads the connections over both " +
  '(`SO_REUSEPORT`). The cold start has `NODE_COMPILE_CACHE` set to a fresh, empty folder of its own.'
