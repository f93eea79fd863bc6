import { resolve } from 'node:path'

/** The scenarios a run can do, in the order the report prints them; all by default. */
export const scenarioNames = ['peers', 'routers', 'streaming', 'memory', 'reload', 'instructions', 'docker'] as const
export type Scenario = (typeof scenarioNames)[number]

/** Everything a bench run can be told through the environment. */
export interface BenchSettings {
  /** Seconds of each measured wrk run (`BENCH_DURATION`; 10, or 2 with `BENCH_QUICK=1`). */
  readonly seconds: number
  /** Seconds of the unmeasured warm-up before each run (`BENCH_WARMUP`; 3, or 1 quick). */
  readonly warmupSeconds: number
  /** Measured runs per row, the median reported (`BENCH_REPEAT`, 1). */
  readonly repeat: number
  /** Keep-alive client connections (`BENCH_CONNECTIONS`, 50). */
  readonly connections: number
  /** Only these targets, by name (`BENCH_TARGETS=direct,nginx`); empty means all. */
  readonly targets: readonly string[]
  /** Which scenarios to run (`BENCH_SCENARIOS=peers,routers,streaming,memory,reload,instructions,docker`). */
  readonly scenarios: readonly Scenario[]
  /** Routers in the large file (`BENCH_ROUTERS`, 10000). */
  readonly routersLarge: number
  /** How many times the large file is applied and timed, in the routers and reload scenarios (`BENCH_APPLY_REPEAT`, 3). */
  readonly applyRepeat: number
  /** How many times the reload scenario rewrites its one-router file per worker count (`BENCH_RELOADS`, 20). */
  readonly reloads: number
  /** MiB of each upload and download in the streaming scenario (`BENCH_TRANSFER_MB`, 100). */
  readonly transferMiB: number
  /** Idle keep-alive connections the memory scenario opens (`BENCH_IDLE_CONNECTIONS`, 10000). */
  readonly idleConnections: number
  /** Connections the memory scenario's client opens at a time, each until its response (`BENCH_IDLE_CONCURRENCY`, 100). */
  readonly idleConcurrency: number
  /** Keep-alive connections of the instructions scenario's client (`BENCH_INSTRUCTIONS_CONCURRENCY`, 8). */
  readonly instructionsConcurrency: number
  /** Requests before counting starts, per row (`BENCH_INSTRUCTIONS_WARMUP`, 12000). */
  readonly instructionsWarmup: number
  /** Requests counted, per row (`BENCH_INSTRUCTIONS_REQUESTS`, 3000). */
  readonly instructionsRequests: number
  /**
   * Another checkout whose Junction the instructions scenario also measures,
   * labelled "before" (`BENCH_COMPARE_ROOT`, absolute); absent by default.
   */
  readonly compareRoot?: string
  /** Where the markdown report goes (`BENCH_OUTPUT`). */
  readonly output: string
  /** The CPU the proxy runs on; the load generator and backend get the other. */
  readonly proxyCore: number
  readonly loadCore: number
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  // wrk takes whole seconds only, and request counts are whole too.
  if (!Number.isInteger(n) || n <= 0) throw new Error(`reading ${name}: expected a positive integer, got ${JSON.stringify(raw)}`)
  return n
}

function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

/** Reads the bench settings from `env`; throws on a malformed value. */
export function parseSettings(env: NodeJS.ProcessEnv, defaultOutput: string): BenchSettings {
  const quick = env['BENCH_QUICK'] === '1' || env['BENCH_QUICK'] === 'true'
  const scenarios = list(env['BENCH_SCENARIOS'])
  const compareRoot = env['BENCH_COMPARE_ROOT']
  const known: readonly string[] = scenarioNames
  for (const s of scenarios) {
    if (!known.includes(s)) throw new Error(`reading BENCH_SCENARIOS: unknown scenario ${JSON.stringify(s)} (${scenarioNames.join(', ')})`)
  }
  return {
    seconds: positive(env, 'BENCH_DURATION', quick ? 2 : 10),
    warmupSeconds: positive(env, 'BENCH_WARMUP', quick ? 1 : 3),
    repeat: positive(env, 'BENCH_REPEAT', 1),
    connections: positive(env, 'BENCH_CONNECTIONS', 50),
    targets: list(env['BENCH_TARGETS']),
    scenarios: scenarios.length > 0 ? (scenarios as Scenario[]) : [...scenarioNames],
    routersLarge: positive(env, 'BENCH_ROUTERS', 10_000),
    applyRepeat: positive(env, 'BENCH_APPLY_REPEAT', 3),
    reloads: positive(env, 'BENCH_RELOADS', 20),
    transferMiB: positive(env, 'BENCH_TRANSFER_MB', 100),
    idleConnections: positive(env, 'BENCH_IDLE_CONNECTIONS', 10_000),
    idleConcurrency: positive(env, 'BENCH_IDLE_CONCURRENCY', 100),
    instructionsConcurrency: positive(env, 'BENCH_INSTRUCTIONS_CONCURRENCY', 8),
    instructionsWarmup: positive(env, 'BENCH_INSTRUCTIONS_WARMUP', 12_000),
    instructionsRequests: positive(env, 'BENCH_INSTRUCTIONS_REQUESTS', 3000),
    ...(compareRoot ? { compareRoot: resolve(compareRoot) } : {}),
    output: env['BENCH_OUTPUT'] || defaultOutput,
    proxyCore: 0,
    loadCore: 1,
  }
}
