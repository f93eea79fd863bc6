import type { Size } from './configs.ts'
import type { Measurement } from './measure.ts'
import { fixed, grouped, markdownTable, type Column } from './table.ts'

/** One line of the side-by-side table: a measurement, or why there is none. */
export interface PeerRow {
  readonly target: string
  readonly label: string
  readonly size: Size
  readonly measurement?: Measurement
  readonly note?: string
}

/** The most Junction may spend per request relative to the minimal node:http proxy (DESIGN.md's forwarder budget). */
export const ratioTarget = 1.15

/**
 * Junction's ratio to the minimal node:http proxy in the last full run before
 * rules moved to re2js and the request path to outcomes and a response seam
 * (results.md of 2026-11-25, one `PathPrefix` router). The issue asks that a
 * regexp router and 10,000 host routers keep it: unchanged or better.
 */
export const ratioBefore: Readonly<Record<Size, number>> = { small: 0.72, '16k': 0.67 }

/** The name of the target every Junction row is compared with. */
export const yardstick = 'node-http'

/** Whether a target name is one of Junction's rows (`junction`, `junction-<variant>`). */
export function isJunction(target: string): boolean {
  return target === 'junction' || target.startsWith('junction-')
}

function errorsCell(m: Measurement): string {
  const n = m.non2xx + m.socketErrors
  return n === 0 ? '0' : `${grouped(n)} (${grouped(m.non2xx)} non-2xx)`
}

/** The side-by-side table: one row per target and size. */
export function peersTable(rows: readonly PeerRow[]): string {
  const columns: Column[] = [
    { header: 'target' },
    { header: 'size' },
    { header: 'req/s', align: 'right' },
    { header: 'p99 ms', align: 'right' },
    { header: 'proxy CPU µs/req', align: 'right' },
    { header: 'backend CPU µs/req', align: 'right' },
    { header: 'proxy core %', align: 'right' },
    { header: 'others %', align: 'right' },
    { header: 'load steal %', align: 'right' },
    { header: 'errors', align: 'right' },
  ]
  const cells = rows.map((r) => {
    const m = r.measurement
    if (!m) return [r.label, r.size, '—', '—', '—', '—', '—', '—', '—', `not run: ${r.note ?? 'unknown'}`]
    const proxyCore = m.proxyCpuUs === undefined ? '—' : fixed(m.proxyCorePercent, 0)
    return [
      r.label,
      r.size,
      grouped(m.requestsPerSecond),
      fixed(m.p99Ms, 2),
      fixed(m.proxyCpuUs, 1),
      fixed(m.backendCpuUs, 1),
      proxyCore,
      fixed(m.othersPercent, 0),
      fixed(m.loadStealPercent, 0),
      errorsCell(m),
    ]
  })
  return markdownTable(columns, cells)
}

/** Junction's CPU per request over the yardstick's, for one Junction row and size. */
export interface Ratio {
  readonly target: string
  readonly label: string
  readonly size: Size
  readonly junctionUs: number
  readonly yardstickUs: number
  readonly ratio: number
}

/** Pairs every measured Junction row with the yardstick row of the same size. */
export function ratios(rows: readonly PeerRow[]): Ratio[] {
  const out: Ratio[] = []
  for (const r of rows) {
    if (!isJunction(r.target) || r.measurement?.proxyCpuUs === undefined) continue
    const base = rows.find((b) => b.target === yardstick && b.size === r.size)?.measurement?.proxyCpuUs
    if (base === undefined || !(base > 0)) continue
    const junctionUs = r.measurement.proxyCpuUs
    out.push({ target: r.target, label: r.label, size: r.size, junctionUs, yardstickUs: base, ratio: junctionUs / base })
  }
  return out
}

/**
 * Native CPU per request of Junction with 2 workers over 1 worker, per size
 * both rows measured. The bench pins the proxy to one core, so both workers
 * share it: the line says so, and gives no verdict against the target, which
 * is about workers on cores of their own.
 */
export function workersCpuLine(rows: readonly PeerRow[]): string {
  const head = 'Proxy CPU per request, Junction with 2 workers ÷ 1 worker, both workers on the proxy\'s one core'
  const measured = [...new Set(rows.map((r) => r.size))]
  const figures = measured.flatMap((size) => {
    const cpu = (target: string): number | undefined => rows.find((r) => r.target === target && r.size === size)?.measurement?.proxyCpuUs
    const one = cpu('junction')
    const two = cpu('junction-2-workers')
    return one === undefined || two === undefined || !(one > 0) ? [] : [`${size} ${fixed(two / one, 2)}`]
  })
  if (figures.length === 0) return `${head}: not measured (a row of either did not run)`
  return `${head}: ${figures.join(', ')} (no verdict: the target, ≤ 1.05, is for workers on cores of their own)`
}

