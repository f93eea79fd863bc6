import type { Server, Strategy } from './strategy.ts'

/**
 * Smooth weighted round robin, as nginx does it: on each pick every server's
 * current weight grows by its weight, the largest wins and drops by the total.
 * Over a cycle of `sum(weights)` picks each server is chosen exactly `weight`
 * times, interleaved rather than in bursts (3:1 gives A A B A, not A A A B).
 * Ties go to the server listed first, so the order is deterministic.
 * A server with weight 0 (or less) is never picked, as in Traefik.
 *
 * @example
 * const wrr = createWrr()
 * wrr.pick([{ weight: 3 }, { weight: 1 }], req)
 */
export function createWrr(): Strategy {
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
