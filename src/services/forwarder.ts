import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RequestContext } from '../core/context.ts'
import type { Outcome } from '../core/outcome.ts'
import type { ResolvedTransport, TlsSettings } from './servers-transport.ts'

/** One server of a load balancer, parsed once when the service is built. */
export interface Target {
  /** The server URL as configured (`http://10.0.0.1:8080/base`); an `h2c://` one as the `http://` URL it stands for. */
  readonly url: URL
  /** The URL as configured, normalised (`url.href`, or `h2c://...`), read once: outcomes and contexts name the server on every request. */
  readonly href: string
  /** `http://10.0.0.1:8080`: what connections are opened to. */
  readonly origin: string
  /** An `h2c://` server: cleartext HTTP/2 with prior knowledge (`url` and `origin` read `http://`). */
  readonly h2c: boolean
  /** Smooth WRR weight; 0 = never picked. */
  readonly weight: number
  /** Prefix the request path with the URL's path (Traefik's `preservePath`). */
  readonly preservePath: boolean
  /** Send the client's Host (true, the default) or the server URL's host. */
  readonly passHostHeader: boolean
  readonly transport: ResolvedTransport
  /** For https servers: the TLS options the transport resolves to for this host. */
  readonly tls: TlsSettings | undefined
}

/**
 * Streams requests to one server and responses back. It never answers a
 * failure itself: it reports it in the outcome (before or after the
 * response head), so a retry can try again and the request path renders the
 * error. Each forwarder owns its keep-alive connections; `close()` lets
 * in-flight exchanges finish, then closes them.
 */
export interface Forwarder {
  /** Forwards a plain HTTP request; resolves when the response is over or failed. */
  forward(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, target: Target): Promise<Outcome>
  /**
   * Proxies an upgrade (WebSocket) using `ctx.upgrade.{socket,head}`; resolves
   * when the tunnel closes. `res` is bound to that socket only so a refusal
   * can be a normal response; it is detached before the socket is handed over.
   */
  upgrade(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, target: Target): Promise<Outcome>
  close(): Promise<void>
}
