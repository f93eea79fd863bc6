import { isIP } from 'node:net'
import { JunctionError } from '../errors.ts'
import type { Target } from './forwarder.ts'
import { tlsSettings, type ResolvedTransport } from './servers-transport.ts'

/**
 * Parses one `loadBalancer.servers` entry. The config validator rejects bad
 * URLs first; this is the last line, so the builder can disable the service.
 *
 * @throws JunctionError `JCT_ERR_DYNAMIC_CONFIG` for a missing or unparsable URL, or a scheme other than http, https and h2c.
 * @example
 * const target = createTarget({ url: 'http://10.0.0.1:8080', weight: 2 }, transport, true)
 */
export function createTarget(
  server: { url?: string; weight?: number; preservePath?: boolean },
  transport: ResolvedTransport,
  passHostHeader: boolean,
): Target {
  const { url, href, h2c } = parseServerUrl(server.url)
  const weight = server.weight ?? 1
  if (typeof weight !== 'number' || !Number.isFinite(weight)) {
    throw new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `server ${href}: weight must be a number, got ${String(weight)}`)
  }
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
  return {
    url,
    href,
    origin: url.origin,
    h2c,
    weight: Math.max(0, weight),
    preservePath: server.preservePath ?? false,
    passHostHeader,
    transport,
    tls: url.protocol === 'https:' ? tlsSettings(transport, hostname, isIP(hostname) !== 0) : undefined,
  }
}

/**
 * The URL connections are made with, and the server's name as written. An
 * `h2c://` URL (cleartext HTTP/2, Traefik's scheme) is read as the `http://`
 * one it stands for: WHATWG URL parses an unknown scheme's host, port and
 * path loosely, and gives it no origin. Its name keeps `h2c`, as the
 * configuration and health verdicts spell it.
 */
function parseServerUrl(value: unknown): { url: URL; href: string; h2c: boolean } {
  if (typeof value !== 'string' || value === '') {
    throw new JunctionError('JCT_ERR_DYNAMIC_CONFIG', 'server url is missing')
  }
  let written: URL
  let url: URL
  try {
    written = new URL(value)
    url = written.protocol === 'h2c:' ? new URL(`http:${value.slice(written.protocol.length)}`) : written
  } catch (error) {
    throw new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `server url ${JSON.stringify(value)} does not parse`, { cause: error })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `server url ${JSON.stringify(value)}: scheme ${url.protocol.slice(0, -1)} is not supported (http, https, h2c)`)
  }
  if (url.hostname === '') {
    throw new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `server url ${JSON.stringify(value)} has no host`)
  }
  return { url, href: written.href, h2c: written !== url }
}
