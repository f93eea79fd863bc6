import { isPlainObject } from './plain-data.ts'
import { obj, type ObjectSchema } from './schema.ts'
import type { ProviderOptions, Providers } from './static.ts'
import { providersBase, staticSchema } from './static-schema.ts'

/**
 * The `providers` section of the static configuration, built from the
 * providers Junction is given: each brings its options schema and its own
 * checks, so the loader knows no provider by name.
 */

/**
 * What the static loader needs of a provider: where its options live, their
 * schema, their checks. `ProviderEntry` (src/core) extends it with `create`.
 */
export interface ProviderOptionsEntry {
  /** The key under `providers` in the static configuration: `file` for `providers.file`. */
  readonly key: string
  /** The provider's static options, in the schema language the static loader validates with. */
  readonly schema: ObjectSchema
  /** Problems with its options a schema cannot express, one message each (`set filename or directory`). */
  check?(options: Record<string, unknown>): string[]
  /**
   * True when the provider, with these options (defaults applied, paths
   * absolute), reads `file`, an absolute path: the file provider reads its
   * `filename` and the configuration files under its `directory`. The loader
   * asks it of the static configuration file when that file holds dynamic
   * sections.
   */
  reads?(options: Record<string, unknown>, file: string): boolean
}

/**
 * The whole static schema with one field per provider under `providers`
 * (besides `providersThrottleDuration`). A key naming no provider, Traefik's
 * `docker` or a typo, is refused with the list of those that exist.
 *
 * @example
 * staticSchemaFor([fileProviderEntry]).fields.providers.fields.file // fileProviderSchema
 */
export function staticSchemaFor(providers: readonly ProviderOptionsEntry[]): ObjectSchema {
  const available = providers.map((entry) => entry.key)
  const section = obj(
    { ...providersBase.fields, ...Object.fromEntries(providers.map((entry) => [entry.key, entry.schema])) },
    {
      materialize: true,
      unknownKey: `the {key} provider is not available in Junction yet; available: ${available.length === 0 ? 'none' : available.join(', ')}`,
    },
  )
  return obj({ ...staticSchema.fields, providers: section })
}

/**
 * Runs each configured provider's own checks on its options (defaults
 * applied), one message each, prefixed with `providers.<key>`.
 *
 * @example checkProviders({ file: { watch: true } }, [fileProviderEntry]) // ['providers.file: set filename or directory']
 */
export function checkProviders(section: unknown, providers: readonly ProviderOptionsEntry[]): string[] {
  if (!isPlainObject(section)) return []
  return providers.flatMap((entry) => {
    const options = section[entry.key]
    if (!isPlainObject(options) || entry.check === undefined) return []
    return entry.check(options).map((problem) => `providers.${entry.key}: ${problem}`)
  })
}

/**
 * The keys of the configured providers that read `file` (see
 * {@link ProviderOptionsEntry.reads}).
 *
 * @example providersReading({ file: { filename: '/etc/junction/junction.yml', watch: true } }, [fileProviderEntry], '/etc/junction/junction.yml') // ['file']
 */
export function providersReading(section: unknown, providers: readonly ProviderOptionsEntry[], file: string): string[] {
  if (!isPlainObject(section)) return []
  return providers.flatMap((entry) => {
    const options = section[entry.key]
    return isPlainObject(options) && entry.reads?.(options, file) === true ? [entry.key] : []
  })
}

/**
 * One provider's options from the loaded configuration, or undefined when it
 * is not configured.
 *
 * @example providerOptions(config.providers, 'file') // { directory: '/etc/junction/dynamic', watch: true }
 */
export function providerOptions(providers: Providers, key: string): ProviderOptions | undefined {
  const options = providers[key]
  return isPlainObject(options) ? options : undefined
}
