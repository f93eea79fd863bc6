import { parseDuration } from './duration.ts'
import { isPlainObject, setOwn } from './plain-data.ts'
import { describe, findField, isScalar, unknownKeyMessage, type ObjectSchema, type OneOfSchema, type ScalarSchema, type Schema } from './schema.ts'

/**
 * Walks a parsed value (YAML, TOML, JSON, decoded flat keys) against a schema:
 * canonicalises field names, coerces scalars the way Traefik's decoders do
 * ("true" → true, "42" → 42, 404 → "404", "a,b" → ["a", "b"]) and records
 * every problem with its path. Shared by the dynamic validator and the static
 * loader.
 */

/** A problem found at a path, e.g. `http.routers.web.priority`. */
export interface Problem {
  readonly path: string
  readonly message: string
}

/** How the walker treats durations. */
export interface CoerceOptions {
  /** `keep`: check and keep as written (dynamic); `ms`: convert to milliseconds (static). */
  readonly durations: 'keep' | 'ms'
}

/** Joins a path and a field name: `''` + `log` → `log`, `log` + `level` → `log.level`. */
export function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`
}

/**
 * Coerces `value` against `schema`. Returns the coerced value, or undefined
 * when the value is absent (null for a scalar) or invalid; problems are
 * appended to `problems`.
 */
export function coerce(schema: Schema, value: unknown, path: string, problems: Problem[], options: CoerceOptions): unknown {
  if (isScalar(schema)) return coerceScalarAt(schema, value, path, problems, options)
  switch (schema.kind) {
    case 'list':
      return coerceList(schema.of, value, path, problems, options)
    case 'map':
      return coerceMap(schema.of, value, path, problems, options)
    case 'object':
      return coerceObject(schema, value, path, problems, options)
    case 'oneOf':
      return coerceOneOf(schema, value, path, problems, options)
    case 'raw':
      return value
  }
}

function coerceScalarAt(schema: ScalarSchema, value: unknown, path: string, problems: Problem[], options: CoerceOptions): unknown {
  if (value === null || value === undefined) return undefined
  const result = coerceScalar(schema, value, options)
  if ('message' in result) {
    problems.push({ path, message: result.message })
    return undefined
  }
  return result.value
}

const trueWords = new Set(['true', 't', '1'])
const falseWords = new Set(['false', 'f', '0'])
const integer = /^[-+]?\d+$/
const decimal = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/

/** Coerces one scalar (a string from a label, or a parsed YAML/TOML value). */
export function coerceScalar(
  schema: ScalarSchema,
  value: unknown,
  options: CoerceOptions,
): { value: unknown } | { message: string } {
  switch (schema.kind) {
    case 'string':
      return coerceString(schema.enum, value)
    case 'bool': {
      if (typeof value === 'boolean') return { value }
      const word = typeof value === 'string' || typeof value === 'number' ? String(value).trim().toLowerCase() : ''
      if (trueWords.has(word)) return { value: true }
      if (falseWords.has(word)) return { value: false }
      return { message: `expected a boolean, got ${describe(value)}` }
    }
    case 'int':
    case 'number':
      return coerceNumber(schema.kind, value, schema.min, schema.max)
    case 'duration': {
      let ms: number
      try {
        ms = parseDuration(value)
      } catch (error) {
        return { message: (error as Error).message }
      }
      if (options.durations === 'ms') return { value: ms }
      return { value: typeof value === 'string' ? value.trim() : value }
    }
  }
}

function coerceString(allowed: readonly string[] | undefined, value: unknown): { value: unknown } | { message: string } {
  if (typeof value !== 'string' && typeof value !== 'boolean' && !(typeof value === 'number' && Number.isFinite(value))) {
    return { message: `expected a string, got ${describe(value)}` }
  }
  const text = String(value)
  if (allowed === undefined) return { value: text }
  const match = allowed.find((candidate) => candidate.toLowerCase() === text.trim().toLowerCase())
  if (match === undefined) return { message: `expected one of ${allowed.join(', ')}, got ${describe(text)}` }
  return { value: match }
}

function coerceNumber(kind: 'int' | 'number', value: unknown, min?: number, max?: number): { value: unknown } | { message: string } {
  const expected = kind === 'int' ? 'an integer' : 'a number'
  let parsed: number | undefined
  if (typeof value === 'number' && Number.isFinite(value)) parsed = value
  else if (typeof value === 'string' && (kind === 'int' ? integer : decimal).test(value.trim())) parsed = Number(value.trim())
  if (parsed === undefined || (kind === 'int' && !Number.isSafeInteger(parsed))) {
    return { message: `expected ${expected}, got ${describe(value)}` }
  }
  if (min !== undefined && parsed < min) return { message: `must be at least ${min}, got ${parsed}` }
  if (max !== undefined && parsed > max) return { message: `must be at most ${max}, got ${parsed}` }
  return { value: parsed }
}

function coerceList(of: Schema, given: unknown, path: string, problems: Problem[], options: CoerceOptions): unknown {
  if (given === null || given === undefined) return undefined
  let value = listFromEmptyMap(given)
  if (!Array.isArray(value)) {
    // Traefik's decoders read a scalar as a comma-separated list ("web,websecure").
    if (!isScalar(of) || (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')) {
      problems.push({ path, message: `expected a list, got ${describe(value)}` })
      return undefined
    }
    value = splitList(String(value))
  }
  const out: unknown[] = []
  ;(value as unknown[]).forEach((item, index) => {
    const coerced = coerce(of, item, `${path}[${index}]`, problems, options)
    if (coerced !== undefined) out.push(coerced)
  })
  return out
}

/**
 * An empty map where a list is expected is an empty list, as Traefik's
 * decoder reads it: `servers: {}` is a load balancer with no servers (the
 * documented catch-all that answers 503 rather than 404), not an error.
 */
export function listFromEmptyMap(value: unknown): unknown {
  return isPlainObject(value) && Object.keys(value).length === 0 ? [] : value
}

/** Splits a comma-separated list, trimming items and dropping empty ones. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

function coerceMap(of: Schema, value: unknown, path: string, problems: Problem[], options: CoerceOptions): unknown {
  if (value === null || value === undefined) return undefined
  if (!isPlainObject(value)) {
    problems.push({ path, message: `expected a map of names to values, got ${describe(value)}` })
    return undefined
  }
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    // An empty YAML value in a map of strings (`X-Header:`) is the empty string, as in Traefik.
    const given = item === null && of.kind === 'string' ? '' : item
    const coerced = coerce(of, given, joinPath(path, key), problems, options)
    if (coerced !== undefined) setOwn(out, key, coerced)
  }
  return out
}

/**
 * Reads an object-shaped value. `null`, `true` and `"true"` mean "present,
 * with defaults" as Traefik's `allowEmpty` (`tls: {}` or the label `tls=true`);
 * `false` means absent.
 */
function objectEntries(value: unknown, path: string, problems: Problem[]): Array<[string, unknown]> | undefined {
  if (value === null || value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true')) return []
  if (value === undefined || value === false || (typeof value === 'string' && value.trim().toLowerCase() === 'false')) return undefined
  if (!isPlainObject(value)) {
    problems.push({ path, message: `expected an object, got ${describe(value)}` })
    return undefined
  }
  return Object.entries(value)
}

function coerceObject(schema: ObjectSchema, value: unknown, path: string, problems: Problem[], given: CoerceOptions): unknown {
  const entries = objectEntries(value, path, problems)
  if (entries === undefined) return undefined
  const options: CoerceOptions = schema.keepDurations === true ? { ...given, durations: 'keep' } : given
  const out: Record<string, unknown> = {}
  for (const [key, item] of entries) {
    const field = findField(schema, key)
    const at = joinPath(path, key)
    if (field === undefined) {
      problems.push({ path: at, message: unknownKeyMessage(schema, key, 'unknown field') })
      continue
    }
    if (field.name in out) {
      problems.push({ path: at, message: `duplicate of ${joinPath(path, field.name)}` })
      continue
    }
    const coerced = coerce(field.schema, item, joinPath(path, field.name), problems, options)
    if (coerced !== undefined) out[field.name] = coerced
  }
  return out
}

function coerceOneOf(schema: OneOfSchema, value: unknown, path: string, problems: Problem[], options: CoerceOptions): unknown {
  const entries = objectEntries(value, path, problems) ?? []
  const out: Record<string, unknown> = {}
  const shared: Record<string, unknown> = {}
  const seen: string[] = []
  for (const [key, item] of entries) {
    const option = findField(schema, key)
    if (option === undefined) {
      problems.push({ path: joinPath(path, key), message: `unknown ${schema.what} type ${JSON.stringify(key)}` })
      seen.push(key)
      continue
    }
    if (option.shared === true && option.name in shared) {
      problems.push({ path: joinPath(path, key), message: `duplicate of ${joinPath(path, option.name)}` })
      continue
    }
    if (option.shared !== true) seen.push(option.name)
    const coerced = coerce(option.schema, item, joinPath(path, option.name), problems, options)
    if (coerced !== undefined) (option.shared === true ? shared : out)[option.name] = coerced
  }
  if (seen.length !== 1) problems.push({ path, message: exactlyOneMessage(schema, seen) })
  // The option comes first, whatever order it was written in: code reading
  // the first key of a service as its kind stays right when `middlewares` is set.
  return { ...out, ...shared }
}

function exactlyOneMessage(schema: OneOfSchema, seen: readonly string[]): string {
  const names = Object.keys(schema.options)
  const wanted = names.length <= 6 ? `exactly one of ${names.join(', ')}` : 'exactly one type'
  const got = seen.length === 0 ? 'none' : seen.join(' and ')
  return `a ${schema.what} needs ${wanted}; got ${got}`
}
