/**
 * How the template engine sees JavaScript values in Go's terms. `undefined`
 * is Go's invalid value (a missing map key: prints `<no value>`), `null` is
 * `nil`. A whole number is an `int`, any other number a `float64`. Arrays
 * are lists (`[]interface {}`); plain objects and `Map`s are maps, whose
 * missing keys read as no value; any other object (a class instance) is a
 * struct, whose unknown fields are an error, as in Go.
 */
export type Kind = 'invalid' | 'nil' | 'bool' | 'int' | 'float' | 'string' | 'list' | 'map' | 'func' | 'struct'

/** The largest magnitude an `int` holds (Go's int64); a whole number beyond it is a float64. */
const int64Limit = 2 ** 63

export function kindOf(value: unknown): Kind {
  switch (typeof value) {
    case 'undefined':
      return 'invalid'
    case 'boolean':
      return 'bool'
    case 'number':
      return Number.isInteger(value) && Math.abs(value) < int64Limit ? 'int' : 'float'
    case 'bigint':
      return 'int'
    case 'string':
      return 'string'
    case 'function':
      return 'func'
    case 'symbol':
      return 'struct'
    default:
      if (value === null) return 'nil'
      if (Array.isArray(value)) return 'list'
      return isMap(value) ? 'map' : 'struct'
  }
}

/** A plain object or a `Map`: what Go would hold as a map. */
export function isMap(value: unknown): value is Record<string, unknown> | Map<unknown, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  if (value instanceof Map) return true
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** Go's name for the type of `value`, as its messages and `%T` show it. */
export function typeName(value: unknown): string {
  switch (kindOf(value)) {
    case 'invalid':
    case 'nil':
      return '<nil>'
    case 'bool':
      return 'bool'
    case 'int':
      return 'int'
    case 'float':
      return 'float64'
    case 'string':
      return 'string'
    case 'list':
      return '[]interface {}'
    case 'map':
      return 'map[string]interface {}'
    case 'func':
      return 'func'
    case 'struct': {
      const name = (value as { constructor?: { name?: unknown } }).constructor?.name
      return typeof name === 'string' && name !== '' ? name : 'struct'
    }
  }
}

/**
 * Go's truth: false, 0, nil, no value and empty strings, lists and maps
 * are false; everything else (structs, functions) is true.
 */
export function isTrue(value: unknown): boolean {
  switch (kindOf(value)) {
    case 'invalid':
    case 'nil':
      return false
    case 'bool':
      return value as boolean
    case 'int':
    case 'float':
      return typeof value === 'bigint' ? value !== 0n : value !== 0
    case 'string':
      return (value as string).length > 0
    case 'list':
      return (value as unknown[]).length > 0
    case 'map':
      return mapSize(value as Record<string, unknown> | Map<unknown, unknown>) > 0
    default:
      return true
  }
}

export function mapSize(map: Record<string, unknown> | Map<unknown, unknown>): number {
  return map instanceof Map ? map.size : Object.keys(map).length
}

/** A map's entries in Go's order for `range` and printing: keys sorted (numbers by value, strings by code unit). */
export function sortedEntries(map: Record<string, unknown> | Map<unknown, unknown>): Array<[unknown, unknown]> {
  const entries: Array<[unknown, unknown]> = map instanceof Map ? [...map.entries()] : Object.entries(map)
  return entries.sort(([a], [b]) => compareKeys(a, b))
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const x = String(a)
  const y = String(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** A map's value for `key`, or undefined (no value) when it has none. Only own keys count: `.constructor` is no key. */
export function mapGet(map: Record<string, unknown> | Map<unknown, unknown>, key: unknown): unknown {
  if (map instanceof Map) return map.get(key)
  return typeof key === 'string' && Object.hasOwn(map, key) ? map[key] : undefined
}

/** A struct's field or method `name`: own properties, and what its class declares (not Object's own methods). */
export function structMember(value: object, name: string): { found: boolean; value: unknown } {
  if (Object.hasOwn(value, name)) return { found: true, value: (value as Record<string, unknown>)[name] }
  for (let proto: unknown = Object.getPrototypeOf(value); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (Object.hasOwn(proto as object, name) && name !== 'constructor') return { found: true, value: (value as Record<string, unknown>)[name] }
  }
  return { found: false, value: undefined }
}

/** UTF-8 length, which is what Go's `len` counts for a string. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}
