import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  catchAllRule,
  haproxyConfig,
  hostRoutersDynamicConfig,
  junctionStaticConfig,
  nginxArgs,
  nginxProxyConfig,
  routerHost,
  singleRouteDynamicConfig,
  sizesRegexpRule,
} from './configs.ts'
import { freePort, waitForStatus, type Daemon, type DaemonSet } from './processes.ts'
import { grouped } from './table.ts'

/** What every target needs to start: where the backend is, where to put files, who owns processes. */
export interface BenchContext {
  readonly daemons: DaemonSet
  readonly repoRoot: string
  /** A private temporary folder for configs, removed at the end. */
  readonly workDir: string
  readonly backendPort: number
  readonly proxyCore: number
  /** Aborted when the bench is interrupted (Ctrl-C): stops the load generator. */
  readonly signal: AbortSignal
  /** Run the Node targets (Junction, the Node peers) under a tool; absent: run them as they are. */
  readonly launch?: Launch
}

/** A tool the proxy runs under (the instructions scenario: valgrind), and how long it may take to answer. */
export interface Launch {
  /** The tool's command line; the proxy's own follows it. */
  readonly prefix: readonly [string, ...string[]]
  /** Readiness deadline: a proxy under valgrind starts tens of times slower. */
  readonly readyTimeoutMs: number
}

/** The command line that runs `command args` under `launch`'s tool, or as it is without one. */
export function launchCommand(launch: Launch | undefined, command: string, args: readonly string[]): { command: string; args: string[] } {
  if (!launch) return { command, args: [...args] }
  const [tool, ...toolArgs] = launch.prefix
  return { command: tool, args: [...toolArgs, command, ...args] }
}

/** A started target; `daemon` is absent for the baseline (no proxy). */
export interface RunningTarget {
  readonly port: number
  readonly daemon?: Daemon
}

/** One column of the side-by-side comparison. */
export interface Target {
  /** Stable name, used by `BENCH_TARGETS` and the ratio. */
  readonly name: string
  /** What the table prints. */
  readonly label: string
  /** Why the target cannot run on this machine (a missing package), or undefined. */
  missing(ctx: BenchContext): string | undefined
  /** Starts the target and resolves once it has proxied one request. */
  start(ctx: BenchContext): Promise<RunningTarget>
}

/** The path every readiness probe asks for; the backend serves it. */
export const probePath = '/small'

/** Why `binary` cannot run (not on the PATH, naming the Debian package to install), or undefined. */
export function which(binary: string, pkg: string): string | undefined {
  const dirs = (process.env['PATH'] ?? '').split(':').concat('/usr/sbin', '/usr/bin')
  return dirs.some((d) => existsSync(join(d, binary))) ? undefined : `${binary} not found: apt-get install ${pkg}`
}

async function ready(ctx: BenchContext, daemon: Daemon, port: number): Promise<RunningTarget> {
  try {
    await waitForStatus(daemon, { port, path: probePath, ...(ctx.launch ? { timeoutMs: ctx.launch.readyTimeoutMs } : {}) })
  } catch (err) {
    await ctx.daemons.stop(daemon)
    throw err
  }
  return { port, daemon }
}

/**
 * Junction's environment: the bench's own, minus any `JUNCTION_*` variable.
 * Junction reads those as static configuration, which would change what is
 * measured (or, for a key it refuses, keep it from starting).
 */
export function junctionEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('JUNCTION_')))
}

/**
 * Which file starts Junction: `src/main.ts`, or `src/bin.js`, the installed
 * command, which runs main.ts in the same process (on Node 24) after
 * enabling the compile cache, so that with a warm cache no thread loads
 * Node's TypeScript stripper (the memory scenario's figures).
 */
export type JunctionEntry = 'src/main.ts' | 'src/bin.js'

/** How one Junction process runs, beyond its files. */
export interface JunctionRun {
  /** Data-plane workers, passed as `--workers=N` (1 unless told; see {@link workersFlags}). */
  readonly workers?: number
  /** Static options (`--<option>=<value>`) after the static file, overriding it option by option. */
  readonly flags?: readonly string[]
  /** `src/main.ts` unless told. */
  readonly entry?: JunctionEntry
  /** Variables added to Junction's environment (`NODE_COMPILE_CACHE`). */
  readonly env?: Readonly<Record<string, string>>
  /** Called with each line Junction writes to stdout (its log). */
  readonly onLine?: (line: string) => void
}

