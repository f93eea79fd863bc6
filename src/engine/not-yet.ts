import { addError, type ObjectReport } from '../config/report.ts'
import type { Logger } from '../observability/logger.ts'

/**
 * Reports the options an object sets that Junction accepts but does not
 * honour yet, one warning each, so nothing configured is silently dropped.
 * `paths` are dotted (`sticky`, `forwardingTimeouts.pingTimeout`), inside
 * `within` (`loadBalancer`), which is '' for the object's own options.
 *
 * @example
 * reportNotYet(entry, 'service app@file', 'loadBalancer', balancer, ['sticky'], logger)
 * // warning: "service app@file: loadBalancer.sticky is not supported yet and is ignored"
 */
export function reportNotYet(
  entry: ObjectReport,
  object: string,
  within: string,
  config: Record<string, unknown> | undefined,
  paths: readonly string[],
  logger: Logger,
): void {
  if (config === undefined) return
  for (const path of paths) {
    if (valueAt(config, path) === undefined) continue
    const message = `${object}: ${within === '' ? '' : `${within}.`}${path} is not supported yet and is ignored`
    addError(entry, message, false)
    logger.warn(message)
  }
}

function valueAt(config: Record<string, unknown>, path: string): unknown {
  let value: unknown = config
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}
