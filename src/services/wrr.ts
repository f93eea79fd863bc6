import type { Server, Strategy } from './strategy.ts'

/**
 * Smooth weighted round robin, as nginx does it: on each pick every server's
 * current weight grows by its weight, the largest wins and drops by the total.
 * Over a cycle of `sum(weights)` picks each server is chosen exactly `weight`
 * times, interleaved rather than in bursts (3:1 gives A A B A, not A A A B).
 * Ties go to the server listed first, so the order is deterministic.
 * A server with weight 0 (or less) is never picked, as in Traefik.
 *
 * With `turns` (a sequence every worker of the instance shares), the cycle
 * is the instance's, not each worker's: the n-th pick anywhere takes the
 * n-th place of the cycle, computed once per server list. A cycle too long
 * to precompute (`maxCycleWork`) falls back to this worker's own turns.
 *
 * @example
 * const wrr = createWrr()
 * wrr.pick([{ weight: 3 }, { weight: 1 }], req)
 */
export function createWrr(turns?: () => number): Strategy {
  const local = localWrr()
  if (turns === undefined) return local
  // A load balancer hands the same array until a health verdict changes it: one cycle per list.
  let list: readonly Server[] | undefined
  let cycle: Uint32Array | null = null
  return {
    pick<S extends Server>(servers: readonly S[], req: Parameters<Strategy['pick']>[1]): S | undefined {
      if (servers !== list) {
        list = servers
        cycle = smoothCycle(servers)
      }
      if (cycle === null) return local.pick(servers, req)
      if (cycle.length === 0) return undefined
      return servers[cycle[turns() % cycle.length] as number]
    },
  }
}

/** Cycles longer than this many server visits to compute (sum of weights × servers) fall back to per-worker turns. */
const maxCycleWork = 4_000_000

/** One whole smooth-WRR cycle as server indices, or null when it is too long to compute or a weight is not whole. */
function smoothCycle(servers: readonly Server[]): Uint32Array | null {
  let total = 0
  for (const server of servers) {
    if (!(server.weight > 0)) continue
    if (!Number.isInteger(server.weight)) return null
    total += server.weight
  }
  if (total * servers.length > maxCycleWork) return null
  const current = new Float64Array(servers.length)
  const cycle = new Uint32Array(total)
  for (let turn = 0; turn < total; turn++) {
    let best = -1
    for (let index = 0; index < servers.length; index++) {
      const weight = servers[index]?.weight ?? 0
      if (!(weight > 0)) continue
      current[index]! += weight
      if (best < 0 || (current[index] as number) > (current[best] as number)) best = index
    }
    current[best]! -= total
    cycle[turn] = best
  }
  return cycle
}

function localWrr(): Strategy {
  // Keyed by server object: the healthy list can shrink and grow between picks.
  const current = new WeakMap<Server, number>()
  return {
    pick<S extends Server>(servers: readonly S[]): S | undefined {
      let best: S | undefined
      let bestWeight = 0
      let total = 0
      for (const server of servers) {
        if (!(server.weight > 0)) continue
        const weight = (current.get(server) ?? 0) + server.weight
        current.set(server, weight)
        total += server.weight
        if (best === undefined || weight > bestWeight) {
          best = server
          bestWeight = weight
        }
      }
      if (best !== undefined) current.set(best, bestWeight - total)
      return best
    },
  }
}
