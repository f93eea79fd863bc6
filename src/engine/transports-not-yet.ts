import type { ServersTransport } from '../config/dynamic.ts'
import type { ObjectReport } from '../config/report.ts'
import type { Logger } from '../observability/logger.ts'
import { reportNotYet } from './not-yet.ts'

/**
 * Servers-transport options Junction accepts but does not honour yet: the
 * TLS version and cipher controls and peer identity checks arrive with the
 * HTTPS issue, the HTTP/2 health pings with HTTP/2 to servers.
 */
export const transportNotYet = [
  'cipherSuites',
  'minVersion',
  'maxVersion',
  'peerCertURI',
  'peerCertSANs',
  'spiffe',
  'forwardingTimeouts.readIdleTimeout',
  'forwardingTimeouts.pingTimeout',
]

/** Reports, as warnings on the transport, the options it sets that are not honoured yet. */
export function reportTransportsNotYet(entry: ObjectReport, what: string, transport: ServersTransport, logger: Logger): void {
  reportNotYet(entry, what, '', transport as Record<string, unknown>, transportNotYet, logger)
}