/** Whether a checkout's `src/config/static-schema.ts` declares the `workers` static option. */
export function declaresWorkersOption(schema: string): boolean {
  return /^\s*workers\s*:/m.test(schema)
}

/**
 * Whether the checkout at `root` has the `workers` option. A checkout from
 * before the workers runs as one process and refuses the flag as unknown.
 */
export function hasWorkersOption(root: string): boolean {
  const schema = join(root, 'src/config/static-schema.ts')
  return existsSync(schema) && declaresWorkersOption(readFileSync(schema, 'utf8'))
}

/**
 * The flags that run `workers` data-plane workers: always explicit where the
 * option exists (`auto` follows the CPU affinity, and the bench pins Junction
 * to one core); none for a checkout without it, which runs as one process.
 */
export function workersFlags(workers: number, supported: boolean): string[] {
  if (supported) return [`--workers=${workers}`]
  if (workers === 1) return []
  throw new Error(`running ${workers} workers: this checkout has no workers option`)
}

/**
 * Starts Junction on a fresh port with the file provider watching `directory`,
 * with `workers` workers (1 unless told) and `flags` after the static file;
 * resolves once the probe answers 200.
 */
export async function startJunction(
  ctx: BenchContext,
  o: { directory: string; probe?: { path: string; host?: string }; timeoutMs?: number } & JunctionRun,
): Promise<RunningTarget & { daemon: Daemon }> {
  const port = await freePort()
  const staticFile = join(await mkdtemp(join(ctx.workDir, 'junction-static-')), 'static.yml')
  await writeFile(staticFile, junctionStaticConfig({ port, directory: o.directory }))
  const flags = [...workersFlags(o.workers ?? 1, hasWorkersOption(ctx.repoRoot)), ...(o.flags ?? [])]
  // The Node binary itself (not npx), so the PID measured is the proxy (valgrind execs it in place).
  const daemon = ctx.daemons.start({
    name: 'junction',
    ...launchCommand(ctx.launch, process.execPath, [join(ctx.repoRoot, o.entry ?? 'src/main.ts'), `--configFile=${staticFile}`, ...flags]),
    core: ctx.proxyCore,
    env: { ...junctionEnv(process.env), ...o.env },
    cwd: ctx.repoRoot,
    ...(o.onLine ? { onLine: o.onLine } : {}),
  })
  const probe = o.probe ?? { path: probePath }
  const timeoutMs = o.timeoutMs ?? ctx.launch?.readyTimeoutMs
  try {
    await waitForStatus(daemon, { port, ...probe, ...(timeoutMs ? { timeoutMs } : {}) })
  } catch (err) {
    await ctx.daemons.stop(daemon)
    throw err
  }
  return { port, daemon }
}

function junctionMissing(ctx: BenchContext): string | undefined {
  return existsSync(join(ctx.repoRoot, 'src/main.ts')) ? undefined : `${join(ctx.repoRoot, 'src/main.ts')} does not exist`
}

/** Junction with one router on `rule` to the backend, run as `run` says. */
function junctionWith(name: string, label: string, rule: string, run: JunctionRun = {}): Target {
  return {
    name,
    label,
    missing: junctionMissing,
    async start(ctx) {
      const directory = await mkdtemp(join(ctx.workDir, 'junction-dynamic-'))
      await writeFile(join(directory, 'bench.yml'), singleRouteDynamicConfig(`http://127.0.0.1:${ctx.backendPort}`, rule))
      return startJunction(ctx, { directory, ...run })
    },
  }
}

/**
 * Junction with the catch-all router of {@link junction}, run as `run` says
 * (a worker count; static options such as
 * `--entryPoints.web.transport.keepAliveMaxRequests=100`): one row per
 * configuration a scenario compares. Its name is `junction` followed by
 * what differs from the plain row.
 */
export function junctionVariant(label: string, run: JunctionRun): Target {
  const workers = run.workers === undefined || run.workers === 1 ? [] : [`${run.workers}-workers`]
  const parts = [...workers, ...(run.flags ?? []).map((f) => f.replace(/^--/, ''))]
  return junctionWith(parts.length === 0 ? 'junction' : `junction-${parts.join(',')}`, label, catchAllRule, run)
}

