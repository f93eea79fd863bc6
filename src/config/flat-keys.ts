import { coerceScalar, splitList } from './coerce.ts'
import { isPlainObject, setOwn } from './plain-data.ts'
import { dynamicSchema } from './catalogue.ts'
import { describe, fieldsOf, findField, isScalar, unknownKeyMessage, type ObjectSchema, type OneOfSchema, type Schema } from './schema.ts'

/**
 * Decodes flat `a.b.c=value` keys (Docker labels, Consul KV paths with '/'
 * given as '.', CLI flags, env vars) into the nested model, against a schema:
 * field names match case-insensitively and come out canonical
 * (`loadbalancer` → `loadBalancer`), user-named keys keep their case, lists
 * come from commas (`entryPoints=web,websecure`) or indices (`servers[0].url`,
 * `servers.0.url`), scalars are coerced by type. A key that does not fit is
 * reported; the other keys still decode.
 */

export interface FlatKeyOptions {
  /** A first segment every key must carry (`traefik`, `junction`), matched case-insensitively and stripped; other keys are skipped. */
  readonly prefix?: string
  /** Defaults to the dynamic configuration schema. */
  readonly schema?: Schema
}

/** A key that could not be decoded. */
export interface FlatKeyProblem {
  readonly key: string
  readonly message: string
}

/**
 * Decodes flat keys into a nested value; errors read `<key>: <problem>`.
 *
 * @example
 * decodeFlatKeys({ 'traefik.http.routers.r1.rule': 'Host(`a`)' }, { prefix: 'traefik' })
 * // { value: { http: { routers: { r1: { rule: 'Host(`a`)' } } } }, errors: [] }
 */
export function decodeFlatKeys(
  entries: Record<string, string>,
  options: FlatKeyOptions = {},
): { value: Record<string, unknown>; errors: string[] } {
  const { value, problems } = decodeFlatEntries(Object.entries(entries), options)
  return { value, errors: problems.map((problem) => `${problem.key}: ${problem.message}`) }
}

/** As {@link decodeFlatKeys}, with structured problems so callers can name the key their own way (`--flag`, `ENV_VAR`). */
export function decodeFlatEntries(
  entries: Iterable<readonly [string, string]>,
  options: FlatKeyOptions = {},
): { value: Record<string, unknown>; problems: FlatKeyProblem[] } {
  const schema = options.schema ?? dynamicSchema
  const root: Record<string, unknown> = {}
  const problems: FlatKeyProblem[] = []
  for (const [key, text] of entries) {
    const segments = keySegments(key, options.prefix)
    if (segments === undefined) continue
    const message = decodeOne(root, schema, segments, text)
    if (message !== undefined) problems.push({ key, message })
  }
  return { value: compact(root) as Record<string, unknown>, problems }
}

/**
 * The schema node a flat key points at, or undefined when it fits nowhere.
 * The static loader uses it to tell a bare boolean flag from one taking a value.
 */
export function schemaForKey(schema: Schema, key: string): Schema | undefined {
  const segments = keySegments(key, undefined)
  if (segments === undefined || 'message' in segments) return undefined
  const resolved = resolve(schema, segments)
  return 'message' in resolved ? undefined : resolved.schema
}

const segmentShape = /^([^[\]]+)((?:\[\d+\])*)$/

/**
 * The most segments a key may have. The deepest keys of the dynamic schema
 * have about ten; a plugin's options may nest a little deeper. Keys come from
 * labels anyone who starts a container can write: without a bound, one key
 * of 100,000 segments would nest the decoded value (and every walk of it)
 * 100,000 levels deep and overflow the stack.
 */
export const maxKeySegments = 64

/** Splits `a.b[0].c` into `a`, `b`, `0`, `c`; undefined when the prefix does not match. */
function keySegments(key: string, prefix: string | undefined): string[] | { message: string } | undefined {
  const parts = key.split('.')
  if (prefix !== undefined) {
    if (parts[0]?.toLowerCase() !== prefix.toLowerCase()) return undefined
    parts.shift()
    if (parts.length === 0) return undefined
  }
  const segments: string[] = []
  for (const part of parts) {
    const match = segmentShape.exec(part)
    if (match === null) return { message: `malformed key segment ${JSON.stringify(part)}` }
    segments.push(match[1] ?? '')
    // Most segments carry no index; skipping the scan for them keeps decoding a large label set cheap.
    if (match[2]) for (const index of match[2].matchAll(/\d+/g)) segments.push(index[0])
    if (segments.length > maxKeySegments) return { message: `more than ${maxKeySegments} segments: refused` }
  }
  return segments
}

