import type { IncomingMessage } from 'node:http'

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
