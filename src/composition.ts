/**
 * The composition root: the one module that reads the explicit lists of
 * providers and middlewares (`providers/index.ts`, `middlewares/index.ts`)
 * and hands them to the engine. The `junction` command, tests and embedders
 * start Junction through here.
 */
import { middlewares } from '../middlewares/index.ts'
import { providers } from '../providers/index.ts'
import { loadStaticConfig, type StaticSources } from './config/load-static.ts'
import type { StaticConfig } from './config/static.ts'
import { Junction, type Catalogue, type JunctionOptions } from './cluster/control-plane.ts'
import { createDnsProvider } from './tls/acme/dns/index.ts'

/** Every provider and middleware Junction ships. */
export const catalogue: Catalogue = { providers, middlewares }

/**
 * Reads the static configuration (file, environment, flags), providers'
 * options included.
 *
 * @throws StaticConfigError (`JCT_ERR_STATIC_CONFIG`) listing every problem.
 */
export function loadConfiguration(sources: StaticSources): Promise<StaticConfig> {
  return loadStaticConfig(sources, { providers })
}

/**
 * A Junction with every shipped provider, middleware and DNS-01 provider.
 *
 * @example
 * const junction = createJunction(await loadConfiguration(sources), { logger, configDir })
 * await junction.start()
 */
export function createJunction(config: StaticConfig, options: Omit<JunctionOptions, 'catalogue'>): Junction {
  return new Junction(config, { dnsProviders: createDnsProvider, ...options, catalogue })
}
