/**
 * The memory scenario: what a proxy's resident memory is idle, and what
 * 10,000 idle keep-alive client connections add to it, Junction beside the
 * minimal node:http proxy. The client is a process of its own
 * (`clients/idle-connections.ts`), so its sockets are not counted.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { eventually } from '../support/eventually.ts'
import { bodies } from './lib/configs.ts'
import { openFileProblem, parseClosed, parseOpenFileLimit, parseReady, type ClientReport } from './lib/idle-connections.ts'
import { errorMessage, firstLine, log } from './lib/log.ts'
import { readMemory } from './lib/memory.ts'
import { idleMemoryFigures, medianIdleRun, type IdleMemoryResult, type IdleMemoryRow } from './lib/memory-report.ts'
import type { Daemon } from './lib/processes.ts'
import type { BenchSettings } from './lib/settings.ts'
import { fixed } from './lib/table.ts'
import { junctionWithFlags, nodeHttp, type BenchContext, type RunningTarget, type Target } from './lib/targets.ts'

/**
 * One row per Junction configuration measured: its label and the static
 * flags it runs with, after the bench's static file. A configuration to
 * compare (a worker count, say) is one more line here.
 */
export const junctionRows: readonly { readonly label: string; readonly flags: readonly string[] }[] = [{ label: 'Junction', flags: [] }]

/** Every proxy the scenario measures, in the order the table prints them. */
export function memoryTargets(): Target[] {
  return [...junctionRows.map((row) => junctionWithFlags(row.label, row.flags)), nodeHttp]
}

// 10,000 connections open in a few seconds; this only stops a client that hangs.
const openTimeoutMs = 120_000

/** Measures each target in turn; a target that fails gets a note in its row, the others still run. */
export async function runMemoryScenario(ctx: BenchContext, s: BenchSettings): Promise<IdleMemoryRow[]> {
  const problem = openFileProblem(parseOpenFileLimit(await readFile('/proc/self/limits', 'utf8')), s.idleConnections)
  if (problem) throw new Error(problem)
  const rows: IdleMemoryRow[] = []
  for (const target of memoryTargets()) rows.push(await measureTarget(ctx, s, target))
  return rows
}

/** Measures one target `s.repeat` times, each in a fresh process, and keeps the median run. */
async function measureTarget(ctx: BenchContext, s: BenchSettings, target: Target): Promise<IdleMemoryRow> {
  const base = { label: target.label }
  const missing = target.missing(ctx)
  if (missing) return { ...base, note: missing }
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
