import type { Logger } from '../observability/logger.ts'
import type { ObjectSchema } from '../config/schema.ts'
import type { Snapshot } from '../config/snapshot.ts'

export type { Snapshot, SourceProblem } from '../config/snapshot.ts'

/** What the composition root hands a provider. */
export interface ProviderContext {
  readonly logger: Logger
}

/** A provider emits whole snapshots, never deltas, and keeps silent while its source is unreachable. */
export interface Provider {
  /** Qualifies every object it emits: `web@file`. */
  readonly name: string
  watch(signal: AbortSignal, context: ProviderContext): AsyncIterable<Snapshot>
}

/** How the composition root creates one kind of provider from the static configuration. */
export interface ProviderEntry {
  /** The key under `providers` in the static configuration: `file` for `providers.file`. */
  readonly key: string
  /**
   * The provider's static options, in the schema language the static loader
   * validates with; fields marked `str({ path: true })` are resolved against
   * the configuration file's folder (or the working directory for flags and env).
   */
  readonly schema: ObjectSchema
  /**
   * What the schema cannot say (`filename` or `directory` must be set):
   * problems with the options, defaults applied, one message each; the
   * loader reports them with every other problem, prefixed `providers.<key>: `.
   */
  check?(options: Record<string, unknown>): string[]
  /**
   * Builds the provider from its validated static options (defaults applied,
   * durations in milliseconds, relative paths resolved against the
   * configuration file's folder).
   */
  create(options: Record<string, unknown>, context: { readonly configDir: string }): Provider
}
