import { isPlainObject, setOwn } from './plain-data.ts'
import { fieldsOf, type Schema } from './schema.ts'

/**
 * Fills in schema defaults: an absent scalar or list takes its `default`, an
 * absent object is created only when marked `materialize`, and present
 * objects get their own defaults. Returns a new value; the input is not
 * modified.
 */
export function applyDefaults(schema: Schema, value: unknown): unknown {
  switch (schema.kind) {
    case 'object':
    case 'oneOf': {
      if (value === undefined && !(schema.kind === 'object' && schema.materialize === true)) return schema.default
      const source = isPlainObject(value) ? value : {}
      const out: Record<string, unknown> = { ...source }
      for (const [name, field] of Object.entries(fieldsOf(schema))) {
        const filled = applyDefaults(field, source[name])
        if (filled !== undefined) setOwn(out, name, filled)
      }
      return out
    }
    case 'map': {
      if (!isPlainObject(value)) return value ?? structuredClone(schema.default)
      const out: Record<string, unknown> = {}
      for (const [name, item] of Object.entries(value)) setOwn(out, name, applyDefaults(schema.of, item))
      return out
    }
    case 'list':
      if (!Array.isArray(value)) return value ?? structuredClone(schema.default)
      return value.map((item) => applyDefaults(schema.of, item))
    default:
      return value ?? schema.default
  }
}

/** Deep-merges layers, later ones winning; objects merge key by key, lists and scalars are replaced. */
export function deepMerge(...layers: readonly unknown[]): unknown {
  let result: unknown = undefined
  for (const layer of layers) result = mergeTwo(result, layer)
  return result
}

function mergeTwo(base: unknown, over: unknown): unknown {
  if (over === undefined) return base
  if (!isPlainObject(base) || !isPlainObject(over)) return over
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(over)) setOwn(out, key, mergeTwo(base[key], value))
  return out
}

/** Freezes a value and everything reachable from it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const item of Object.values(value)) deepFreeze(item)
  }
  return value
}
