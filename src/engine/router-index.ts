import type { CompiledRule, RouteRequest } from '../rules/http-matcher.ts'
import type { Handler } from '../core/context.ts'

export interface RouteEntry {
  /** Qualified router name. */
  readonly name: string
  readonly rule: CompiledRule
  readonly handler: Handler
}

interface Ranked extends RouteEntry {
  readonly rank: number
}

const none: readonly Ranked[] = []

/**
 * The routers of one entry point. Routers whose rule can only match a finite
 * set of exact hosts sit in a map by host; the rest are scanned in order. A
 * lookup walks the host's list and the generic list merged by rank, so 10,000
 * host routers cost what 10 do.
 */
export class RouterIndex {
  readonly #byHost = new Map<string, Ranked[]>()
  readonly #generic: Ranked[] = []
  readonly size: number

  /** `entries` must already be in routing order (highest priority first). */
  constructor(entries: readonly RouteEntry[]) {
    this.size = entries.length
    entries.forEach((entry, rank) => {
      const ranked: Ranked = { ...entry, rank }
      const hosts = entry.rule.hosts
      if (hosts === null) {
        this.#generic.push(ranked)
        return
      }
      for (const host of new Set(hosts)) {
        let list = this.#byHost.get(host)
        if (list === undefined) this.#byHost.set(host, (list = []))
        list.push(ranked)
      }
    })
  }

  /** The first router, in routing order, whose rule matches. */
  find(request: RouteRequest): RouteEntry | undefined {
    const hosted = this.#byHost.get(request.host) ?? none
    const generic = this.#generic
    let h = 0
    let g = 0
    while (h < hosted.length || g < generic.length) {
      const fromHost = hosted[h]
      const fromGeneric = generic[g]
      let next: Ranked
      if (fromGeneric === undefined || (fromHost !== undefined && fromHost.rank < fromGeneric.rank)) {
        next = fromHost as Ranked
        h++
      } else {
        next = fromGeneric
        g++
      }
      if (next.rule.match(request)) return next
    }
    return undefined
  }
}
