/**
 * A small schema language describing configuration shapes. A schema is plain
 * data (no classes, no behaviour), walked by the value coercer used by the
 * dynamic validator and the static loader (`coerce.ts`), and by the flat-key
 * decoder for labels, KV paths, flags and env vars (`flat-keys.ts`). The
 * builders keep literal types (`str({ enum: ['wrr', 'p2c'] })` is a
 * `StringSchema<'wrr' | 'p2c'>`) and the options that make a static field
 * always present (`default`, `materialize`), so `Infer` and `InferStatic` in
 * `infer.ts` derive the TypeScript type of a value from its schema.
 */

/** What every schema node may carry. */
interface SchemaBase {
  /** One line for users; shown by `junction check` and the docs. */
  readonly doc?: string
  /**
   * Accepted only from flat keys (labels): Traefik's `loadbalancer.server.port`
   * and `.scheme` exist for the Docker/Consul builders, which turn them into
   * a `url` / `address` before the snapshot is validated. Set with {@link flatOnly}.
   */
  readonly flatOnly?: boolean
  /** Filled in when the value is absent (static configuration only). Durations in milliseconds. */
  readonly default?: unknown
  /**
   * Accepted so an existing Traefik file loads, but not honoured yet: why,
   * for the warning the static loader gives when a configuration sets it to
   * anything but its default (`the access log arrives with the observability work`).
   */
  readonly ignored?: string
}

/** The fields of an object node, or the options of a one-of node, by canonical name. */
export type Fields = Readonly<Record<string, Schema>>

/** A string. */
export interface StringSchema<E extends string = string> extends SchemaBase {
  readonly kind: 'string'
  /** Allowed values; matched case-insensitively and stored as spelled here. */
  readonly enum?: readonly E[]
  /**
   * A file system path (static configuration): the loader resolves it against
   * the configuration file's folder, or the working directory for flags and env.
   */
  readonly path?: boolean
}

/** An integer. */
export interface IntSchema extends SchemaBase {
  readonly kind: 'int'
  readonly min?: number
  readonly max?: number
}

/** Any finite number. */
export interface NumberSchema extends SchemaBase {
  readonly kind: 'number'
  readonly min?: number
  readonly max?: number
}

/** A boolean (`true`, `false`, and Go's `1`, `0`, `t`, `f`). */
export interface BoolSchema extends SchemaBase {
  readonly kind: 'bool'
}

/** A Go duration string or a number of seconds (see `duration.ts`). */
export interface DurationSchema extends SchemaBase {
  readonly kind: 'duration'
}

/** A list. */
export interface ListSchema<S extends Schema = Schema> extends SchemaBase {
  readonly kind: 'list'
  readonly of: S
  /**
   * A singular flat-key alias addressing element 0, as Traefik's
   * `label-slice-as-struct`: `loadbalancer.server.url` means `servers[0].url`.
   */
  readonly alias?: string
}

/** An object whose keys are names the user chooses (routers, header names). */
export interface MapSchema<S extends Schema = Schema> extends SchemaBase {
  readonly kind: 'map'
  readonly of: S
}

/** An object with known fields; field names match case-insensitively. */
export interface ObjectSchema<F extends Fields = Fields> extends SchemaBase {
  readonly kind: 'object'
  readonly fields: F
  /** Create the object (and its defaults) when absent (static configuration only). */
  readonly materialize?: boolean
  /**
   * Durations below stay as written even where the walker converts them to
   * milliseconds: the static `serversTransport` is read by the same code as
   * dynamic ones, which parses durations itself.
   */
  readonly keepDurations?: boolean
  /** The message for a key that is not a field, `{key}` standing for the key; "unknown field" otherwise. */
  readonly unknownKey?: string
}

/** Exactly one of these keys: a service's kind, a middleware's type. */
export interface OneOfSchema<O extends Fields = Fields, S extends Fields = Fields> extends SchemaBase {
  readonly kind: 'oneOf'
  /** What the object is, for messages: `service`, `middleware`. */
  readonly what: string
  readonly options: O
  /** Fields allowed beside the one option, which do not count as one (a service's `middlewares`). */
  readonly shared?: S
}

/** A value kept as written, whose shape only its consumer knows (a Traefik plugin's options). */
export interface RawSchema extends SchemaBase {
  readonly kind: 'raw'
}

/** Any schema node. */
export type Schema =
  | StringSchema
  | IntSchema
  | NumberSchema
  | BoolSchema
  | DurationSchema
  | ListSchema
  | MapSchema
  | ObjectSchema
  | OneOfSchema
  | RawSchema

/** A node holding one value. */
export type ScalarSchema = StringSchema | IntSchema | NumberSchema | BoolSchema | DurationSchema

type Extra<S extends Schema> = Omit<S, 'kind'>

/**
 * The options of a node that decide the static configuration's types
 * (`InferStatic`): a default or `materialize` makes a field always present,
 * `keepDurations` keeps durations as written. The builders keep them in
 * their return types; every other option (`doc`, `min`) stays out of them.
 */
type Marks<X> = { readonly [K in keyof X as K extends 'default' | 'materialize' | 'keepDurations' ? K : never]: X[K] }

/** The values an `enum` option allows, or any string. */
type EnumOf<X> = X extends { readonly enum: readonly (infer E extends string)[] } ? E : string

/** @example str({ enum: ['wrr', 'p2c'] }) // StringSchema<'wrr' | 'p2c'> */
export const str = <const X extends Extra<StringSchema> = {}>(extra: X = {} as X): StringSchema<EnumOf<X>> & Marks<X> =>
  ({ kind: 'string', ...extra }) as StringSchema as StringSchema<EnumOf<X>> & Marks<X>
