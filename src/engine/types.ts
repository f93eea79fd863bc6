import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Logger } from 'pino'

/**
 * What the entry point learned about a request before routing it. One object
 * per request, created by the entry point and passed down the chain.
 */
export interface RequestContext {
  /** Name of the entry point that accepted the request. */
  readonly entryPoint: string
  /** Qualified name of the router that matched (`web@file`); '' before routing. */
  router: string
  /** The client's socket address, IPv4-mapped prefix removed (`127.0.0.1`, `::1`). */
  readonly clientIp: string
  /** True when the connection is TLS. */
  readonly secure: boolean
  /** True when the client is in `forwardedHeaders.trustedIPs` (or `insecure` is set): its X-Forwarded-* are kept. */
  readonly trustForwarded: boolean
  /** Set for upgrade requests (WebSocket): the raw socket and the bytes read past the headers. */
  readonly upgrade?: { readonly socket: Duplex; readonly head: Buffer }
}

/**
 * One step of the request path. `req.url` holds the normalised path plus query;
 * a handler may rewrite it (stripPrefix) before calling the next one.
 */
export type Handler = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => void | Promise<void>

/** Composed once per generation, never per request. */
export type Middleware = (next: Handler) => Handler

/** A problem a provider found in its source (a file that does not parse, a label that does not decode). */
export interface SourceProblem {
  /** Where: a file path, a container name, a KV key. */
  readonly source: string
  readonly message: string
}

/**
 * A whole snapshot of what one provider knows. `config` is raw (parsed, not
 * validated): the watcher validates it object by object, so one bad router
 * never takes the others down.
 */
export interface Snapshot {
  readonly config: Record<string, unknown>
  readonly problems: readonly SourceProblem[]
}

/** What the composition root hands a provider. */
export interface ProviderContext {
  readonly logger: Logger
}

/** A provider emits whole snapshots, never deltas, and keeps silent while its source is unreachable. */
export interface Provider {
  /** Qualifies every object it emits: `web@file`. */
  readonly name: string
  watch(signal: AbortSignal, context: ProviderContext): AsyncIterable<Snapshot>
}
