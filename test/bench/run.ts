/**
 * `npm run bench`: Junction side by side with HAProxy, nginx and Node proxies
 * on one route (and with one regexp router), then Junction with 10 vs 10,000
 * host routers, then memory while streaming large uploads and downloads, then
 * memory with 10,000 idle keep-alive connections, then the time from a
 * dynamic-file change to the last worker serving it, then instructions per
 * request under callgrind beside the node:http proxy.
 * Prints one markdown report and writes it to test/bench/results.md.
 * Settings come from the environment (see lib/settings.ts; `BENCH_QUICK=1`
 * for ~2 s runs).
 */
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describeCheckout, multiWorkerRounds, runInstructionsScenario } from './instructions.ts'
import { measureDockerBuild } from './docker-build.ts'
import { measureDockerStartBurst } from './docker-start.ts'
import { startBackend, type Backend } from './lib/backend.ts'
import type { Size } from './lib/configs.ts'
import { instructionsLegend, instructionsTable, workersRatioLine } from './lib/instructions-report.ts'
import { errorMessage, firstLine, log } from './lib/log.ts'
import { machineHeader, prerequisiteProblem } from './lib/machine.ts'
import { measure, runOptions } from './lib/measure.ts'
import { idleMemoryLegend, idleMemoryTable, junctionMemoryNote, workerMemoryLines } from './lib/memory-report.ts'
import { DaemonSet } from './lib/processes.ts'
import { peersTable, ratios, ratiosLegend, ratiosTable, routersTable, workersCpuLine, streamingLegend, streamingTable, type PeerRow } from './lib/report.ts'
import { reloadLegend, reloadTable } from './lib/reload-report.ts'
import { parseSettings, type BenchSettings } from './lib/settings.ts'
import { grouped, fixed } from './lib/table.ts'
import { junction, targets, which, type BenchContext, type Target } from './lib/targets.ts'
import { runMemoryScenario } from './memory.ts'
import { probeCount, runReloadScenario } from './reload.ts'
import { runRoutersScenario } from './routers.ts'
import { measuredRounds, runStreamingScenario } from './streaming.ts'

const sizes: readonly Size[] = ['small', '16k']

/** Starts one target, measures every size on it, stops it; failures become notes in its rows. */
async function benchTarget(ctx: BenchContext, backend: Backend, s: BenchSettings, target: Target): Promise<PeerRow[]> {
  const base = { target: target.name, label: target.label }
  const missing = target.missing(ctx)
  if (missing) return sizes.map((size) => ({ ...base, size, note: missing }))
  let running
  try {
    running = await target.start(ctx)
  } catch (err) {
    log(`${target.label}: ${errorMessage(err)}`)
    return sizes.map((size) => ({ ...base, size, note: `start failed: ${firstLine(err)}` }))
  }
  const rows: PeerRow[] = []
  try {
    for (const size of sizes) {
      const m = await measure({
        url: `http://127.0.0.1:${running.port}/${size}`,
        ...(running.daemon ? { proxyPid: running.daemon.pid } : {}),
        backendPid: backend.daemon.pid,
        ...runOptions(s, ctx.signal),
      })
      log(`${target.label} ${size}: ${grouped(m.requestsPerSecond)} req/s, ${fixed(m.proxyCpuUs, 1)} µs/req`)
      rows.push({ ...base, size, measurement: m })
    }
  } catch (err) {
    log(`${target.label}: ${errorMessage(err)}`)
    for (const size of sizes.slice(rows.length)) rows.push({ ...base, size, note: `run failed: ${firstLine(err)}` })
  } finally {
    if (running.daemon) await ctx.daemons.stop(running.daemon)
  }
  return rows
}

async function peersSection(ctx: BenchContext, backend: Backend, s: BenchSettings): Promise<string> {
  const selected = targets.filter((t) => s.targets.length === 0 || s.targets.includes(t.name))
  const rows: PeerRow[] = []
  for (const t of selected) rows.push(...(await benchTarget(ctx, backend, s, t)))
  const bySize = sizes.flatMap((size) => rows.filter((r) => r.size === size))
  const parts = ['## One route, side by side', '', peersTable(bySize)]
  if (selected.some((t) => t.name === 'junction-2-workers')) parts.push('', workersCpuLine(rows))
  const list = ratios(rows)
  if (list.length > 0) parts.push('', '## Junction CPU per request ÷ minimal node:http proxy', '', ratiosTable(list), '', ratiosLegend)
  return parts.join('\n')
}

async function routersSection(ctx: BenchContext, backend: Backend, s: BenchSettings): Promise<string> {
  const title = `## Junction with 10 vs ${grouped(s.routersLarge)} host routers`
  const missing = junction.missing(ctx)
  if (missing) return `${title}\n\nnot run: ${missing}`
  try {
    return `${title}\n\n${routersTable(await runRoutersScenario(ctx, backend, s))}`
  } catch (err) {
    log(`routers: ${errorMessage(err)}`)
    return `${title}\n\nnot run: ${firstLine(err)}`
  }
}

async function streamingSection(ctx: BenchContext, s: BenchSettings): Promise<string> {
  const title = `## Memory while streaming ${grouped(s.transferMiB)} MiB uploads and downloads`
  try {
    const rows = await runStreamingScenario(ctx, s)
    return [title, '', streamingTable(rows), '', streamingLegend(s.transferMiB, measuredRounds)].join('\n')
  } catch (err) {
    log(`streaming: ${errorMessage(err)}`)
    return `${title}\n\nnot run: ${firstLine(err)}`
  }
}

