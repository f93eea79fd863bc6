/**
 * The providers Junction knows, as an explicit list the composition root
 * reads: adding a provider is one folder under `providers/` plus one line
 * here, never a branch in a core `switch`.
 */
import type { ProviderEntry } from '../src/provider-plugin.ts'
import { dockerProviderEntry } from './docker/index.ts'
import { fileProviderEntry } from './file/index.ts'

/** Every provider, in the order they are started. */
export const providers: readonly ProviderEntry[] = [fileProviderEntry, dockerProviderEntry]
