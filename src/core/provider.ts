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

/** What a provider is created with besides its options: where the static configuration lives, and what Junction writes. */
export interface ProviderCreateContext {
  /** Folder of the static configuration file, or the working directory. */
  readonly configDir: string
  /**
   * The static configuration file, absolute, when there is one. Traefik lets
   * it hold dynamic sections too: a provider that reads it takes only those.
   */
  readonly configFile?: string
  /**
   * Files Junction itself writes (its log, its access log), absolute. A
   * provider that watches files must not react to them: each reaction could
   * log a line, which would be a change, which would be a reaction.
   */
  readonly ownFiles?: readonly string[]
  /**
   * Where Junction's own entry points listen, once bound (port 0 resolved).
   * A provider that discovers servers refuses one at any of these: it would
   * send Junction's traffic back to Junction (Traefik's CVE-2023-47633).
   */
  readonly listening?: readonly ListeningAddress[]
}

/** One entry point's bound address. */
export interface ListeningAddress {
  readonly entryPoint: string
  /** As bound: `127.0.0.1`, `::`, `0.0.0.0`. */
  readonly address: string
  readonly port: number
}