/** What the verdict columns of {@link ratiosTable} compare with, printed under it. */
export const ratiosLegend =
  `≤ ${ratioTarget}: DESIGN.md's budget for Junction against the minimal node:http proxy. ` +
  'before: the ratio of Junction with one `PathPrefix` router in the last full run before rules moved to re2js and ' +
  'the request path to outcomes and a response seam (2026-11-25); the regexp router and 10,000 host routers should keep it.'

function verdict(ok: boolean): string {
  return ok ? 'yes' : 'NO'
}

/**
 * Whether a ratio is at most `limit` at the precision both are printed with:
 * the limits are themselves ratios rounded to two decimals, so 0.7237 keeps
 * a 0.72 that was 0.7201.
 */
export function ratioWithin(ratio: number, limit: number): boolean {
  return Math.round(ratio * 100) <= Math.round(limit * 100)
}

/** The ratio table, with verdicts against {@link ratioTarget} and {@link ratioBefore}. */
export function ratiosTable(list: readonly Ratio[]): string {
  const columns: Column[] = [
    { header: 'Junction' },
    { header: 'size' },
    { header: 'Junction µs/req', align: 'right' },
    { header: 'node:http µs/req', align: 'right' },
    { header: 'ratio', align: 'right' },
    { header: `≤ ${ratioTarget}` },
    { header: 'before', align: 'right' },
    { header: '≤ before' },
  ]
  const cells = list.map((r) => [
    r.label,
    r.size,
    fixed(r.junctionUs, 1),
    fixed(r.yardstickUs, 1),
    fixed(r.ratio, 2),
    verdict(ratioWithin(r.ratio, ratioTarget)),
    fixed(ratioBefore[r.size], 2),
    verdict(ratioWithin(r.ratio, ratioBefore[r.size])),
  ])
  return markdownTable(columns, cells)
}

/** What the routers scenario measured. */
export interface RoutersResult {
  /** Measured before and after the large run, in the same process. */
  readonly small: { readonly routers: number; readonly before: Measurement; readonly after: Measurement }
  readonly large: { readonly routers: number; readonly measurement: Measurement }
  /** The minimal node:http proxy under the same load (same path and Host header), in the same scenario; absent if it failed. */
  readonly yardstick?: Measurement
  /** Milliseconds from the large file landing in the watched folder to the first 200 from its last router. */
  readonly applyMs: readonly number[]
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const hi = sorted[mid] ?? Number.NaN
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] ?? Number.NaN) + hi) / 2
}

/** The routers table: CPU per request at 10 vs many routers and of the yardstick, then the ratios and apply times. */
export function routersTable(r: RoutersResult): string {
  const columns: Column[] = [
    { header: 'run' },
    { header: 'req/s', align: 'right' },
    { header: 'p99 ms', align: 'right' },
    { header: 'proxy CPU µs/req', align: 'right' },
    { header: 'proxy core %', align: 'right' },
    { header: 'others %', align: 'right' },
    { header: 'load steal %', align: 'right' },
    { header: 'errors', align: 'right' },
  ]
  const row = (label: string, m: Measurement): string[] => [
    label,
    grouped(m.requestsPerSecond),
    fixed(m.p99Ms, 2),
    fixed(m.proxyCpuUs, 1),
    fixed(m.proxyCorePercent, 0),
    fixed(m.othersPercent, 0),
    fixed(m.loadStealPercent, 0),
    errorsCell(m),
  ]
  const small = grouped(r.small.routers)
  const large = grouped(r.large.routers)
  const table = markdownTable(columns, [
    row(`Junction, ${small} host routers (before)`, r.small.before),
    row(`Junction, ${large} host routers`, r.large.measurement),
    row(`Junction, ${small} host routers (after)`, r.small.after),
    ...(r.yardstick ? [row('node:http proxy', r.yardstick)] : []),
  ])
  const largeUs = r.large.measurement.proxyCpuUs ?? Number.NaN
  const smallUs = ((r.small.before.proxyCpuUs ?? Number.NaN) + (r.small.after.proxyCpuUs ?? Number.NaN)) / 2
  const toYardstick = largeUs / (r.yardstick?.proxyCpuUs ?? Number.NaN)
  const yardstickLine = r.yardstick
    ? `${fixed(toYardstick, 2)} (target: unchanged or better than ${fixed(ratioBefore.small, 2)}, the ratio before; met: ${verdict(ratioWithin(toYardstick, ratioBefore.small))})`
    : 'not measured (the node:http proxy did not run)'
  const applied = r.applyMs.map((ms) => fixed(ms, 0)).join(', ')
  return [
    table,
    '',
    `CPU per request, ${large} routers ÷ mean of the two ${small}-router runs: ${fixed(largeUs / smallUs, 2)} (target: ≤ 1.00 within noise)`,
    `CPU per request, ${large} routers ÷ minimal node:http proxy in this scenario: ${yardstickLine}`,
    `Time to apply a ${large}-router file: median ${fixed(median(r.applyMs), 0)} ms, max ${fixed(Math.max(...r.applyMs), 0)} ms over ${r.applyMs.length} runs (${applied}) (target: < 1000 ms)`,
  ].join('\n')
}

