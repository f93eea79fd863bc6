/**
 * The memory scenario: what a proxy's resident memory is idle, and what
 * 10,000 idle keep-alive client connections add to it, Junction beside the
 * minimal node:http proxy, with 1 and 2 data-plane workers, and Junction's
 * idle RSS on a first start with a cold compile cache. The client is a
 * process of its own (`clients/idle-connections.ts`), so its sockets are not
 * counted.
 */
import { mkdtemp, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { eventually } from '../support/eventually.ts'
import { bodies } from './lib/configs.ts'
import { openFileProblem, parseClosed, parseOpenFileLimit, parseReady, type ClientReport } from './lib/idle-connections.ts'
import { errorMessage, firstLine, log } from './lib/log.ts'
import { readMemory } from './lib/memory.ts'
import { idleMemoryFigures, medianIdleRun, type ColdStart, type IdleMemoryResult, type IdleMemoryRow } from './lib/memory-report.ts'
import type { Daemon } from './lib/processes.ts'
import type { BenchSettings } from './lib/settings.ts'
import { fixed } from './lib/table.ts'
import { junctionVariant, nodeHttp, type BenchContext, type RunningTarget, type Target } from './lib/targets.ts'

/**
 * One row per Junction configuration measured: its label, its data-plane
 * workers and the static flags its run adds after the bench's static file.
 * A configuration to compare is one more line here.
 */
export const junctionRows: readonly { readonly label: string; readonly workers: number; readonly flags: readonly string[] }[] = [
  { label: 'Junction, 1 worker', workers: 1, flags: [] },
  { label: 'Junction, 2 workers', workers: 2, flags: [] },
]

/**
 * The installed command: with a warm compile cache no thread of it loads
 * Node's TypeScript stripper, which `node src/main.ts` loads for its main
 * thread.
 */
const entry = 'src/bin.js'

/** A proxy the scenario measures; a Junction row is started and stopped once first, to warm the compile cache. */
export interface MemorySubject {
  readonly target: Target
  readonly workers?: number
  readonly warmFirst: boolean
}

/** Every proxy the scenario measures, in the order the table prints them. */
export function memorySubjects(): MemorySubject[] {
  return [
    ...junctionRows.map((row) => ({ target: junctionVariant(row.label, { workers: row.workers, flags: row.flags, entry }), workers: row.workers, warmFirst: true })),
    { target: nodeHttp, warmFirst: false },
  ]
}

// 10,000 connections open in a few seconds; this only stops a client that hangs.
const openTimeoutMs = 120_000

/** What the scenario measured: the table's rows and the cold start. */
export interface MemoryScenarioResult {
  readonly rows: IdleMemoryRow[]
  readonly cold: ColdStart
}

/** Measures each target in turn, then Junction's cold start; a target that fails gets a note in its row, the others still run. */
export async function runMemoryScenario(ctx: BenchContext, s: BenchSettings): Promise<MemoryScenarioResult> {
  const problem = openFileProblem(parseOpenFileLimit(await readFile('/proc/self/limits', 'utf8')), s.idleConnections)
  if (problem) throw new Error(problem)
  const rows: IdleMemoryRow[] = []
  for (const subject of memorySubjects()) rows.push(await measureSubject(ctx, s, subject))
  return { rows, cold: await coldStart(ctx) }
}

/**
 * The idle RSS of Junction with 2 workers on its first start, with a compile
 * cache of its own in a fresh folder (`NODE_COMPILE_CACHE`): every thread
 * then compiles Junction's files, loading Node's TypeScript stripper. The
 * shared default cache folder is never emptied.
 */
async function coldStart(ctx: BenchContext): Promise<ColdStart> {
  const cache = await mkdtemp(join(ctx.workDir, 'compile-cache-'))
  const target = junctionVariant('Junction, 2 workers, cold compile cache', { workers: 2, entry, env: { NODE_COMPILE_CACHE: cache } })
  let running: RunningTarget
  try {
    running = await target.start(ctx)
  } catch (err) {
    log(`memory ${target.label}: ${errorMessage(err)}`)
    return { note: `start failed: ${firstLine(err)}` }
  }
  try {
    if (running.daemon === undefined) return { note: 'started without a process' }
    const { rssKiB } = await readMemory(running.daemon.pid)
    log(`memory ${target.label}: idle ${fixed((rssKiB * 1024) / 1e6, 1)} MB`)
    return { idleRssKiB: rssKiB }
  } finally {
    if (running.daemon) await ctx.daemons.stop(running.daemon)
  }
}

/** Starts and stops a target once: Junction writes its compile cache, so the measured start finds it warm. */
async function warm(ctx: BenchContext, target: Target): Promise<void> {
  const running = await target.start(ctx)
  if (running.daemon) await ctx.daemons.stop(running.daemon)
}

/** Measures one target `s.repeat` times, each in a fresh process, and keeps the median run. */
async function measureSubject(ctx: BenchContext, s: BenchSettings, subject: MemorySubject): Promise<IdleMemoryRow> {
  const { target } = subject
  const base = { label: target.label, ...(subject.workers === undefined ? {} : { workers: subject.workers }) }
  const missing = target.missing(ctx)
  if (missing) return { ...base, note: missing }
  if (subject.warmFirst) {
    try {
      await warm(ctx, target)
    } catch (err) {
      log(`memory ${target.label}: ${errorMessage(err)}`)
      return { ...base, note: `warm-up start failed: ${firstLine(err)}` }
    }
  }
  const runs: IdleMemoryResult[] = []
  for (let i = 0; i < s.repeat; i++) {
    let running: RunningTarget
    try {
      running = await target.start(ctx)
    } catch (err) {
      return { ...base, note: `start failed: ${firstLine(err)}` }
    }
    try {
      const result = await holdConnections(ctx, s, running)
      const f = idleMemoryFigures(result)
      log(`memory ${target.label}: idle ${fixed(f.idleMB, 1)} MB, +${fixed(f.growthMB, 1)} MB (${fixed(f.perConnectionKiB, 1)} KiB per connection)`)
      runs.push(result)
    } catch (err) {
      log(`memory ${target.label}: ${errorMessage(err)}`)
      return { ...base, note: `run failed: ${firstLine(err)}` }
    } finally {
      if (running.daemon) await ctx.daemons.stop(running.daemon)
    }
  }
  return { ...base, ...medianIdleRun(runs) }
}

/** Reads the idle RSS, opens the connections from the client, reads the RSS once all are in, and checks none closed by then. */
async function holdConnections(ctx: BenchContext, s: BenchSettings, running: RunningTarget): Promise<IdleMemoryResult> {
  const pid = running.daemon?.pid
  if (pid === undefined) throw new Error('started without a process')
  const idle = await readMemory(pid)
  const started = performance.now()
  const client = ctx.daemons.start({
    name: 'idle-connections client',
    command: process.execPath,
    args: [
      join(ctx.repoRoot, 'test/bench/clients/idle-connections.ts'),
      `--port=${running.port}`,
      '--path=/small',
      `--connections=${s.idleConnections}`,
      `--concurrency=${s.idleConcurrency}`,
      `--expectedBytes=${Buffer.byteLength(bodies.small)}`,
    ],
    core: s.loadCore,
    cwd: ctx.repoRoot,
  })
  try {
    const report = await clientReady(client)
    const openMs = performance.now() - started
    const loaded = await readMemory(pid)
    if (report.open !== s.idleConnections) {
      const why = report.first === undefined ? '' : ` (first failure: ${report.first})`
      throw new Error(`${report.open} of ${s.idleConnections} connections open and idle${why}`)
    }
    const closedAfterMs = parseClosed(client.output())
    if (closedAfterMs !== undefined) throw new Error(`the proxy closed an idle connection ${closedAfterMs} ms after the last response, before RSS was read`)
    return { connections: report.open, idleRssKiB: idle.rssKiB, loadedRssKiB: loaded.rssKiB, openMs }
  } finally {
    await ctx.daemons.stop(client)
  }
}

/** Polls the client's output for its ready line; fails with its output if it exits first. */
async function clientReady(client: Daemon): Promise<ClientReport> {
  let exited: string | undefined
  void client.exited.then((code) => (exited = String(code)))
  const report = await eventually(
    () => {
      const ready = parseReady(client.output())
      if (ready !== undefined || exited !== undefined) return ready
      throw new Error(`idle-connections client: no ready line within ${openTimeoutMs} ms: ${client.output()}`)
    },
    { timeout: openTimeoutMs, interval: 50 },
  )
  if (report === undefined) throw new Error(`idle-connections client exited (${exited}) before its ready line: ${client.output()}`)
  return report
}
