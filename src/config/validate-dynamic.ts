import { coerce, joinPath, listFromEmptyMap, type Problem } from './coerce.ts'
import type { DynamicConfig } from './dynamic.ts'
import { dynamicSchema } from './dynamic-schema.ts'
import { isPlainObject, setOwn } from './plain-data.ts'
import { describe, findField, type Schema } from './schema.ts'

/** What a dynamic object is. `section` is a whole section that could not be read. */
export type ObjectKind =
  | 'router'
  | 'service'
  | 'middleware'
  | 'serversTransport'
  | 'tlsCertificate'
  | 'tlsOptions'
  | 'tlsStore'
  | 'section'

/** The section an object lives in; `root` for unknown top-level sections. */
export type ObjectProtocol = 'http' | 'tcp' | 'udp' | 'tls' | 'root'

/**
 * A problem with one dynamic object. The object is left out of the
 * configuration; everything else goes live.
 */
export interface ObjectError {
  readonly kind: ObjectKind
  readonly protocol: ObjectProtocol
  /** The object's name as written (`web`), the certificate's index (`0`), or the section's key. */
  readonly name: string
  /** Path first: `http.routers.web.priority: expected an integer, got "high"`. */
  readonly message: string
  /** Set by `mergeSnapshots`, and by callers that know which provider the object came from. */
  readonly provider?: string
}

type Protocol = Exclude<ObjectProtocol, 'root'>

const kinds: Readonly<Record<Protocol, Readonly<Record<string, ObjectKind>>>> = {
  http: { routers: 'router', services: 'service', middlewares: 'middleware', serversTransports: 'serversTransport' },
  tcp: { routers: 'router', services: 'service', middlewares: 'middleware', serversTransports: 'serversTransport' },
  udp: { routers: 'router', services: 'service' },
  tls: { certificates: 'tlsCertificate', options: 'tlsOptions', stores: 'tlsStore' },
}

/**
 * Validates a raw dynamic configuration object by object. Field names match
 * case-insensitively and values are coerced as Traefik's decoders do (`"true"`
 * → true, `"42"` → 42, `"a,b"` → a list). A bad object (unknown field, wrong
 * type, bad duration, a service with zero or two kinds, a middleware with zero
 * or two types) is removed and each of its problems reported; every other
 * object survives.
 *
 * @example
 * const { config, errors } = validateDynamic(yaml.parse(text))
 */
export function validateDynamic(raw: unknown): { config: DynamicConfig; errors: ObjectError[] } {
  const errors: ObjectError[] = []
  const config: Record<string, unknown> = {}
  if (raw === null || raw === undefined) return { config, errors }
  if (!isPlainObject(raw)) {
    errors.push(sectionError('root', '', `configuration: expected an object, got ${describe(raw)}`))
    return { config, errors }
  }
  for (const [key, value] of Object.entries(raw)) {
    const section = findField(dynamicSchema, key)
    if (section === undefined) {
      errors.push(sectionError('root', key, `${key}: unknown section`))
      continue
    }
    const protocol = section.name as Protocol
    const validated = validateSection(protocol, key, value, errors)
    if (validated !== undefined) config[protocol] = validated
  }
  return { config: config as DynamicConfig, errors }
}

function validateSection(protocol: Protocol, key: string, value: unknown, errors: ObjectError[]): Record<string, unknown> | undefined {
  if (value === null || value === undefined) return undefined
  if (!isPlainObject(value)) {
    errors.push(sectionError(protocol, key, `${key}: expected an object, got ${describe(value)}`))
    return undefined
  }
  const out: Record<string, unknown> = {}
  const sectionSchema = dynamicSchema.fields[protocol]
  for (const [collectionKey, collection] of Object.entries(value)) {
    const field = sectionSchema?.kind === 'object' ? findField(sectionSchema, collectionKey) : undefined
    const kind = field === undefined ? undefined : kinds[protocol][field.name]
    const path = `${protocol}.${collectionKey}`
    if (field === undefined || kind === undefined) {
      errors.push(sectionError(protocol, collectionKey, `${path}: unknown section`))
      continue
    }
    const validated = validateCollection(field.schema, collection, { protocol, kind, path: `${protocol}.${field.name}` }, errors)
    if (validated !== undefined) out[field.name] = validated
  }
  return out
}

interface Where {
  readonly protocol: Protocol
  readonly kind: ObjectKind
  readonly path: string
}

function validateCollection(schema: Schema, given: unknown, where: Where, errors: ObjectError[]): unknown {
  if (given === null || given === undefined) return undefined
  if (schema.kind === 'list') {
    const value = listFromEmptyMap(given)
    if (!Array.isArray(value)) {
      errors.push(sectionError(where.protocol, where.path, `${where.path}: expected a list, got ${describe(value)}`))
      return undefined
    }
    const out: unknown[] = []
    value.forEach((item, index) => {
      const valid = validateObject(schema.of, item, String(index), `${where.path}[${index}]`, where, errors)
      if (valid !== undefined) out.push(valid)
    })
    return out
  }
  if (schema.kind !== 'map' || !isPlainObject(given)) {
    errors.push(sectionError(where.protocol, where.path, `${where.path}: expected a map of names to objects, got ${describe(given)}`))
    return undefined
  }
  const out: Record<string, unknown> = {}
  for (const [name, item] of Object.entries(given)) {
    const valid = validateObject(schema.of, item, name, joinPath(where.path, name), where, errors)
    if (valid !== undefined) setOwn(out, name, valid)
  }
  return out
}

function validateObject(schema: Schema, value: unknown, name: string, path: string, where: Where, errors: ObjectError[]): unknown {
  const problems: Problem[] = []
  const coerced = coerce(schema, value, path, problems, { durations: 'keep' })
  for (const problem of problems) {
    errors.push({ kind: where.kind, protocol: where.protocol, name, message: `${problem.path}: ${problem.message}` })
  }
  return problems.length === 0 ? coerced : undefined
}

function sectionError(protocol: ObjectProtocol, name: string, message: string): ObjectError {
  return { kind: 'section', protocol, name, message }
}
