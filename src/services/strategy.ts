import type { IncomingMessage } from 'node:http'
import { JunctionError } from '../errors.ts'
import { createWrr } from './wrr.ts'

/** What a strategy needs to know about a server: its weight (0 = never picked). */
export interface Server {
  readonly weight: number
}

/**
 * Picks the server for one request among the healthy ones. Stateful (round
 * robin position, connection counts) but never allocates per pick. The list
 * may change between calls as servers fail or recover.
 */
export interface Strategy {
  pick<S extends Server>(servers: readonly S[], req: IncomingMessage): S | undefined
}

/** Every strategy by its `loadBalancer.strategy` name; one line per strategy. */
const strategies: Readonly<Record<string, () => Strategy>> = {
  wrr: createWrr,
}

/**
 * The strategy a load balancer names, `wrr` when it names none (Traefik's default).
 *
 * @throws JunctionError `JCT_ERR_DYNAMIC_CONFIG` for a strategy Junction does not have.
 * @example
 * const strategy = createStrategy(config.strategy)
 * const server = strategy.pick(servers, req)
 */
export function createStrategy(name: string | undefined): Strategy {
  const create = strategies[(name ?? 'wrr').toLowerCase()]
  if (create === undefined) {
    throw new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `strategy ${JSON.stringify(name)} is not supported (${Object.keys(strategies).join(', ')})`)
  }
  return create()
}
