import { readFileSync } from 'node:fs'
import type { ServersTransport } from '../config/dynamic.ts'
import { parseDuration } from '../config/duration.ts'
import { JunctionError } from '../errors.ts'
import { isInlinePem } from '../tls/pem.ts'

/**
 * A servers transport with Traefik's defaults applied, durations in
 * milliseconds and certificate files read. Plain data: the builder compares
 * transports by their JSON to decide whether a service can be kept.
 */
export interface ResolvedTransport {
  /** SNI and the name the certificate is checked against; '' = the server URL's host. */
  readonly serverName: string
  readonly insecureSkipVerify: boolean
  /** PEM contents; empty = the system's trust store. */
  readonly rootCAs: readonly string[]
  /** Client certificates (PEM contents) presented to https servers. */
  readonly certificates: readonly { readonly cert: string; readonly key: string }[]
  /** Idle keep-alive connections kept per server; negative disables reuse, as in Go. */
  readonly maxIdleConnsPerHost: number
  readonly disableHTTP2: boolean
  /** 0 = no limit. */
  readonly dialTimeout: number
  /** 0 = no limit. */
  readonly responseHeaderTimeout: number
  /** 0 = idle connections are never closed by Junction. */
  readonly idleConnTimeout: number
}

/** Traefik's defaults (`ServersTransport.SetDefaults`, `ForwardingTimeouts.SetDefaults`). */
const defaults = {
  maxIdleConnsPerHost: 200,
  dialTimeout: 30_000,
  responseHeaderTimeout: 0,
  idleConnTimeout: 90_000,
} as const

/**
 * Resolves the transport a service uses. As in Traefik, a named transport
 * stands alone on top of the defaults; the static (global) one applies only
 * to services that name none — the two are not merged field by field.
 *
 * @throws JunctionError `JCT_ERR_DYNAMIC_CONFIG` for a duration that does not
 *   parse or a certificate file that cannot be read.
 * @example
 * resolveServersTransport({ forwardingTimeouts: { responseHeaderTimeout: '10s' } })
 * // { ..., dialTimeout: 30000, responseHeaderTimeout: 10000, idleConnTimeout: 90000 }
 */
export function resolveServersTransport(named?: ServersTransport, global?: ServersTransport): ResolvedTransport {
  const source = named ?? global ?? {}
  const timeouts = source.forwardingTimeouts ?? {}
  return {
    serverName: source.serverName ?? '',
    insecureSkipVerify: source.insecureSkipVerify ?? false,
    rootCAs: (source.rootCAs ?? []).map((entry) => fileOrContent(entry, 'rootCAs')),
    certificates: (source.certificates ?? []).map((pair) => ({
      cert: fileOrContent(pair.certFile ?? '', 'certificates.certFile'),
      key: fileOrContent(pair.keyFile ?? '', 'certificates.keyFile'),
    })),
    maxIdleConnsPerHost: source.maxIdleConnsPerHost ?? defaults.maxIdleConnsPerHost,
    disableHTTP2: source.disableHTTP2 ?? false,
    dialTimeout: duration(timeouts.dialTimeout, defaults.dialTimeout),
    responseHeaderTimeout: duration(timeouts.responseHeaderTimeout, defaults.responseHeaderTimeout),
    idleConnTimeout: duration(timeouts.idleConnTimeout, defaults.idleConnTimeout),
  }
}

/** Negative durations mean "none" here, as a zero does. */
function duration(value: string | number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  return Math.max(0, Math.round(parseDuration(value)))
}

/** Traefik's FileOrContent: inline PEM is taken as is, anything else is a file path. */
function fileOrContent(entry: string, field: string): string {
  if (isInlinePem(entry)) return entry
  if (entry === '') throw new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `serversTransport ${field}: empty value`)
  try {
    return readFileSync(entry, 'utf8')
  } catch (error) {
    throw new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `serversTransport ${field}: reading ${entry}: ${(error as Error).message}`, {
      cause: error,
    })
  }
}

/** TLS options for one https server, shared by both forwarders and the upgrade path. */
export interface TlsSettings {
  readonly rejectUnauthorized: boolean
  /** Undefined = no SNI (the server is addressed by IP and no serverName is set). */
  readonly servername: string | undefined
  readonly ca?: string[]
  readonly cert?: string[]
  readonly key?: string[]
}

/**
 * Maps a transport to Node TLS options for a server at `hostname`. SNI is the
 * configured serverName, else the server URL's host (as Go does) — never the
 * client's Host header, which would make every client name a new TLS session.
 * RFC 6066 forbids an IP address as SNI, so none is sent for IP servers.
 */
export function tlsSettings(transport: ResolvedTransport, hostname: string, isIp: boolean): TlsSettings {
  const servername = transport.serverName !== '' ? transport.serverName : isIp ? undefined : hostname
  return {
    rejectUnauthorized: !transport.insecureSkipVerify,
    servername,
    ...(transport.rootCAs.length > 0 && { ca: [...transport.rootCAs] }),
    ...(transport.certificates.length > 0 && {
      cert: transport.certificates.map((pair) => pair.cert),
      key: transport.certificates.map((pair) => pair.key),
    }),
  }
}
