import { collections, type Collection } from './catalogue.ts'
import type { DynamicConfig, TlsCertificate } from './dynamic.ts'
import { setOwn } from './plain-data.ts'
import { defaultTlsName, type Qualify } from './references.ts'
import type { ObjectError } from './validate-dynamic.ts'

/**
 * Merges the validated snapshots of every provider into one configuration,
 * as Traefik's aggregator does: every object is named `name@provider`, and
 * every reference without `@` is qualified with the referring provider
 * (`svc` → `svc@docker`); references that carry `@` (`api@internal`,
 * `auth@file`) are left alone.
 *
 * TLS: certificates are concatenated; options and stores are qualified like
 * other objects except `default`, which stays `default` because every router
 * without options and every certificate without stores uses it. When more
 * than one provider defines the default options or store, Traefik drops it
 * and reports the conflict; so does this.
 */

type Loose = Record<string, unknown>

/** The collections merged object by object; certificates, a list without names, are concatenated instead. */
const named = collections.filter((collection) => collection.schema.kind === 'map')

/**
 * Merges provider snapshots (already validated) into one configuration with
 * qualified names. Providers are visited in name order so the result does not
 * depend on the order snapshots arrived in.
 *
 * @example
 * mergeSnapshots(new Map([['file', { http: { routers: { web: { service: 'app' } } } }]]))
 * // config.http.routers['web@file'].service === 'app@file'
 */
export function mergeSnapshots(snapshots: ReadonlyMap<string, DynamicConfig>): { config: DynamicConfig; errors: ObjectError[] } {
  const out: Record<string, Loose> = {}
  const errors: ObjectError[] = []
  const defaults = { options: [] as string[], stores: [] as string[] }
  const certificates: TlsCertificate[] = []
  for (const provider of [...snapshots.keys()].sort()) {
    const config = snapshots.get(provider) as Record<string, Loose | undefined>
    const qualify: Qualify = (ref) => (ref === '' || ref.includes('@') ? ref : `${ref}@${provider}`)
    for (const collection of named) {
      const objects = config[collection.section]?.[collection.key] as Record<string, Loose> | undefined
      for (const [name, object] of Object.entries(objects ?? {})) {
        const keepName = collection.section === 'tls' && name === defaultTlsName
        if (keepName) defaults[collection.key as 'options' | 'stores'].push(provider)
        if (!keepName && name.includes('@')) {
          errors.push(nameError(collection, name, provider))
          continue
        }
        const target = ((out[collection.section] ??= {})[collection.key] ??= {}) as Loose
        setOwn(target, keepName ? name : `${name}@${provider}`, collection.qualify(object, qualify))
      }
    }
    certificates.push(...((config['tls']?.['certificates'] ?? []) as TlsCertificate[]))
  }
  if (certificates.length > 0) (out['tls'] ??= {})['certificates'] = certificates
  for (const key of ['options', 'stores'] as const) {
    if (defaults[key].length > 1) errors.push(defaultConflict(key, defaults[key], out))
  }
  return { config: out as DynamicConfig, errors }
}

function nameError(collection: Collection, name: string, provider: string): ObjectError {
  return {
    kind: collection.kind,
    protocol: collection.section,
    name,
    provider,
    message: `${collection.section}.${collection.key}.${name}: a name must not contain "@"; provider ${JSON.stringify(provider)} qualifies names itself`,
  }
}

/** Traefik drops a default defined twice, so routers relying on it fail visibly instead of picking one at random. */
function defaultConflict(key: 'options' | 'stores', providers: readonly string[], out: Record<string, Loose>): ObjectError {
  const section = out['tls']?.[key] as Loose | undefined
  if (section !== undefined) delete section[defaultTlsName]
  return {
    kind: key === 'options' ? 'tlsOptions' : 'tlsStore',
    protocol: 'tls',
    name: defaultTlsName,
    message: `tls.${key}.${defaultTlsName}: defined by several providers (${providers.join(', ')}); none of them is used`,
  }
}
