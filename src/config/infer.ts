import type {
  BoolSchema,
  DurationSchema,
  Fields,
  IntSchema,
  ListSchema,
  MapSchema,
  NumberSchema,
  ObjectSchema,
  OneOfSchema,
  RawSchema,
  Schema,
  StringSchema,
} from './schema.ts'

/**
 * The TypeScript type of a value a schema validated, so the dynamic model is
 * written once (as a schema) and its types follow. Every field is optional,
 * as in a snapshot; string enums become unions; durations stay as written.
 *
 * @example
 * const router = obj({ rule: str(), priority: int(), entryPoints: list(str()) })
 * type Router = Infer<typeof router> // { rule?: string; priority?: number; entryPoints?: string[] }
 */
export type Infer<S extends Schema> = S extends StringSchema<infer E>
  ? E
  : S extends IntSchema | NumberSchema
    ? number
    : S extends BoolSchema
      ? boolean
      : S extends DurationSchema
        ? DurationValue
        : S extends ListSchema<infer T extends Schema>
          ? Array<Infer<T>>
          : S extends MapSchema<infer T extends Schema>
            ? Record<string, Infer<T>>
            : S extends ObjectSchema<infer F>
              ? InferObject<F>
              : S extends OneOfSchema<infer O, infer Shared>
                ? Optional<O> & Optional<Shared>
                : S extends RawSchema
                  ? unknown
                  : never

/** A Go duration string (`"100ms"`, `"1m30s"`) or a number of seconds; read it with `parseDuration`. */
export type DurationValue = string | number

/**
 * An object with no fields is a flag (`healthCheck: {}`): nothing may be set
 * inside it, which `{}` would not say (it accepts any value but null).
 */
type InferObject<F extends Fields> = [keyof F] extends [never] ? Record<string, never> : Optional<F>

/** Every field optional; fields accepted from flat keys only are not part of the value. */
type Optional<F extends Fields> = {
  -readonly [K in keyof F as F[K] extends { readonly flatOnly: true } ? never : K]?: Infer<F[K]>
}

/**
 * The type of a loaded static configuration value: as {@link Infer}, but a
 * field with a default, or an object the schema materializes, is always
 * present; durations are milliseconds (except below `keepDurations`, which
 * keeps the dynamic shape as written); everything is read-only, as the
 * loader freezes it.
 *
 * @example
 * const log = obj({ level: str({ enum: ['INFO', 'ERROR'], default: 'ERROR' }), filePath: str() }, { materialize: true })
 * type Log = InferStatic<typeof log> // { readonly level: 'INFO' | 'ERROR'; readonly filePath?: string }
 */
export type InferStatic<S extends Schema> = S extends { readonly keepDurations: true }
  ? Readonly<Infer<S>>
  : S extends DurationSchema
    ? number
    : S extends ListSchema<infer T extends Schema>
      ? ReadonlyArray<InferStatic<T>>
      : S extends MapSchema<infer T extends Schema>
        ? Readonly<Record<string, InferStatic<T>>>
        : S extends ObjectSchema<infer F>
          ? StaticObject<F>
          : Infer<S>

type Filled<S> = S extends { readonly default: unknown } ? true : S extends { readonly materialize: true } ? true : false

type StaticObject<F extends Fields> = Flatten<
  { readonly [K in keyof F as Filled<F[K]> extends true ? K : never]: InferStatic<F[K]> } & {
    readonly [K in keyof F as Filled<F[K]> extends true ? never : K]?: InferStatic<F[K]>
  }
>

/** One object type instead of an intersection, for readable hovers and messages. */
type Flatten<T> = { [K in keyof T]: T[K] }
