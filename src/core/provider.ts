import type { Logger } from '../observability/logger.ts'
import type { ProviderOptionsEntry } from '../config/static-providers.ts'
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

/**
 * How the composition root creates one kind of provider from the static
 * configuration: its options' key, schema and checks (what the static loader
 * reads; fields marked `str({ path: true })` resolve against the
 * configuration file's folder), and the factory.
 */
export interface ProviderEntry extends ProviderOptionsEntry {
  /**
   * Builds the provider from its validated static options (defaults applied,
   * durations in milliseconds, relative paths resolved against the
   * configuration file's folder).
   */
  create(options: Record<string, unknown>, context: ProviderCreateContext): Provider
}

/** What a provider is created with besides its options: where the static configuration lives. */
export interface ProviderCreateContext {
  /** Folder of the static configuration file, or the working directory. */
  readonly configDir: string
  /**
   * The static configuration file, absolute, when there is one. Traefik lets
   * it hold dynamic sections too: a provider that reads it takes only those.
   */
  readonly configFile?: string
}
