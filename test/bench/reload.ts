/**
 * The reload scenario: how long from a change of the dynamic file to the
 * last worker serving it. Junction logs `configuration generation N is live`
 * once every worker has acknowledged generation N; the bench times that line
 * and, for the one-router file, the first batch of requests on fresh
 * connections (spread over the workers by the kernel) that all carry the
 * new version's header.
 */
import { cpus } from 'node:os'
import { mkdtemp, rename, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import { hostRoutersDynamicConfig, routerHost, singleRouteDynamicConfig, versionHeader } from './lib/configs.ts'
import { errorMessage, firstLine, log } from './lib/log.ts'
import { median } from './lib/report.ts'
import { LiveLog, reloadWorkerCounts } from './lib/reload.ts'
import type { ReloadRow } from './lib/reload-report.ts'
import type { BenchSettings } from './lib/settings.ts'
import { fixed } from './lib/table.ts'
import { startJunction, type BenchContext } from './lib/targets.ts'

/** Requests per batch: 16 fresh connections reach each of 2 workers but with odds of 2 in 65,536, each of 4 with about 96%. */
export const probeCount = 16
const reloadFlags = ['--providers.providersThrottleDuration=0s', '--log.format=json', '--log.level=INFO']
// Only stops a run that hangs: a one-router version is live in milliseconds, the large file in seconds.
const versionDeadlineMs = 60_000
const largeStartMs = 120_000

/** One Junction process of the scenario: how many workers, which file, how many rewrites, whether to poll. */
interface ReloadRun {
  readonly workers: number
  readonly routers: number
  readonly rewrites: number
  /** The file of version `v`. */
  readonly file: (v: number) => string
  /** The Host header that reaches the versioned router, for the large file. */
  readonly host?: string
  /** Poll for the new header while the control plane works (the one-router file). */
  readonly poll: boolean
}

/** Every run: the one-router file at each worker count, then the large file with 1 and 2 workers. */
export function reloadRuns(s: BenchSettings, backendUrl: string, cores: number): ReloadRun[] {
  const single = reloadWorkerCounts(cores).map((workers) => ({
    workers,
    routers: 1,
    rewrites: s.reloads,
    file: (v: number) => singleRouteDynamicConfig(backendUrl, undefined, v),
    poll: true,
  }))
  const large = [1, 2].map((workers) => ({
    workers,
    routers: s.routersLarge,
    rewrites: s.applyRepeat,
    file: (v: number) => hostRoutersDynamicConfig(s.routersLarge, backendUrl, v),
    host: routerHost(s.routersLarge - 1),
    poll: false,
  }))
  return [...single, ...large]
}

/** Runs each in turn; a run that fails keeps the figures it had and gets a note. */
export async function runReloadScenario(ctx: BenchContext, s: BenchSettings): Promise<ReloadRow[]> {
  const rows: ReloadRow[] = []
  for (const run of reloadRuns(s, `http://127.0.0.1:${ctx.backendPort}`, cpus().length)) rows.push(await timeRewrites(ctx, run))
  return rows
}

async function timeRewrites(ctx: BenchContext, run: ReloadRun): Promise<ReloadRow> {
  const toLiveMs: number[] = []
  const toServingMs: number[] = []
  const batchMs: number[] = []
  const row = (note?: string): ReloadRow => ({
    workers: run.workers,
    routers: run.routers,
    rewrites: toLiveMs.length,
    toLiveMs,
    ...(run.poll ? { toServingMs, batchMs } : {}),
    ...(note === undefined ? {} : { note }),
  })
  const label = `reload ${run.workers} worker(s), ${run.routers} router(s)`
  const directory = await mkdtemp(join(ctx.workDir, 'reload-dynamic-'))
  const staging = await mkdtemp(join(ctx.workDir, 'reload-staging-'))
  // A rename lands the whole file at once, so the watcher never reads half of it.
  const install = async (v: number): Promise<void> => {
    await writeFile(join(staging, 'reload.yml'), run.file(v))
    await rename(join(staging, 'reload.yml'), join(directory, 'reload.yml'))
  }
  await install(0)
  const live = new LiveLog()
  let running
  try {
    running = await startJunction(ctx, {
      directory,
      workers: run.workers,
      flags: reloadFlags,
      onLine: live.onLine,
      timeoutMs: largeStartMs,
      ...(run.host === undefined ? {} : { probe: { path: '/small', host: run.host } }),
    })
  } catch (err) {
    log(`${label}: ${errorMessage(err)}`)
    return row(`start failed: ${firstLine(err)}`)
  }
  const { port, daemon } = running
  try {
    // Generation 0 is the empty one the workers start with; the first above it carries version 0.
    let generation = (await live.next(0, deadline(ctx))).generation
    for (let v = 1; v <= run.rewrites; v++) {
      const header = versionHeader(v)
      const probe = { port, name: header.name, value: header.value, ...(run.host === undefined ? {} : { host: run.host }) }
      await install(v)
      const writtenAt = Date.now()
      const written = performance.now()
      const signal = deadline(ctx)
      const [next, servingMs] = await Promise.all([
        live.next(generation, signal),
        run.poll ? timeUntilServing(probe, written, batchMs, signal) : Promise.resolve(undefined),
      ])
      if (next.generation !== generation + 1) throw new Error(`version ${v}: generation ${next.generation} went live after ${generation}, not one generation per rewrite`)
      generation = next.generation
      if (!run.poll && !(await allCarry(probe))) throw new Error(`version ${v}: generation ${generation} is live but a response lacks ${header.name}`)
      toLiveMs.push(next.atMs - writtenAt)
      if (servingMs !== undefined) toServingMs.push(servingMs)
    }
    log(`${label}: to live median ${fixed(median(toLiveMs), 0)} ms${run.poll ? `, to serving median ${fixed(median(toServingMs), 1)} ms` : ''}`)
    return row()
  } catch (err) {
    log(`${label}: ${errorMessage(err)}`)
    return row(`run failed: ${firstLine(err)}`)
  } finally {
    await ctx.daemons.stop(daemon)
  }
}

function deadline(ctx: BenchContext): AbortSignal {
  return AbortSignal.any([ctx.signal, AbortSignal.timeout(versionDeadlineMs)])
}

/** Where to look for a version's header: the port, the header, the Host that reaches the versioned router. */
interface Probe {
  readonly port: number
  readonly name: string
  readonly value: string
  readonly host?: string
}

/**
 * Milliseconds from `since` to the end of the first batch whose requests all
 * carried the header; batches follow without pause, and each one's duration
 * goes into `batchMs` (the figure's resolution).
 */
async function timeUntilServing(probe: Probe, since: number, batchMs: number[], signal: AbortSignal): Promise<number> {
  for (;;) {
    signal.throwIfAborted()
    const started = performance.now()
    const carried = await allCarry(probe)
    const ended = performance.now()
    batchMs.push(ended - started)
    if (carried) return ended - since
  }
}

/** Whether {@link probeCount} GETs, all at once and each on a fresh connection, all answered with the header's value. */
async function allCarry(probe: Probe): Promise<boolean> {
  const values = await Promise.all(Array.from({ length: probeCount }, () => headerValue(probe).catch(() => undefined)))
  return values.every((v) => v === probe.value)
}

/** One GET /small on a fresh connection: the value of the probe's header in the response. */
function headerValue(probe: Probe): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const headers = probe.host === undefined ? {} : { host: probe.host }
    const req = request({ host: '127.0.0.1', port: probe.port, path: '/small', headers, agent: false }, (res) => {
      const value = res.headers[probe.name.toLowerCase()]
      res.resume()
      res.once('end', () => resolve(typeof value === 'string' ? value : undefined))
      res.once('error', reject)
    })
    req.setTimeout(2000, () => req.destroy(new Error('GET /small: no response within 2 s')))
    req.once('error', reject)
    req.end()
  })
}