/** The most a proxy's resident memory may grow while it streams 100 MiB uploads and downloads. */
export const memoryGrowthTargetMiB = 50

/** What the streaming scenario read of one proxy; memory in KiB as /proc prints it. */
export interface StreamingResult {
  /** Bytes of every upload and every download. */
  readonly transferBytes: number
  /** VmRSS after start, when the peak was first reset. */
  readonly startRssKiB: number
  /** VmHWM after the first upload and download. */
  readonly firstPeakKiB: number
  /** VmRSS after the first round, when the peak was reset again. */
  readonly beforeRssKiB: number
  /** VmHWM after the measured rounds. */
  readonly peakKiB: number
  /** Duration of each measured upload and download. */
  readonly uploadMs: readonly number[]
  readonly downloadMs: readonly number[]
}

/** One proxy of the streaming table: a result, or why there is none. */
export interface StreamingRow {
  readonly target: string
  readonly label: string
  readonly result?: StreamingResult
  readonly note?: string
}

/** The derived figures of one streaming result, in MiB and MiB/s. */
export interface StreamingFigures {
  readonly startRssMiB: number
  /** Peak during the first round over the RSS at start: the one-off slack, not the target's subject. */
  readonly firstGrowthMiB: number
  readonly beforeRssMiB: number
  readonly peakMiB: number
  /** Peak during the measured rounds over the RSS before them: what the target bounds. */
  readonly peakGrowthMiB: number
  readonly uploadMiBps: number
  readonly downloadMiBps: number
}

const kiBPerMiB = 1024

function throughput(bytes: number, durationsMs: readonly number[]): number {
  const ms = durationsMs.reduce((sum, d) => sum + d, 0)
  return ms > 0 ? (bytes * durationsMs.length) / (1024 * 1024) / (ms / 1000) : Number.NaN
}

/** Peak growth and throughput out of the raw figures. */
export function streamingFigures(r: StreamingResult): StreamingFigures {
  return {
    startRssMiB: r.startRssKiB / kiBPerMiB,
    firstGrowthMiB: (r.firstPeakKiB - r.startRssKiB) / kiBPerMiB,
    beforeRssMiB: r.beforeRssKiB / kiBPerMiB,
    peakMiB: r.peakKiB / kiBPerMiB,
    peakGrowthMiB: (r.peakKiB - r.beforeRssKiB) / kiBPerMiB,
    uploadMiBps: throughput(r.transferBytes, r.uploadMs),
    downloadMiBps: throughput(r.transferBytes, r.downloadMs),
  }
}

/** How the streaming table was measured and what it is held to, printed under it. */
export function streamingLegend(transferMiB: number, rounds: number): string {
  return (
    `Each proxy streams one ${transferMiB} MiB upload and one ${transferMiB} MiB download (the first large transfer leaves ` +
    "garbage-collector slack in any Node proxy), then its peak is reset (`5` into /proc/<pid>/clear_refs) and it streams " +
    `${rounds} more of each. Peak growth: VmHWM after them minus VmRSS at the reset (target: < ${memoryGrowthTargetMiB} MiB).`
  )
}

/** The streaming table: memory per proxy around the transfers, with a verdict on the peak growth. */
export function streamingTable(rows: readonly StreamingRow[]): string {
  const columns: Column[] = [
    { header: 'proxy' },
    { header: 'RSS at start MiB', align: 'right' },
    { header: '1st round peak growth MiB', align: 'right' },
    { header: 'RSS before MiB', align: 'right' },
    { header: 'peak MiB', align: 'right' },
    { header: 'peak growth MiB', align: 'right' },
    { header: `< ${memoryGrowthTargetMiB} MiB` },
    { header: 'upload MiB/s', align: 'right' },
    { header: 'download MiB/s', align: 'right' },
  ]
  const cells = rows.map((row) => {
    if (!row.result) return [row.label, '—', '—', '—', '—', '—', `not run: ${row.note ?? 'unknown'}`, '—', '—']
    const f = streamingFigures(row.result)
    return [
      row.label,
      fixed(f.startRssMiB, 1),
      fixed(f.firstGrowthMiB, 1),
      fixed(f.beforeRssMiB, 1),
      fixed(f.peakMiB, 1),
      fixed(f.peakGrowthMiB, 1),
      verdict(f.peakGrowthMiB < memoryGrowthTargetMiB),
      fixed(f.uploadMiBps, 0),
      fixed(f.downloadMiBps, 0),
    ]
  })
  return markdownTable(columns, cells)
}
