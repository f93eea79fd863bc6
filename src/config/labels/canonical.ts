import { isPlainObject, setOwn } from '../plain-data.ts'

/**
 * A deep copy of plain data with every object's keys in sorted order
 * (lists keep theirs). Providers emit snapshots this way so that the same
 * state always serialises to the same text, which is how the watcher tells
 * an unchanged snapshot, and so comparing two definitions is comparing two
 * strings.
 *
 * @example
 * JSON.stringify(sortedCopy({ b: 1, a: { d: [2, 1], c: 3 } })) // '{"a":{"c":3,"d":[2,1]},"b":1}'
 */
export function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy)
  if (!isPlainObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) setOwn(out, key, sortedCopy(value[key]))
  return out
}

/** The text of a definition, equal for equal definitions whatever their key order. */
export function canonicalText(value: unknown): string {
  return JSON.stringify(sortedCopy(value)) ?? 'undefined'
}
