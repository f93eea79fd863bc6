import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dump as stringify } from 'js-yaml'
import { createJunction, loadConfiguration } from '../../src/composition.ts'
import type { ExchangeObserver } from '../../src/engine/entry-point.ts'
import type { Junction, JunctionOptions, LiveGeneration } from '../../src/cluster/control-plane.ts'
import { silentLogger, type Logger } from '../../src/observability/logger.ts'
import type { MiddlewareEntry, Provider } from '../../src/provider-plugin.ts'

export interface TestJunction {
  readonly junction: Junction
  /** The dynamic configuration folder the file provider watches. */
  readonly dir: string
  /** `http://127.0.0.1:<port>` of an entry point (default `web`). */
  url(entryPoint?: string): string
  /** Writes `dynamic.yml` (or `name`) and waits until a generation built from it is live on every worker. */
  write(config: unknown, name?: string): Promise<LiveGeneration>
  stop(): Promise<void>
}

/** How many workers `startJunction` runs unless a test says: `JUNCTION_TEST_WORKERS` (the suite runs the engine tests with 1 and with 2). */
export function testWorkers(): number {
  return Number(process.env['JUNCTION_TEST_WORKERS'] ?? 1)
}

export interface StartOptions {
  /** Extra static flags, as on the command line. */
  flags?: string[]
  providers?: Provider[]
  /** Middleware types as functions: the workers then run in the test's thread. */
  middlewares?: MiddlewareEntry[]
  onExchange?: ExchangeObserver
  initial?: unknown
  /** Default: {@link testWorkers}. */
  workers?: number
  /** Default: worker threads, or the test's thread when functions are given; `inline` lets a test read a worker's table. */
  dataPlane?: 'threads' | 'inline'
  /** Module URLs each worker imports for more middleware types (works with threads). */
  workerModules?: string[]
  /** DNS-01 providers for certificate resolvers, and the environment they read. */
  dnsProviders?: JunctionOptions['dnsProviders']
  env?: JunctionOptions['env']
  /** The clock certificate renewal runs on. */
  clock?: JunctionOptions['clock']
  /** The logger (default: silent). */
  logger?: Logger
  /** The temporary folder to use (and remove at stop); default: a new one. */
  dir?: string
}

/**
 * Starts the real engine in-process on 127.0.0.1:0 with the file provider on
 * a fresh temporary folder: the control plane in the test's process, its
 * workers in threads of their own unless functions are given.
 */
export async function startJunction(options: StartOptions = {}): Promise<TestJunction> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'junction-test-')))
  if (options.initial !== undefined) await writeFile(join(dir, 'dynamic.yml'), stringify(options.initial))
  const flags = options.flags ?? []
  const argv = [
    ...(flags.some((flag) => flag.startsWith('--entryPoints.')) ? [] : ['--entryPoints.web.address=127.0.0.1:0']),
    `--providers.file.directory=${dir}`,
    '--providers.providersThrottleDuration=0s',
    `--workers=${options.workers ?? testWorkers()}`,
    ...flags,
  ]
  const config = await loadConfiguration({ argv, env: {}, cwd: dir })
  const junction = createJunction(config, {
    logger: options.logger ?? silentLogger(),
    configDir: dir,
    ...(options.dnsProviders && { dnsProviders: options.dnsProviders }),
    ...(options.env && { env: options.env }),
    ...(options.clock && { clock: options.clock }),
    ...(options.providers && { extraProviders: options.providers }),
    ...(options.middlewares && { extraMiddlewares: options.middlewares }),
    ...(options.onExchange && { onExchange: options.onExchange }),
    ...(options.dataPlane && { dataPlane: options.dataPlane }),
    ...(options.workerModules && { workerModules: options.workerModules }),
  })
  await junction.start()
  return {
    junction,
    dir,
    url: (entryPoint = 'web') => `http://127.0.0.1:${junction.addresses.get(entryPoint)?.port}`,
    write: async (config, name = 'dynamic.yml') => {
      const text = stringify(config)
      const live = nextGeneration(junction)
      await writeFile(join(dir, name), text)
      return live
    },
    stop: async () => {
      await junction.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** Resolves with the first generation that goes live on every worker after this call. */
export function nextGeneration(junction: Junction): Promise<LiveGeneration> {
  const before = junction.live.generation
  return new Promise((resolve) => {
    const off = junction.onLive((live) => {
      if (live.generation > before) {
        off()
        resolve(live)
      }
    })
  })
}
