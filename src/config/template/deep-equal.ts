import { charge } from './budget.ts'
import { maxValueDepth } from './fmt-value.ts'
import { LimitError } from './template-error.ts'
import { kindOf, mapGet, mapSize, sortedEntries } from './values.ts'

/**
 * Go's `reflect.DeepEqual` for template values (Sprig's `has`, `uniq`,
 * `without`): lists item by item, maps key by key, the rest by value.
 * Each value visited costs a step, and nesting is capped, so comparing two
 * structures built to be huge (or a map holding itself) stays bounded.
 */
export function deepEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (depth > maxValueDepth) throw new LimitError(`value nested deeper than ${maxValueDepth} levels`)
  charge(1)
  const kind = kindOf(a)
  if (kind !== kindOf(b)) return false
  if (kind === 'list') {
    const x = a as readonly unknown[]
    const y = b as readonly unknown[]
    return x.length === y.length && x.every((item, i) => deepEqual(item, y[i], depth + 1))
  }
  if (kind === 'map') {
    const x = a as Record<string, unknown>
    const y = b as Record<string, unknown>
    if (mapSize(x) !== mapSize(y)) return false
    return sortedEntries(x).every(([key, value]) => mapGet(y, key) !== undefined && deepEqual(value, mapGet(y, key), depth + 1))
  }
  return a === b || (kind === 'invalid' || kind === 'nil')
}
