/**
 * The three parts of undici the data plane uses, each loaded from its own
 * module rather than from the package's index. The index loads all of
 * undici (fetch, WebSocket, EventSource, the cache, mock agents, proxy
 * agents): some 20 MB of RSS in every worker thread, against 9 MB for these
 * (measured with a worker thread importing each, compile cache warm). undici
 * publishes no `exports` map, so these paths are reachable; a test checks
 * that each is the very class or function the index exports, so an undici
 * that moves one fails the suite rather than a start.
 */
import { createRequire } from 'node:module'
import type * as Undici from 'undici'

const load = createRequire(import.meta.url)

export const Agent = load('undici/lib/dispatcher/agent.js') as typeof Undici.Agent
export const Pool = load('undici/lib/dispatcher/pool.js') as typeof Undici.Pool
export const buildConnector = load('undici/lib/core/connect.js') as typeof Undici.buildConnector

// The same names as types, as `import { Pool } from 'undici'` gives them.
export type Agent = Undici.Agent
export type Pool = Undici.Pool
export declare namespace Pool {
  type Options = Undici.Pool.Options
}
export declare namespace buildConnector {
  type connector = Undici.buildConnector.connector
  type Options = Undici.buildConnector.Options
  type Callback = Undici.buildConnector.Callback
}
