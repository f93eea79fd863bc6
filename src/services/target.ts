import { isIP } from 'node:net'
import { JunctionError } from '../errors.ts'
import type { Target } from './forwarder.ts'
import { tlsSettings, type ResolvedTransport } from './servers-transport.ts'

/**
 * Parses one `loadBalancer.servers` entry. The config validator rejects bad
 * URLs first; this is the last line, so the builder can disable the service.
 *
 * @throws JunctionError `JCT_ERR_DYNAMIC_CONFIG` for a missing, unparsable or non-http(s) URL.
 * @example
 * const target = createTarget({ url: 'http://10.0.0.1:8080', weight: 2 }, transport, true)
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
    href: url.href,
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
