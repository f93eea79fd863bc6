/**
 * The instructions scenario: how many instructions Junction executes per
 * proxied request, beside the minimal node:http proxy, counted by valgrind's
 * callgrind. CPU time per request moves by 20–40% from run to run on a
 * virtual machine; instruction counts repeat within a few percent, enough to
 * tell whether a change kept Junction's ratio to node:http, and what a
 * second data-plane worker costs per request. With `BENCH_COMPARE_ROOT`, the
 * Junction rows of another checkout are counted in the same run, as "before".
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { Agent } from 'node:http'
import { join, resolve } from 'node:path'
import { countInstructions, callgrindPrefix } from './lib/callgrind.ts'
import { bodies, type Size } from './lib/configs.ts'
import { medianCount, type InstructionsRow } from './lib/instructions-report.ts'
import { sendRequests } from './lib/keep-alive-load.ts'
import { errorMessage, firstLine, log } from './lib/log.ts'
import type { BenchSettings } from './lib/settings.ts'
import { fixed, grouped } from './lib/table.ts'
import { hasWorkersOption, junction, junctionHostRouters, junctionRegexp, junctionVariant, nodeHttp, type BenchContext, type Target } from './lib/targets.ts'

const sizes: readonly Size[] = ['small', '16k']

// Node under valgrind starts in tens of seconds; reading a 10,000-router file
// there takes minutes.
const readyTimeoutMs = 20 * 60_000
// Junction drains, then callgrind writes its last (empty) dump on exit.
const stopGraceMs = 60_000
/**
 * Warm-up requests per round, each round on fresh keep-alive connections.
 * The kernel spreads connections, not requests, over Junction's workers, and
 * each worker is a V8 isolate that warms up on its own: over many
 * connections each of n workers gets about its share of n times the warm-up.
 */
const warmupRound = 500
/**
 * Counts of a row with more than one worker, one after the other in the same
 * process: under callgrind such a process has rounds with major collections
 * and V8 re-optimising Node's stream code, and others without, so one round
 * is a draw; the median of several, with their range, is the figure.
 */
export const multiWorkerRounds = 5

/** One process to count: a target, from which checkout, at which sizes, with how many data-plane workers. */
interface Subject {
  readonly target: Target
  readonly root: string
  readonly before: boolean
  readonly sizes: readonly Size[]
  readonly workers: number
  readonly host?: string
}

/**
 * Every subject of the scenario, in the order they are counted: each
 * Junction target then its "before", node:http last. A checkout without the
 * `workers` option (`supportsWorkers`) has no row with more than one worker.
 */
export function subjects(repoRoot: string, s: BenchSettings, supportsWorkers: (root: string) => boolean = hasWorkersOption): Subject[] {
  const routers = junctionHostRouters(s.routersLarge)
  const junctions = [
    { target: junction, sizes, workers: 1 },
    { target: junctionVariant('Junction, 2 workers', { workers: 2 }), sizes, workers: 2 },
    { target: junctionRegexp, sizes, workers: 1 },
    { target: routers, sizes: ['small'] as const, host: routers.host, workers: 1 },
  ]
  const runs = (root: string, workers: number): boolean => workers === 1 || supportsWorkers(root)
  const all: Subject[] = [
    ...junctions.flatMap((j) => [
      ...(runs(repoRoot, j.workers) ? [{ ...j, root: repoRoot, before: false }] : []),
      ...(s.compareRoot === undefined || !runs(s.compareRoot, j.workers) ? [] : [{ ...j, root: s.compareRoot, before: true }]),
    ]),
    { target: nodeHttp, sizes, workers: 1, root: repoRoot, before: false },
  ]
  // BENCH_TARGETS narrows the rows as in the other scenarios (a long warm-up for two rows, say).
  return s.targets.length === 0 ? all : all.filter((subject) => s.targets.includes(subject.target.name))
}

/** The sizes of the warm-up rounds for `total` requests: full rounds of `round`, then what is left. */
export function warmupRounds(total: number, round: number): number[] {
  const rounds = Array.from({ length: Math.floor(total / round) }, () => round)
  return total % round === 0 ? rounds : [...rounds, total % round]
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
  const newAgent = (): Agent => new Agent({ keepAlive: true, maxSockets: s.instructionsConcurrency })
  let agent = newAgent()
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
        // The last round's connections carry the counted requests, so the count holds no connection set-up.
        for (const count of warmupRounds(s.instructionsWarmup * subject.workers, warmupRound)) {
          agent.destroy()
          agent = newAgent()
          await load(count)
        }
        const rounds: number[] = []
        for (let i = 0; i < (subject.workers > 1 ? multiWorkerRounds : 1); i++) {
          const instructions = await countInstructions(daemon.pid, outFile, () => load(s.instructionsRequests))
          rounds.push(instructions)
          log(`instructions ${label} ${size}: ${grouped(instructions / s.instructionsRequests)} per request`)
        }
        rows.push({ ...base, size, count: medianCount(s.instructionsRequests, rounds) })
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
