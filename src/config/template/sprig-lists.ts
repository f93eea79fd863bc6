import { charge, chargeString } from './budget.ts'
import { strval } from './convert.ts'
import { deepEqual } from './deep-equal.ts'
import { toStrings } from './sprig-strings.ts'
import { typed, type TemplateFunction } from './signature.ts'
import { kindOf, typeName } from './values.ts'

/** Sprig's list functions. Lists are never changed in place: `append` makes a new one, as Sprig does. */

/** The list a function was given, or Sprig's error for anything else. */
function listOf(name: string, value: unknown): readonly unknown[] {
  if (!Array.isArray(value)) throw new Error(`cannot ${name} on type ${typeName(value)}`)
  charge(value.length)
  return value
}

/** Sprig's `untilStep`: start, start+step, ... up to (not including) stop; nothing when the step goes the wrong way. */
function untilStep(start: number, stop: number, step: number): number[] {
  const count = step > 0 && stop > start ? Math.ceil((stop - start) / step) : step < 0 && stop < start ? Math.ceil((start - stop) / -step) : 0
  // Paid for before the list exists: `until 1000000000` fails here, without allocating.
  charge(count)
  return Array.from({ length: count }, (_, i) => start + i * step)
}

/** Sprig's `seq`, like the shell's: `seq 3` is "1 2 3", `seq 2 -1 0` is "2 1 0". */
function seq(...params: number[]): string {
  const [a = 0, b = 0, c = 0] = params
  let items: number[]
  if (params.length === 1) items = untilStep(1, a + (a < 1 ? -1 : 1), a < 1 ? -1 : 1)
  else if (params.length === 2) items = untilStep(a, b + (b < a ? -1 : 1), b < a ? -1 : 1)
  else if (params.length === 3) items = c < a && b > 0 ? [] : untilStep(a, c + (c < a ? -1 : 1), b)
  else items = []
  const text = items.join(' ')
  chargeString(text.length)
  return text
}

/** Sprig's `slice` for lists (start and end default to the whole), Go's builtin `slice` for strings (byte offsets). */
function slice(value: unknown, ...indexes: unknown[]): unknown {
  if (typeof value === 'string') return sliceString(value, indexes)
  if (!Array.isArray(value)) throw new Error(`list should be type of slice or array but ${typeName(value)}`)
  if (value.length === 0) return null
  const start = indexes.length > 0 ? Math.trunc(Number(indexes[0])) : 0
  const end = indexes.length > 1 ? Math.trunc(Number(indexes[1])) : value.length
  if (!(start >= 0 && start <= end && end <= value.length)) throw new Error(`slice bounds out of range [${start}:${end}] with length ${value.length}`)
  charge(end - start)
  return value.slice(start, end)
}

function sliceString(value: string, indexes: readonly unknown[]): string {
  if (indexes.length > 2) throw new Error('cannot 3-index slice a string')
  const bytes = Buffer.from(value, 'utf8')
  const [start = 0, end = bytes.length] = indexes.map((index) => {
    if (kindOf(index) !== 'int') throw new Error(`cannot index slice/array with type ${typeName(index)}`)
    return Number(index)
  })
  if (!(start >= 0 && start <= end && end <= bytes.length)) throw new Error(`index out of range: ${start}:${end}`)
  return bytes.subarray(start, end).toString('utf8')
}

function uniq(value: unknown): unknown[] {
  const out: unknown[] = []
  for (const item of listOf('find uniq', value)) if (!out.some((seen) => deepEqual(seen, item))) out.push(item)
  return out
}

const any = 'any' as const

export const sprigLists: Readonly<Record<string, TemplateFunction>> = {
  list: typed('list', { params: [], variadic: any }, (...items: unknown[]) => items),
  tuple: typed('tuple', { params: [], variadic: any }, (...items: unknown[]) => items),
  append: typed('append', { params: [any, any] }, (list: unknown, item: unknown) => [...listOf('push', list), item]),
  push: typed('push', { params: [any, any] }, (list: unknown, item: unknown) => [...listOf('push', list), item]),
  prepend: typed('prepend', { params: [any, any] }, (list: unknown, item: unknown) => [item, ...listOf('prepend', list)]),
  first: typed('first', { params: [any] }, (list: unknown) => (Array.isArray(list) ? (list.length === 0 ? null : list[0]) : listOf('find first', list))),
  last: typed('last', { params: [any] }, (list: unknown) => (Array.isArray(list) ? (list.length === 0 ? null : list.at(-1)) : listOf('find last', list))),
  rest: typed('rest', { params: [any] }, (list: unknown) => listOf('find rest', list).slice(1)),
  initial: typed('initial', { params: [any] }, (list: unknown) => listOf('find initial', list).slice(0, -1)),
  reverse: typed('reverse', { params: [any] }, (list: unknown) => [...listOf('find reverse', list)].reverse()),
  uniq: typed('uniq', { params: [any] }, uniq),
  compact: typed('compact', { params: [any] }, (list: unknown) => listOf('compact', list).filter((item) => !isEmptyValue(item))),
  has: typed('has', { params: [any, any] }, (needle: unknown, list: unknown) => (list === null ? false : listOf('find has', list).some((item) => deepEqual(needle, item)))),
  without: typed('without', { params: [any], variadic: any }, (list: unknown, ...omit: unknown[]) =>
    listOf('find without', list).filter((item) => !omit.some((other) => deepEqual(other, item))),
  ),
  concat: typed('concat', { params: [], variadic: any }, (...lists: unknown[]) => lists.flatMap((list) => [...listOf('concat', list)])),
  until: typed('until', { params: ['int'] }, (count: number) => untilStep(0, count, count < 0 ? -1 : 1)),
  untilStep: typed('untilStep', { params: ['int', 'int', 'int'] }, untilStep),
  seq: typed('seq', { params: [], variadic: 'int' }, seq),
  sortAlpha: typed('sortAlpha', { params: [any] }, (list: unknown) => (Array.isArray(list) ? toStrings(list).sort() : [strval(list)])),
  slice: typed('slice', { params: [any], variadic: any }, slice),
}

/** Sprig's `empty`: nil, false, 0, and empty strings, lists and maps. */
export function isEmptyValue(value: unknown): boolean {
  switch (kindOf(value)) {
    case 'invalid':
    case 'nil':
      return true
    case 'bool':
      return value === false
    case 'int':
    case 'float':
      return Number(value) === 0
    case 'string':
      return value === ''
    case 'list':
      return (value as unknown[]).length === 0
    case 'map':
      return value instanceof Map ? value.size === 0 : Object.keys(value as object).length === 0
    default:
      return false
  }
}