/** Junction with one catch-all `PathPrefix` router: the cost of the request path and the forwarder. */
export const junction: Target = junctionWith('junction', 'Junction', catchAllRule)

/**
 * Junction whose only router is a `PathRegexp` every request runs and
 * matches: what a regexp rule (re2js, linear time) adds per request.
 */
export const junctionRegexp: Target = junctionWith('junction-regexp', 'Junction (1 regexp router)', sizesRegexpRule)

/** A target whose requests must carry a Host header to be routed. */
export interface HostTarget extends Target {
  readonly host: string
}

/**
 * Junction with `count` `Host()` routers, each with its own service to the
 * backend, probed (and to be loaded) with the last router's Host header: the
 * cost of rule matching at scale.
 */
export function junctionHostRouters(count: number): HostTarget {
  const host = routerHost(count - 1)
  return {
    name: 'junction-host-routers',
    label: `Junction (${grouped(count)} host routers)`,
    host,
    missing: junctionMissing,
    async start(ctx) {
      const directory = await mkdtemp(join(ctx.workDir, 'junction-dynamic-'))
      await writeFile(join(directory, 'routers.yml'), hostRoutersDynamicConfig(count, `http://127.0.0.1:${ctx.backendPort}`))
      return startJunction(ctx, { directory, probe: { path: probePath, host } })
    },
  }
}

/** A Node proxy of `peers/`, started with the Node binary itself so that the PID measured is the proxy. */
function nodePeer(file: string, label: string): Target {
  return {
    name: file,
    label,
    missing: () => undefined,
    async start(ctx) {
      const port = await freePort()
      const daemon = ctx.daemons.start({
        name: label,
        ...launchCommand(ctx.launch, process.execPath, [
          join(ctx.repoRoot, 'test/bench/peers', `${file}.ts`),
          `--port=${port}`,
          `--target=http://127.0.0.1:${ctx.backendPort}`,
        ]),
        core: ctx.proxyCore,
        cwd: ctx.repoRoot,
      })
      return ready(ctx, daemon, port)
    },
  }
}

/** The yardstick every Junction figure is divided by: the least a Node proxy can do (`peers/node-http.ts`). */
export const nodeHttp: Target = nodePeer('node-http', 'node:http proxy')

const haproxy: Target = {
  name: 'haproxy',
  label: 'HAProxy',
  missing: () => which('haproxy', 'haproxy'),
  async start(ctx) {
    const port = await freePort()
    const file = join(ctx.workDir, 'haproxy.cfg')
    await writeFile(file, haproxyConfig({ port, backendPort: ctx.backendPort }))
    // -db: stay in the foreground, so the PID we hold is the one doing the work.
    const daemon = ctx.daemons.start({ name: 'haproxy', command: 'haproxy', args: ['-db', '-f', file], core: ctx.proxyCore })
    return ready(ctx, daemon, port)
  },
}

const nginx: Target = {
  name: 'nginx',
  label: 'nginx',
  missing: () => which('nginx', 'nginx-light'),
  async start(ctx) {
    const port = await freePort()
    const prefix = join(ctx.workDir, 'nginx-proxy')
    await mkdir(prefix, { recursive: true })
    await writeFile(join(prefix, 'nginx.conf'), nginxProxyConfig({ port, prefix, backendPort: ctx.backendPort }))
    const daemon = ctx.daemons.start({ name: 'nginx', command: 'nginx', args: nginxArgs(prefix), core: ctx.proxyCore })
    return ready(ctx, daemon, port)
  },
}

const direct: Target = {
  name: 'direct',
  label: 'direct (no proxy)',
  missing: () => undefined,
  start: (ctx) => Promise.resolve({ port: ctx.backendPort }),
}

/** Every target, in the order the table prints them. */
export const targets: readonly Target[] = [
  direct,
  junction,
  junctionVariant('Junction, 2 workers', { workers: 2 }),
  junctionRegexp,
  haproxy,
  nginx,
  nodeHttp,
  nodePeer('http-proxy', 'http-proxy'),
  nodePeer('http-proxy-3', 'http-proxy-3'),
  nodePeer('fastify-http-proxy', '@fastify/http-proxy'),
]
