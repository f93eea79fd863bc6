import { clockTicksPerSecond, readCoreTimes, treeCpuMicros } from './proc-stat.ts'
import { runWrk, type WrkOptions, type WrkResult } from './wrk.ts'

/** One measured run: wrk's figures plus CPU per request of the proxy and the backend. */
export interface Measurement extends WrkResult {
  /** Proxy CPU (all threads, all descendant processes) per completed request; absent for the baseline. */
  readonly proxyCpuUs?: number
  /** Backend CPU per completed request, to show that the backend is not the bottleneck. */
  readonly backendCpuUs: number
  /** Share of the proxy core's time the proxy used; near 100 when the proxy is the bottleneck. */
  readonly proxyCorePercent: number
  /**
   * Share of the proxy core's time used by anything else (other processes on a
   * shared machine): above a few percent, the row is noisy.
   */
  readonly othersPercent: number
  /**
   * Share of the load core's time the hypervisor gave to other machines
   * (steal). wrk and the backend then offer less load, the proxy handles
   * fewer requests per wake-up, and its CPU per request rises: above a few
   * percent, the row is disturbed even when `othersPercent` is 0.
   */
  readonly loadStealPercent: number
}

/** What to load and whose CPU to count. */
export interface MeasureOptions {
  readonly url: string
  readonly headers?: Readonly<Record<string, string>>
  readonly proxyPid?: number
  readonly backendPid: number
  readonly seconds: number
  readonly warmupSeconds: number
  readonly connections: number
  readonly loadCore: number
  readonly proxyCore: number
  /** Measured runs after the one warm-up (default 1). */
  readonly repeat?: number
  /** Stops the load generator when the bench is interrupted. */
  readonly signal?: AbortSignal
}

/** The part of the options every row of a run shares, from the bench settings. */
export function runOptions(
  s: { seconds: number; warmupSeconds: number; connections: number; loadCore: number; proxyCore: number; repeat: number },
  signal: AbortSignal | undefined,
): Pick<MeasureOptions, 'seconds' | 'warmupSeconds' | 'connections' | 'loadCore' | 'proxyCore' | 'repeat' | 'signal'> {
  const { seconds, warmupSeconds, connections, loadCore, proxyCore, repeat } = s
  return { seconds, warmupSeconds, connections, loadCore, proxyCore, repeat, ...(signal && { signal }) }
}

interface Snapshot {
  readonly proxyUs: number
  readonly backendUs: number
  readonly coreBusyUs: number
  readonly coreTotalUs: number
  readonly loadStealUs: number
  readonly loadTotalUs: number
}

async function snapshot(o: MeasureOptions): Promise<Snapshot> {
  const [proxyUs, backendUs, [core, load]] = await Promise.all([
    o.proxyPid === undefined ? 0 : treeCpuMicros(o.proxyPid),
    treeCpuMicros(o.backendPid),
    readCoreTimes([o.proxyCore, o.loadCore]),
  ])
  if (!core || !load) throw new Error('measuring: /proc/stat lacks a core')
  const us = 1e6 / clockTicksPerSecond()
  return {
    proxyUs,
    backendUs,
    coreBusyUs: core.busy * us,
    coreTotalUs: core.total * us,
    loadStealUs: load.steal * us,
    loadTotalUs: load.total * us,
  }
}

/**
 * Warms up (JIT, connection pools, nginx's file cache), then reads the CPU
 * counters of proxy, backend and proxy core right before and right after each
 * of `repeat` wrk runs, and divides the differences by the requests wrk
 * completed. With several runs, the one with the median CPU per request
 * stands for all (a shared machine has spikes that a mean would smear in).
 */
export async function measure(o: MeasureOptions): Promise<Measurement> {
  const load = {
    url: o.url,
    connections: o.connections,
    core: o.loadCore,
    ...(o.headers ? { headers: o.headers } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  }
  await runWrk({ ...load, seconds: o.warmupSeconds })
  const runs: Measurement[] = []
  for (let i = 0; i < (o.repeat ?? 1); i++) runs.push(await measureOnce(o, load))
  return medianRun(runs)
}

async function measureOnce(o: MeasureOptions, load: Omit<WrkOptions, 'seconds'>): Promise<Measurement> {
  const before = await snapshot(o)
  const result = await runWrk({ ...load, seconds: o.seconds })
  const after = await snapshot(o)
  const perRequest = (us: number): number => (result.requests > 0 ? us / result.requests : Number.NaN)
  const proxyUs = after.proxyUs - before.proxyUs
  const wallUs = after.coreTotalUs - before.coreTotalUs
  const othersUs = Math.max(0, after.coreBusyUs - before.coreBusyUs - proxyUs)
  return {
    ...result,
    ...(o.proxyPid === undefined ? {} : { proxyCpuUs: perRequest(proxyUs) }),
    backendCpuUs: perRequest(after.backendUs - before.backendUs),
    proxyCorePercent: wallUs > 0 ? (100 * proxyUs) / wallUs : Number.NaN,
    othersPercent: wallUs > 0 ? (100 * othersUs) / wallUs : Number.NaN,
    loadStealPercent: percentOf(after.loadStealUs - before.loadStealUs, after.loadTotalUs - before.loadTotalUs),
  }
}

function percentOf(part: number, whole: number): number {
  return whole > 0 ? (100 * part) / whole : Number.NaN
}

/** The run with the median proxy CPU per request (for the baseline, the median backend CPU); the lower one of an even count. */
export function medianRun(runs: readonly Measurement[]): Measurement {
  const key = (m: Measurement): number => m.proxyCpuUs ?? m.backendCpuUs
  const sorted = [...runs].sort((a, b) => key(a) - key(b))
  const pick = sorted[Math.floor((sorted.length - 1) / 2)]
  if (!pick) throw new Error('measuring: no run to pick a median from')
  return pick
}
