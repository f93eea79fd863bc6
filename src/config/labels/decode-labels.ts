import { decodeFlatEntries } from '../flat-keys.ts'
import { findField, type ObjectSchema } from '../schema.ts'
import { checkLabel } from './label-checks.ts'

/**
 * Reads a workload's labels (a container's, or a Consul service's tags
 * turned into key=value pairs) under a prefix: the dynamic configuration
 * they declare (`<prefix>.http|tcp|udp.…`, `<prefix>.tls.stores.default.…`)
 * through the flat-key decoder every source shares, and the provider's own
 * keys (`<prefix>.enable`, `<prefix>.docker.network`) against the provider's
 * schema. Labels outside the prefix belong to someone else and are passed over.
 */

/** What to read, and how a provider's own keys look. */
export interface LabelOptions {
  /** The first segment every label must carry (`junction`, `traefik`), matched case-insensitively. */
  readonly prefix: string
  /** The provider's own keys beside the dynamic sections: `enable`, `docker` for Docker. */
  readonly own: ObjectSchema
}

/** The labels of one workload, decoded. Each problem reads `label <key>: <problem>`. */
export interface DecodedLabels {
  /** The dynamic configuration the labels declare, raw: decoded and coerced, before any inference. */
  readonly config: Record<string, unknown>
  /** The provider's own keys, decoded against its schema (`{ enable: false, docker: { network: 'web' } }`). */
  readonly own: Record<string, unknown>
  /** The provider's own keys that do not decode: the provider cannot tell whether to route the workload. */
  readonly ownErrors: readonly string[]
  /** Dynamic labels that do not decode or fail a check (see `label-checks.ts`): the workload is not routed. */
  readonly errors: readonly string[]
  /**
   * Labels under the prefix that configure nothing Junction (or Traefik) reads
   * from labels: reported, and the workload is routed without them, as
   * Traefik routes it (it passes over them silently).
   */
  readonly ignored: readonly string[]
}

const sections = new Set(['http', 'tcp', 'udp'])

/**
 * Decodes a workload's labels. Labels are read in key order, so the result
 * does not depend on the order the source listed them in.
 *
 * @example
 * decodeLabels({ 'junction.http.routers.web.rule': 'Host(`a.test`)', 'junction.enable': 'true' }, { prefix: 'junction', own: obj({ enable: bool() }) })
 * // { config: { http: { routers: { web: { rule: 'Host(`a.test`)' } } } }, own: { enable: true }, ownErrors: [], errors: [], ignored: [] }
 */
export function decodeLabels(labels: Readonly<Record<string, string>>, options: LabelOptions): DecodedLabels {
  const lead = `${options.prefix.toLowerCase()}.`
  const dynamic: Array<[string, string]> = []
  const own: Array<[string, string]> = []
  const ignored: string[] = []
  for (const key of Object.keys(labels).sort()) {
    if (key.length <= lead.length || key.slice(0, lead.length).toLowerCase() !== lead) continue
    const value = labels[key] ?? ''
    const segments = key.slice(lead.length).split('.')
    const first = (segments[0] ?? '').toLowerCase()
    if (sections.has(first) || (first === 'tls' && isDefaultStore(segments))) dynamic.push([key, value])
    else if (first === 'tls') ignored.push(`label ${key}: labels configure only the default TLS store (tls.stores.default); ignored`)
    else if (findField(options.own, first, { flat: true }) !== undefined) own.push([key, value])
    else ignored.push(`label ${key}: ${unknownKey(first, options.own)}; ignored`)
  }
  const decoded = decodeFlatEntries(dynamic, { prefix: options.prefix })
  const ownDecoded = decodeFlatEntries(own, { prefix: options.prefix, schema: options.own })
  const errors = decoded.problems.map((problem) => `label ${problem.key}: ${problem.message}`)
  for (const [key, value] of dynamic) {
    const message = checkLabel(key.slice(lead.length), value, decoded.value)
    if (message !== undefined) errors.push(`label ${key}: ${message}`)
  }
  return {
    config: decoded.value,
    own: ownDecoded.value,
    ownErrors: ownDecoded.problems.map((problem) => `label ${problem.key}: ${problem.message}`),
    errors,
    ignored,
  }
}

function isDefaultStore(segments: readonly string[]): boolean {
  return segments[1]?.toLowerCase() === 'stores' && segments[2] === 'default'
}

function unknownKey(first: string, own: ObjectSchema): string {
  const known = ['http', 'tcp', 'udp', 'tls.stores.default', ...Object.keys(own.fields)]
  return `unknown key ${JSON.stringify(first)} (labels configure ${known.join(', ')})`
}
