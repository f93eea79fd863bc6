import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Outcome } from './outcome.ts'
import type { ResponseSeam } from './response-seam.ts'

/**
 * What Junction knows about one client connection. The connection layer
 * fills it once, before any protocol handler sees a byte; a PROXY-protocol
 * header or a TLS handshake may refine it there. Request handlers read it.
 */
export interface ConnectionInfo {
  /** The client's address, IPv4-mapped prefix removed (`127.0.0.1`, `::1`): the socket's peer, or what a trusted PROXY header says. */
  clientIp: string
  clientPort: number
  /** The port the client reached (the entry point's). */
  readonly localPort: number
  /** `performance.now()` when the connection was accepted (`keepAliveMaxTime` counts from it). */
  readonly openedAt: number
  /** True once the connection is TLS. */
  secure: boolean
  /** The TLS options its handshake used (`default`, `mtls@file`), picked by its SNI name; undefined in clear. */
  tlsOptions?: string
  /** The protocol ALPN chose in its handshake (`h2`, `http/1.1`); undefined in clear or when the client offered none. */
  alpnProtocol?: string
  /** The client may send X-Forwarded-* headers: it is in `forwardedHeaders.trustedIPs` (or `insecure` is set). */
  trusted: boolean
}

/**
 * What travels with one request down the chain. The entry point creates it;
 * the router, service and forwarder fill in what they decide, so access logs
 * and metrics can read who handled the request.
 */
export interface RequestContext {
  /** Name of the entry point that accepted the request. */
  readonly entryPoint: string
  readonly connection: Readonly<ConnectionInfo>
  /**
   * Whether the forwarder appends the client address to X-Forwarded-For:
   * false when the entry point sets `forwardedHeaders.notAppendXForwardedFor`.
   */
  readonly appendForwardedFor: boolean
  /** `performance.now()` when the request reached the entry point. */
  readonly start: number
  /** Qualified name of the router that matched (`web@file`); '' before routing. */
  router: string
  /** Qualified name of the service chosen (`app@file`); '' before one is. */
  service: string
  /** URL of the server chosen; '' before one is. */
  server: string
  /** Set for upgrade requests (WebSocket): the raw socket and the bytes read past the headers. */
  readonly upgrade: { readonly socket: Duplex; readonly head: Buffer } | undefined
  /** The response seam: interceptors registered here see and may change the response on its way out. */
  readonly response: ResponseSeam
}

/**
 * One step of the request path. `req.url` holds the normalised path plus
 * query; a handler may rewrite it (stripPrefix) before calling the next one,
 * and may leave the path empty (`stripPrefix` on `/api`, as in Traefik: the
 * server receives `/`, a later `addPrefix` makes it `/prefix`).
 * It resolves once the exchange is over, with how it ended: a handler never
 * answers a failure of the next one itself unless it means to (the request
 * path renders failures that happened before any response header).
 */
export type Handler = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => Promise<Outcome>

/** Composed once per generation, never per request. */
export type Middleware = (next: Handler) => Handler