/** @example int({ min: 0 }) */
export const int = <const X extends Extra<IntSchema> = {}>(extra: X = {} as X): IntSchema & Marks<X> => ({ kind: 'int', ...extra }) as IntSchema & Marks<X>
/** @example num({ min: 0 }) */
export const num = <const X extends Extra<NumberSchema> = {}>(extra: X = {} as X): NumberSchema & Marks<X> =>
  ({ kind: 'number', ...extra }) as NumberSchema & Marks<X>
/** @example bool({ default: true }) */
export const bool = <const X extends Extra<BoolSchema> = {}>(extra: X = {} as X): BoolSchema & Marks<X> => ({ kind: 'bool', ...extra }) as BoolSchema & Marks<X>
/** @example dur({ default: 60_000 }) // 60s */
export const dur = <const X extends Extra<DurationSchema> = {}>(extra: X = {} as X): DurationSchema & Marks<X> =>
  ({ kind: 'duration', ...extra }) as DurationSchema & Marks<X>
/** @example list(str()) */
export const list = <S extends Schema, const X extends Omit<Extra<ListSchema<S>>, 'of'> = {}>(of: S, extra: X = {} as X): ListSchema<S> & Marks<X> =>
  ({ kind: 'list', of, ...extra }) as ListSchema<S> & Marks<X>
/** @example strings({ default: [] }) // list(str({ ... })) with the list's extras */
export const strings = <const X extends Omit<Extra<ListSchema<StringSchema>>, 'of'> = {}>(extra: X = {} as X): ListSchema<StringSchema> & Marks<X> =>
  list<StringSchema, X>(str(), extra)
/** @example map(str()) // customRequestHeaders */
export const map = <S extends Schema, const X extends Omit<Extra<MapSchema<S>>, 'of'> = {}>(of: S, extra: X = {} as X): MapSchema<S> & Marks<X> =>
  ({ kind: 'map', of, ...extra }) as MapSchema<S> & Marks<X>
/** @example obj({ prefix: str() }) */
export const obj = <F extends Fields, const X extends Omit<Extra<ObjectSchema<F>>, 'fields'> = {}>(fields: F, extra: X = {} as X): ObjectSchema<F> & Marks<X> =>
  ({ kind: 'object', fields, ...extra }) as ObjectSchema<F> & Marks<X>
/** @example oneOf('service', { loadBalancer, weighted }, { shared: { middlewares: strings() } }) */
export const oneOf = <O extends Fields, S extends Fields = Record<never, Schema>>(
  what: string,
  options: O,
  extra: Omit<Extra<OneOfSchema<O, S>>, 'what' | 'options'> = {},
): OneOfSchema<O, S> => ({ kind: 'oneOf', what, options, ...extra })
/** @example raw() // plugin options */
export const raw = (extra: Extra<RawSchema> = {}): RawSchema => ({ kind: 'raw', ...extra })
/** Marks a node as accepted from flat keys only (see `flatOnly` on the node); `Infer` leaves it out. */
export const flatOnly = <S extends Schema>(schema: S): S & { readonly flatOnly: true } => ({ ...schema, flatOnly: true })

/** True for string, int, number, bool and duration nodes. */
export function isScalar(schema: Schema): schema is ScalarSchema {
  return schema.kind !== 'list' && schema.kind !== 'map' && schema.kind !== 'object' && schema.kind !== 'oneOf' && schema.kind !== 'raw'
}

/** The known keys of an object or one-of node (a one-of's shared fields included). */
export function fieldsOf(schema: ObjectSchema | OneOfSchema): Fields {
  if (schema.kind === 'object') return schema.fields
  return schema.shared === undefined ? schema.options : { ...schema.shared, ...schema.options }
}

/**
 * Finds a field by name, case-insensitively, as Traefik's decoders do
 * (`loadbalancer` is `loadBalancer`). Returns the canonical name; `shared`
 * tells a one-of's shared field from one of its options.
 */
export function findField(
  schema: ObjectSchema | OneOfSchema,
  key: string,
  { flat = false }: { flat?: boolean } = {},
): { name: string; schema: Schema; shared?: true } | undefined {
  const main = schema.kind === 'object' ? schema.fields : schema.options
  let found: { name: string; schema: Schema; shared?: true } | undefined = lookup(main, key)
  if (found === undefined && schema.kind === 'oneOf' && schema.shared !== undefined) {
    const shared = lookup(schema.shared, key)
    if (shared !== undefined) found = { ...shared, shared: true }
  }
  if (found === undefined || (found.schema.flatOnly === true && !flat)) return undefined
  return found
}

function lookup(fields: Fields, key: string): { name: string; schema: Schema } | undefined {
  const exact = fields[key]
  if (exact !== undefined && Object.hasOwn(fields, key)) return { name: key, schema: exact }
  const lower = key.toLowerCase()
  for (const [name, schema] of Object.entries(fields)) {
    if (name.toLowerCase() === lower) return { name, schema }
  }
  return undefined
}

/** The message for `key`, which is not a field of `schema`: its own `unknownKey`, or `fallback`. */
export function unknownKeyMessage(schema: ObjectSchema | OneOfSchema, key: string, fallback: string): string {
  return schema.kind === 'object' && schema.unknownKey !== undefined ? schema.unknownKey.replaceAll('{key}', key) : fallback
}

/** Describes a value for messages: `"high"`, `42`, `a list`, `an object`. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (Array.isArray(value)) return 'a list'
  if (value === null) return 'null'
  if (typeof value === 'object') return 'an object'
  return String(value)
}