function decodeOne(root: Record<string, unknown>, schema: Schema, segments: string[] | { message: string }, text: string): string | undefined {
  if ('message' in segments) return segments.message
  const resolved = resolve(schema, segments)
  if ('message' in resolved) return resolved.message
  const leaf = leafValue(resolved.schema, text)
  if ('message' in leaf) return leaf.message
  if (leaf.value === undefined) return undefined
  return setIn(root, resolved.path, leaf.value)
}

type PathStep = string | number

function resolve(schema: Schema, segments: readonly string[]): { path: PathStep[]; schema: Schema } | { message: string } {
  let current = schema
  const path: PathStep[] = []
  for (const segment of segments) {
    if (current.kind === 'raw') {
      // Only the consumer knows this shape: every further segment is a key of its own.
      path.push(segment)
    } else if (current.kind === 'object' || current.kind === 'oneOf') {
      const direct = findField(current, segment, { flat: true })
      const field = direct === undefined ? aliasField(current, segment) : { steps: [direct.name], schema: direct.schema }
      if (field === undefined) {
        const what = current.kind === 'oneOf' ? `${current.what} type` : 'key'
        return { message: unknownKeyMessage(current, segment, `unknown ${what} ${JSON.stringify(segment)}`) }
      }
      path.push(...field.steps)
      current = field.schema
    } else if (current.kind === 'map') {
      path.push(segment)
      current = current.of
    } else if (current.kind === 'list') {
      if (!/^\d+$/.test(segment)) return { message: `expected a list index, got ${JSON.stringify(segment)}` }
      path.push(Number(segment))
      current = current.of
    } else {
      return { message: `unknown key ${JSON.stringify(segment)}: ${path.join('.')} takes a value, not keys` }
    }
  }
  return { path, schema: current }
}

/** Resolves Traefik's singular label alias: `server` → `servers[0]`. */
function aliasField(schema: ObjectSchema | OneOfSchema, segment: string): { steps: PathStep[]; schema: Schema } | undefined {
  for (const [name, field] of Object.entries(fieldsOf(schema))) {
    if (field.kind === 'list' && field.alias?.toLowerCase() === segment.toLowerCase()) {
      return { steps: [name, 0], schema: field.of }
    }
  }
  return undefined
}

const declare = Symbol('declare')

/** The value a key assigns; `declare` marks an object named without fields (`--entryPoints.web`, `tls=true`). */
function leafValue(schema: Schema, text: string): { value: unknown } | { message: string } {
  if (isScalar(schema)) return coerceScalar(schema, text, { durations: 'keep' })
  if (schema.kind === 'raw') return { value: text }
  if (schema.kind === 'list') {
    if (!isScalar(schema.of)) return { message: `expected indexed keys (.0.<field>), got ${describe(text)}` }
    const items: unknown[] = []
    for (const item of splitList(text)) {
      const coerced = coerceScalar(schema.of, item, { durations: 'keep' })
      if ('message' in coerced) return coerced
      items.push(coerced.value)
    }
    return { value: items }
  }
  const word = text.trim().toLowerCase()
  if (word === '' || word === 'true') return { value: declare }
  if (word === 'false') return { value: undefined }
  return { message: `expected keys below this one or "true", got ${describe(text)}` }
}

function setIn(root: Record<string, unknown>, path: readonly PathStep[], value: unknown): string | undefined {
  let container: Record<string, unknown> | unknown[] = root
  for (let i = 0; i < path.length; i++) {
    const step = path[i] as PathStep
    const last = i === path.length - 1
    const existing = read(container, step)
    if (last) {
      if (value === declare) {
        if (existing === undefined) write(container, step, {})
        else if (!isContainer(existing)) return 'conflicts with another key setting a value here'
        return undefined
      }
      if (isContainer(existing) && !Array.isArray(value)) return 'conflicts with other keys below this one'
      write(container, step, value)
      return undefined
    }
    if (existing === undefined) {
      const created: Record<string, unknown> | unknown[] = typeof path[i + 1] === 'number' ? [] : {}
      write(container, step, created)
      container = created
    } else if (isContainer(existing)) {
      container = existing
    } else {
      return 'conflicts with another key setting a value here'
    }
  }
  return undefined
}

function read(container: Record<string, unknown> | unknown[], step: PathStep): unknown {
  if (Array.isArray(container)) return typeof step === 'number' ? container[step] : undefined
  return Object.hasOwn(container, step) ? container[step] : undefined
}

function write(container: Record<string, unknown> | unknown[], step: PathStep, value: unknown): void {
  if (Array.isArray(container)) container[step as number] = value
  else setOwn(container, String(step), value)
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return Array.isArray(value) || isPlainObject(value)
}

/** Drops the holes index keys leave in lists (`servers[2]` without 0 and 1). */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(compact)
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) setOwn(value, key, compact(item))
  }
  return value
}
