import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dump as stringify } from 'js-yaml'
import { createJunction, loadConfiguration } from '../../src/composition.ts'
import type { ExchangeObserver } from '../../src/engine/entry-point.ts'
import type { Junction } from '../../src/engine/junction.ts'
import type { RoutingTable } from '../../src/engine/routing-table.ts'
import { silentLogger } from '../../src/observability/logger.ts'
import type { MiddlewareEntry, Provider } from '../../src/plugin.ts'

export interface TestJunction {
  readonly junction: Junction
  /** The dynamic configuration folder the file provider watches. */
  readonly dir: string
  /** `http://127.0.0.1:<port>` of an entry point (default `web`). */
  url(entryPoint?: string): string
  /** Writes `dynamic.yml` (or `name`) and waits until a generation built from it is live. */
  write(config: unknown, name?: string): Promise<RoutingTable>
  stop(): Promise<void>
}

/**
 * Starts the real engine in-process on 127.0.0.1:0 with the file provider on
 * a fresh temporary folder. `flags` are extra static flags, as on the command line.
 */
export async function startJunction(
  options: { flags?: string[]; providers?: Provider[]; middlewares?: MiddlewareEntry[]; onExchange?: ExchangeObserver; initial?: unknown } = {},
): Promise<TestJunction> {
  const dir = await mkdtemp(join(tmpdir(), 'junction-test-'))
  if (options.initial !== undefined) await writeFile(join(dir, 'dynamic.yml'), stringify(options.initial))
  const flags = options.flags ?? []
  const argv = [
    ...(flags.some((flag) => flag.startsWith('--entryPoints.')) ? [] : ['--entryPoints.web.address=127.0.0.1:0']),
    `--providers.file.directory=${dir}`,
    '--providers.providersThrottleDuration=0s',
    ...flags,
  ]
  const config = await loadConfiguration({ argv, env: {}, cwd: dir })
  const junction = createJunction(config, {
    logger: silentLogger(),
    configDir: dir,
    ...(options.providers && { extraProviders: options.providers }),
    ...(options.middlewares && { extraMiddlewares: options.middlewares }),
    ...(options.onExchange && { onExchange: options.onExchange }),
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

/** Resolves with the first generation that goes live after this call. */
export function nextGeneration(junction: Junction): Promise<RoutingTable> {
  const before = junction.table.generation
  return new Promise((resolve) => {
    const off = junction.onTable((table) => {
      if (table.generation > before) {
        off()
        resolve(table)
      }
    })
  })
}
