import type { IncomingMessage, ServerResponse } from 'node:http'
import { isIP } from 'node:net'
import type { RequestContext } from '../engine/types.ts'
import { JunctionError } from '../errors.ts'
import { HttpProxyForwarder } from './http-proxy-forwarder.ts'
import { tlsSettings, type ResolvedTransport, type TlsSettings } from './servers-transport.ts'
import { UndiciForwarder } from './undici-forwarder.ts'

/** One server of a load balancer, parsed once when the service is built. */
export interface Target {
  /** The server URL as configured (`http://10.0.0.1:8080/base`). */
  readonly url: URL
  /** `http://10.0.0.1:8080`: what connections are opened to. */
  readonly origin: string
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
 * Streams requests to one server and responses back. Each forwarder owns its
 * keep-alive connections; `close()` lets in-flight exchanges finish, then
 * closes them.
 */
export interface Forwarder {
  /** Forwards a plain HTTP request; always answers, through `respondError` when the server fails. */
  forward(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, target: Target): void
  /**
   * Proxies an upgrade (WebSocket) using `ctx.upgrade.{socket,head}`. `res` is
   * bound to that socket only so a refusal can be a normal response; it is
   * detached before the socket is handed over and never written afterwards.
   */
  upgrade(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, target: Target): void
  close(): Promise<void>
}

export type ForwarderKind = 'undici' | 'http-proxy'

/**
 * Creates a forwarder of the given kind. Both are complete; which one is the
 * default is decided by the benchmark in `test/bench/`.
 *
 * @example
 * const forwarder = createForwarder('undici')
 * forwarder.forward(req, res, ctx, target)
 * await forwarder.close()
 */
export function createForwarder(kind: ForwarderKind): Forwarder {
  return kind === 'undici' ? new UndiciForwarder() : new HttpProxyForwarder()
}

/**
 * Parses one `loadBalancer.servers` entry. The config validator rejects bad
 * URLs first; this is the last line, so the builder can disable the service.
 *
 * @throws JunctionError `JCT_ERR_DYNAMIC_CONFIG` for a missing, unparsable or non-http(s) URL.
 */
export function createTarget(
  server: { url?: string; weight?: number; preservePath?: boolean },
  transport: ResolvedTransport,
  passHostHeader: boolean,
): Target {
  const url = parseServerUrl(server.url)
  const weight = server.weight ?? 1
  if (typeof weight !== 'number' || !Number.isFinite(weight)) {
    throw new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `server ${url.href}: weight must be a number, got ${String(weight)}`)
  }
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
  return {
    url,
    origin: url.origin,
    weight: Math.max(0, weight),
    preservePath: server.preservePath ?? false,
    passHostHeader,
    transport,
    tls: url.protocol === 'https:' ? tlsSettings(transport, hostname, isIP(hostname) !== 0) : undefined,
  }
}

function parseServerUrl(value: unknown): URL {
  if (typeof value !== 'string' || value === '') {
    throw new JunctionError('JCT_ERR_DYNAMIC_CONFIG', 'server url is missing')
  }
  let url: URL
  try {
    url = new URL(value)
  } catch (error) {
    throw new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `server url ${JSON.stringify(value)} does not parse`, { cause: error })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `server url ${JSON.stringify(value)}: scheme ${url.protocol.slice(0, -1)} is not supported (http, https)`)
  }
  if (url.hostname === '') {
    throw new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `server url ${JSON.stringify(value)} has no host`)
  }
  return url
}
