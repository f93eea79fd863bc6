import { dynamicSchema, findCollection, type Collection, type CollectionKind, type SectionName } from './catalogue.ts'
import { coerce, joinPath, listFromEmptyMap, type Problem } from './coerce.ts'
import type { DynamicConfig } from './dynamic.ts'
import { isPlainObject, setOwn } from './plain-data.ts'
import { httpMiddlewareTypes } from './middleware-schema.ts'
import { describe, findField, map, oneOf, type ObjectSchema, type Schema } from './schema.ts'

/** What a dynamic object is (see `catalogue.ts`). `section` is a whole section that could not be read. */
export type ObjectKind = CollectionKind | 'section'

/** The section an object lives in; `root` for unknown top-level sections. */
export type ObjectProtocol = SectionName | 'root'

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
export function validateDynamic(raw: unknown, options: ValidateOptions = {}): { config: DynamicConfig; errors: ObjectError[] } {
  const schemaOf = collectionSchemas(options.middlewareTypes)
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
    const protocol = section.name as SectionName
    const validated = validateSection(protocol, key, value, schemaOf, errors)
    if (validated !== undefined) config[protocol] = validated
  }
  return { config: config as DynamicConfig, errors }
}

/** What the validator knows beyond Traefik's catalogue. */
export interface ValidateOptions {
  /**
   * HTTP middleware types by configuration key, with their options' schema:
   * those Junction's middlewares declare. They extend Traefik's catalogue, and
   * replace its schema for a type of the same name.
   */
  readonly middlewareTypes?: Readonly<Record<string, ObjectSchema>>
}

type SchemaOf = (collection: Collection) => Collection['schema']

function collectionSchemas(middlewareTypes: ValidateOptions['middlewareTypes']): SchemaOf {
  if (middlewareTypes === undefined || Object.keys(middlewareTypes).length === 0) return (collection) => collection.schema
  const middlewares = map(oneOf('middleware', { ...httpMiddlewareTypes, ...middlewareTypes }))
  return (collection) => (collection.section === 'http' && collection.kind === 'middleware' ? middlewares : collection.schema)
}

function validateSection(protocol: SectionName, key: string, value: unknown, schemaOf: SchemaOf, errors: ObjectError[]): Record<string, unknown> | undefined {
  if (value === null || value === undefined) return undefined
  if (!isPlainObject(value)) {
    errors.push(sectionError(protocol, key, `${key}: expected an object, got ${describe(value)}`))
    return undefined
  }
  const out: Record<string, unknown> = {}
  for (const [collectionKey, items] of Object.entries(value)) {
    const collection = findCollection(protocol, collectionKey)
    if (collection === undefined) {
      errors.push(sectionError(protocol, collectionKey, `${protocol}.${collectionKey}: unknown section`))
      continue
    }
    const validated = validateCollection(collection, schemaOf(collection), items, `${protocol}.${collection.key}`, errors)
    if (validated !== undefined) out[collection.key] = validated
  }
  return out
}

interface Where {
  readonly protocol: SectionName
  readonly kind: CollectionKind
  readonly path: string
}

function validateCollection(collection: Collection, schema: Collection['schema'], given: unknown, path: string, errors: ObjectError[]): unknown {
  if (given === null || given === undefined) return undefined
  const where: Where = { protocol: collection.section, kind: collection.kind, path }
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
  if (!isPlainObject(given)) {
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
