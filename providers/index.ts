/**
 * The providers Junction knows, as an explicit list the composition root
 * reads: adding a provider is one folder under `providers/` plus one line
 * here, never a branch in a core `switch`.
 */
import type { Provider } from '../src/plugin.ts'
import { fileProviderEntry } from './file/index.ts'

/** How the composition root creates one kind of provider from the static configuration. */
export interface ProviderEntry {
  /** The key under `providers` in the static configuration: `file` for `providers.file`. */
  readonly key: string
  /**
   * Builds the provider from the validated static configuration for that key.
   * `configDir` is the directory of the static configuration file, against
   * which a relative path still left in the options is resolved.
   */
  create(options: unknown, context: { readonly configDir: string }): Provider
}

/** Every provider, in the order they are started. */
export const providers: readonly ProviderEntry[] = [fileProviderEntry]
