import type { DynamicConfig } from '../config/dynamic.ts'
import { mergeSnapshots } from '../config/merge.ts'
import type { ObjectSchema } from '../config/schema.ts'
import type { Snapshot, SourceProblem } from '../config/snapshot.ts'
import { validateDynamic, type ObjectError } from '../config/validate-dynamic.ts'
import type { Logger } from '../observability/logger.ts'
import { defaultGeneratedCertificate } from '../tls/default-certificate.ts'
import { resolveTls, type ReadText } from '../tls/tls-model.ts'
import type { AcmeTls } from '../tls/acme/acme-tls.ts'
import type { GenerationModel } from './data-plane.ts'

/** A provider's snapshot is validated once, however many times other providers change. */
const validated = new WeakMap<Snapshot, { config: DynamicConfig; errors: ObjectError[] }>()

/**
 * The control plane's half of a reload: from the latest snapshot of every
 * provider to generation `generation` of the model, each provider's objects
 * validated, then merged as `name@provider`. Workers build it.
 */
export function mergeModel(
  snapshots: ReadonlyMap<string, Snapshot>,
  generation: number,
  options: {
    readonly middlewareTypes: Readonly<Record<string, ObjectSchema>>
    readonly logger: Logger
    /** How the `tls` section's files are read (the control plane's cached reader); `readFileSync` otherwise. */
    readonly read?: ReadText
    /** The certificate resolvers: given the merged configuration, they order what it wants and return what they hold. */
    readonly acme?: (config: DynamicConfig) => AcmeTls
  },
): GenerationModel {
  const configs = new Map<string, DynamicConfig>()
  const rejected: Array<[string, readonly ObjectError[]]> = []
  const problems: Array<[string, readonly SourceProblem[]]> = []
  for (const [provider, snapshot] of snapshots) {
    let result = validated.get(snapshot)
    if (result === undefined) {
      result = validateDynamic(snapshot.config, { middlewareTypes: options.middlewareTypes })
      validated.set(snapshot, result)
      for (const error of result.errors) options.logger.error({ provider }, error.message)
    }
    configs.set(provider, result.config)
    rejected.push([provider, result.errors])
    problems.push([provider, snapshot.problems])
  }
  const merged = mergeSnapshots(configs)
  for (const error of merged.errors) options.logger.error({ provider: error.provider }, error.message)
  rejected.push(['', merged.errors])
  // The process's generated certificate: the control plane's, published to every worker with each generation.
  const tls = resolveTls(merged.config, defaultGeneratedCertificate(), options.read, options.acme?.(merged.config))
  return { generation, config: merged.config, rejected, problems, tls }
}

