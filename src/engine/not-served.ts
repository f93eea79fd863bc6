import type { DynamicConfig } from '../config/dynamic.ts'
import { addError, entryOf, type ReportSection, type RuntimeReport } from '../config/report.ts'
import type { Logger } from '../observability/logger.ts'

interface Unserved {
  readonly protocol: 'tcp' | 'udp' | 'tls'
  readonly key: string
  readonly section: ReportSection
  readonly what: string
  /** Objects that would carry traffic are disabled; settings they would use only warn. */
  readonly critical: boolean
}

/** What the engine cannot serve yet: layer-4 routing and TLS arrive with their own issues. */
const unserved: readonly Unserved[] = [
  { protocol: 'tcp', key: 'routers', section: 'tcpRouters', what: 'tcp router', critical: true },
  { protocol: 'tcp', key: 'services', section: 'tcpServices', what: 'tcp service', critical: true },
  { protocol: 'tcp', key: 'middlewares', section: 'tcpMiddlewares', what: 'tcp middleware', critical: true },
  { protocol: 'tcp', key: 'serversTransports', section: 'tcpServersTransports', what: 'tcp serversTransport', critical: false },
  { protocol: 'udp', key: 'routers', section: 'udpRouters', what: 'udp router', critical: true },
  { protocol: 'udp', key: 'services', section: 'udpServices', what: 'udp service', critical: true },
  { protocol: 'tls', key: 'options', section: 'tlsOptions', what: 'tls options', critical: false },
  { protocol: 'tls', key: 'stores', section: 'tlsStores', what: 'tls store', critical: false },
]

/**
 * Reports every TCP, UDP and TLS object of a generation as not supported
 * yet, one entry and one log line each, so a configuration that relies on
 * them says so instead of going quietly unserved.
 */
export function reportNotServed(config: DynamicConfig, report: RuntimeReport, logger: Logger): void {
  for (const { protocol, key, section, what, critical } of unserved) {
    const objects = (config[protocol] as Record<string, Record<string, unknown> | undefined> | undefined)?.[key]
    for (const name of Object.keys(objects ?? {})) {
      const message = `${what} ${name}: ${protocol.toUpperCase()} ${critical ? 'routing is not supported yet, so it serves no traffic' : 'is not supported yet; this is ignored'}`
      addError(entryOf(report, section, name), message, critical)
      logger[critical ? 'error' : 'warn'](message)
    }
  }
  config.tls?.certificates?.forEach((certificate, index) => {
    const name = certificate.certFile !== undefined && !certificate.certFile.includes('-----BEGIN') ? certificate.certFile : `#${index}`
    const message = `tls certificate ${name}: TLS is not supported yet; this certificate is not served`
    addError(entryOf(report, 'tlsCertificates', name), message, false)
    logger.warn(message)
  })
}
