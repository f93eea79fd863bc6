import { collections, type CollectionKind } from '../config/catalogue.ts'
import type { DynamicConfig } from '../config/dynamic.ts'
import { addError, entryOf, type RuntimeReport } from '../config/report.ts'
import type { Logger } from '../observability/logger.ts'

/** Objects that would carry traffic are disabled; settings they would use only warn. */
const carriesTraffic: ReadonlySet<CollectionKind> = new Set(['router', 'service', 'middleware'])

/**
 * What the engine cannot serve yet: layer-4 routing arrives with its own
 * issue. Every named collection of `tcp` and `udp`, in catalogue order (the
 * `tls` section is served: `build-certificates.ts`, `tls-model.ts`).
 */
const unserved = collections.filter((collection) => collection.section !== 'http' && collection.section !== 'tls')

/**
 * Reports every TCP and UDP object of a generation as not supported yet,
 * one entry and one log line each, so a configuration that relies on them
 * says so instead of going quietly unserved.
 */
export function reportNotServed(config: DynamicConfig, report: RuntimeReport, logger: Logger): void {
  for (const { section: protocol, key, report: section, noun, kind } of unserved) {
    const critical = carriesTraffic.has(kind)
    const objects = (config[protocol] as Record<string, Record<string, unknown> | undefined> | undefined)?.[key]
    for (const name of Object.keys(objects ?? {})) {
      const message = `${protocol} ${noun} ${name}: ${protocol.toUpperCase()} ${critical ? 'routing is not supported yet, so it serves no traffic' : 'is not supported yet; this is ignored'}`
      addError(entryOf(report, section, name), message, critical)
      logger[critical ? 'error' : 'warn'](message)
    }
  }
}