async function memorySection(ctx: BenchContext, s: BenchSettings): Promise<string> {
  const title = `## Memory with ${grouped(s.idleConnections)} idle keep-alive connections`
  try {
    const { rows, cold } = await runMemoryScenario(ctx, s)
    const legend = idleMemoryLegend(s.idleConnections, s.idleConcurrency, s.repeat)
    return [title, '', idleMemoryTable(rows, s.idleConnections), '', ...workerMemoryLines(rows, cold), '', legend, '', junctionMemoryNote].join('\n')
  } catch (err) {
    log(`memory: ${errorMessage(err)}`)
    return `${title}\n\nnot run: ${firstLine(err)}`
  }
}

async function reloadSection(ctx: BenchContext, s: BenchSettings): Promise<string> {
  const title = '## Time from a dynamic-file change to the last worker serving it'
  const missing = junction.missing(ctx)
  if (missing) return `${title}\n\nnot run: ${missing}`
  try {
    const rows = await runReloadScenario(ctx, s)
    return [title, '', reloadTable(rows), '', reloadLegend({ probes: probeCount })].join('\n')
  } catch (err) {
    log(`reload: ${errorMessage(err)}`)
    return `${title}\n\nnot run: ${firstLine(err)}`
  }
}

async function instructionsSection(ctx: BenchContext, s: BenchSettings): Promise<string> {
  const title = '## Instructions per request (callgrind)'
  const missing = which('valgrind', 'valgrind') ?? which('callgrind_control', 'valgrind')
  if (missing) return `${title}\n\nnot run: ${missing}`
  // Described before the run: the checkout may change while valgrind works.
  const here = describeCheckout(ctx.repoRoot)
  const before = s.compareRoot === undefined ? {} : { before: describeCheckout(s.compareRoot) }
  const started = performance.now()
  try {
    const rows = await runInstructionsScenario(ctx, s)
    const legend = instructionsLegend({ warmup: s.instructionsWarmup, requests: s.instructionsRequests, concurrency: s.instructionsConcurrency, rounds: multiWorkerRounds, ...before })
    const minutes = fixed((performance.now() - started) / 60_000, 1)
    const tree = `This checkout, when the scenario started: ${here}. The scenario took ${minutes} min.`
    return [title, '', instructionsTable(rows), '', workersRatioLine(rows), '', legend, '', tree].join('\n')
  } catch (err) {
    log(`instructions: ${errorMessage(err)}`)
    return `${title}\n\nnot run: ${firstLine(err)}`
  }
}

async function dockerSection(): Promise<string> {
  const title = '## Docker provider'
  const lines = [title, '']
  try {
    const build = await measureDockerBuild(500, 20)
    lines.push(`- 500 labelled containers into a snapshot (the provider's pure builder, after 3 warm-up builds): median ${fixed(build.medianMs, 1)} ms, max ${fixed(build.maxMs, 1)} ms over 20 builds (target: under 100 ms)`)
  } catch (err) {
    log(`docker build: ${errorMessage(err)}`)
    lines.push(`- build: not run: ${firstLine(err)}`)
  }
  try {
    const burst = await measureDockerStartBurst(100)
    lines.push(
      `- 100 labelled containers started at once against a running Junction (Docker Engine on this machine, host network, 100 ms providers throttle): all routed ${grouped(burst.routedAfterLastStartMs)} ms after the last one's start event (target: within 3 s); the daemon took ${grouped(burst.startSpanMs)} ms from the first start event to the last`,
    )
  } catch (err) {
    log(`docker burst: ${errorMessage(err)}`)
    lines.push(`- start burst: not run: ${firstLine(err)}`)
  }
  return lines.join('\n')
}

async function main(): Promise<void> {
  const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
  const s = parseSettings(process.env, join(repoRoot, 'test/bench/results.md'))
  const problem = prerequisiteProblem(s)
  if (problem) throw new Error(`bench prerequisites: ${problem}`)
  // Keep this script's own threads off the proxy's core too.
  execFileSync('taskset', ['-a', '-p', '-c', String(s.loadCore), String(process.pid)], { stdio: 'ignore' })

  const daemons = new DaemonSet()
  const workDir = await mkdtemp(join(tmpdir(), 'junction-bench-'))
  const interrupted = new AbortController()
  const abort = (signal: NodeJS.Signals): void => {
    interrupted.abort()
    daemons.killAllNow()
    rmSync(workDir, { recursive: true, force: true })
    process.kill(process.pid, signal)
  }
  process.once('SIGINT', abort)
  process.once('SIGTERM', abort)
  try {
    const backend = await startBackend(daemons, workDir, s.loadCore)
    const ctx: BenchContext = { daemons, repoRoot, workDir, backendPort: backend.port, proxyCore: s.proxyCore, signal: interrupted.signal }
    const sections = ['# Junction benchmark', '', machineHeader(s)]
    if (s.scenarios.includes('peers')) sections.push('', await peersSection(ctx, backend, s))
    if (s.scenarios.includes('routers')) sections.push('', await routersSection(ctx, backend, s))
    if (s.scenarios.includes('streaming')) sections.push('', await streamingSection(ctx, s))
    if (s.scenarios.includes('memory')) sections.push('', await memorySection(ctx, s))
    if (s.scenarios.includes('reload')) sections.push('', await reloadSection(ctx, s))
    if (s.scenarios.includes('instructions')) sections.push('', await instructionsSection(ctx, s))
    if (s.scenarios.includes('docker')) sections.push('', await dockerSection())
    const report = `${sections.join('\n')}\n`
    process.stdout.write(report)
    await writeFile(s.output, report)
    log(`written to ${s.output}`)
  } finally {
    await daemons.stopAll()
    await rm(workDir, { recursive: true, force: true })
    process.removeListener('SIGINT', abort)
    process.removeListener('SIGTERM', abort)
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exitCode = 1
})
