import { JunctionError } from '../errors.ts'
import type { Strategy } from './strategy.ts'
import { createWrr } from './wrr.ts'

/** Every strategy by its `loadBalancer.strategy` name; one line per strategy. `turns` is a sequence the instance's workers share. */
const strategies: Readonly<Record<string, (turns: (() => number) | undefined) => Strategy>> = {
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
export function createStrategy(name: string | undefined, turns?: () => number): Strategy {
  const create = strategies[(name ?? 'wrr').toLowerCase()]
  if (create === undefined) {
    throw new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `strategy ${JSON.stringify(name)} is not supported yet (${Object.keys(strategies).join(', ')})`)
  }
  return create(turns)
}
