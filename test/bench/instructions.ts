/**
 * The instructions scenario: how many instructions Junction executes per
 * proxied request, beside the minimal node:http proxy, counted by valgrind's
 * callgrind. CPU time per request moves by 20–40% from run to run on a
 * virtual machine; instruction counts repeat within a few percent, enough to
 * tell whether a change kept Junction's ratio to node:http. With
 * `BENCH_COMPARE_ROOT`, the Junction rows of another checkout are counted in
 * the same run, as "before".
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { Agent } from 'node:http'
import { join, resolve } from 'node:path'
import { countInstructions, callgrindPrefix } from './lib/callgrind.ts'
import { bodies, type Size } from './lib/configs.ts'
import type { InstructionsRow } from './lib/instructions-report.ts'
import { sendRequests } from './lib/keep-alive-load.ts'
import { errorMessage, firstLine, log } from './lib/log.ts'
import type { BenchSettings } from './lib/settings.ts'
import { fixed, grouped } from './lib/table.ts'
import { junction, junctionHostRouters, junctionRegexp, nodeHttp, type BenchContext, type Target } from './lib/targets.ts'

const sizes: readonly Size[] = ['small', '16k']

// Node under valgrind starts in tens of seconds; reading a 10,000-router file
// there takes minutes.
const readyTimeoutMs = 20 * 60_000
// Junction drains, then callgrind writes its last (empty) dump on exit.
const stopGraceMs = 60_000

/** One process to count: a target, from which checkout, at which sizes. */
interface Subject {
  readonly target: Target
  readonly root: string
  readonly before: boolean
  readonly sizes: readonly Size[]
  readonly host?: string
}

/** Every subject of the scenario, in the order they are counted: each Junction target then its "before", node:http last. */
export function subjects(repoRoot: string, s: BenchSettings): Subject[] {
  const routers = junctionHostRouters(s.routersLarge)
  const junctions = [
    { target: junction, sizes },
    { target: junctionRegexp, sizes },
    { target: routers, sizes: ['small'] as const, host: routers.host },
  ]
  return [
    ...junctions.flatMap((j) => [
      { ...j, root: repoRoot, before: false },
      ...(s.compareRoot === undefined ? [] : [{ ...j, root: s.compareRoot, before: true }]),
    ]),
    { target: nodeHttp, sizes, root: repoRoot, before: false },
  ]
}

/** Counts every subject; the rows come back by size (small first), in subject order within a size. */
export async function runInstructionsScenario(ctx: BenchContext, s: BenchSettings): Promise<InstructionsRow[]> {
  const rows: InstructionsRow[] = []
  for (const subject of subjects(ctx.repoRoot, s)) rows.push(...(await countSubject(ctx, s, subject)))
  return sizes.flatMap((size) => rows.filter((r) => r.size === size))
}

async function countSubject(ctx: BenchContext, s: BenchSettings, subject: Subject): Promise<InstructionsRow[]> {
  const label = subject.before ? `${subject.target.label}, before` : subject.target.label
  const base = { target: subject.target.name, label, before: subject.before }
  const notes = (note: string): InstructionsRow[] => subject.sizes.map((size) => ({ ...base, size, note }))
  const outFile = join(await mkdtemp(join(ctx.workDir, 'callgrind-')), 'callgrind.out')
  const launched: BenchContext = { ...ctx, repoRoot: subject.root, launch: { prefix: callgrindPrefix(outFile), readyTimeoutMs } }
  const missing = subject.target.missing(launched)
  if (missing) return notes(missing)
  const started = performance.now()
  let running
  try {
    running = await subject.target.start(launched)
  } catch (err) {
    log(`instructions ${label}: ${errorMessage(err)}`)
    return notes(`start failed: ${firstLine(err)}`)
  }
  const { daemon, port } = running
  if (!daemon) return notes('start failed: no process to count')
  log(`instructions ${label}: answering after ${fixed((performance.now() - started) / 1000, 0)} s under valgrind`)
  const agent = new Agent({ keepAlive: true, maxSockets: s.instructionsConcurrency })
  const rows: InstructionsRow[] = []
  try {
    for (const size of subject.sizes) {
      const load = (count: number): Promise<void> =>
        sendRequests({
          port,
          path: `/${size}`,
          ...(subject.host === undefined ? {} : { host: subject.host }),
          count,
          concurrency: s.instructionsConcurrency,
          expectedBytes: bodies[size].length,
          agent,
        })
      try {
        await load(s.instructionsWarmup)
        const instructions = await countInstructions(daemon.pid, outFile, () => load(s.instructionsRequests))
        rows.push({ ...base, size, count: { requests: s.instructionsRequests, instructions } })
        log(`instructions ${label} ${size}: ${grouped(instructions / s.instructionsRequests)} per request`)
      } catch (err) {
        log(`instructions ${label} ${size}: ${errorMessage(err)}`)
        rows.push({ ...base, size, note: `run failed: ${firstLine(err)}` })
      }
    }
  } finally {
    // Closing the client's connections first lets Junction's drain end at once.
    agent.destroy()
    await ctx.daemons.stop(daemon, stopGraceMs)
  }
  return rows
}

/**
 * `commit <sha>`, with a word when the checkout has uncommitted changes. The
 * report is committed, so it names commits, never the machine's folders.
 */
export function describeCheckout(checkout: string): string {
  const root = resolve(checkout)
  try {
    const git = (...args: string[]): string => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    const commit = git('rev-parse', '--short', 'HEAD')
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== ''
    return `commit ${commit}${dirty ? ', with uncommitted changes' : ''}`
  } catch {
    return 'a checkout git cannot describe'
  }
}
