import { charge } from './budget.ts'
import { strval } from './convert.ts'
import { setOwn } from '../plain-data.ts'
import { typed, type TemplateFunction } from './signature.ts'
import { mapGet, sortedEntries } from './values.ts'

/**
 * Sprig's dictionary functions. A dict is a plain object; keys are set as
 * own properties, so `dict "__proto__" 1` is a key like any other. Like
 * Sprig, `set` and `unset` change the dict they are given. `keys` and
 * `values` come in key order, where Sprig's follow Go's random map order.
 */

type Dict = Record<string, unknown> | Map<unknown, unknown>

function dict(...pairs: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (let i = 0; i < pairs.length; i += 2) setOwn(out, strval(pairs[i]), i + 1 < pairs.length ? pairs[i + 1] : '')
  return out
}

function set(map: Dict, key: string, value: unknown): Dict {
  if (map instanceof Map) map.set(key, value)
  else setOwn(map, key, value)
  return map
}

function unset(map: Dict, key: string): Dict {
  if (map instanceof Map) map.delete(key)
  else if (Object.hasOwn(map, key)) Reflect.deleteProperty(map, key)
  return map
}

function hasKey(map: Dict, key: string): boolean {
  return map instanceof Map ? map.has(key) : Object.hasOwn(map, key)
}

function entries(map: Dict): Array<[unknown, unknown]> {
  const all = sortedEntries(map)
  charge(all.length)
  return all
}

const m = 'map' as const
const s = 'string' as const

export const sprigDicts: Readonly<Record<string, TemplateFunction>> = {
  dict: typed('dict', { params: [], variadic: 'any' }, dict),
  get: typed('get', { params: [m, s] }, (map: Dict, key: string) => (hasKey(map, key) ? mapGet(map, key) : '')),
  set: typed('set', { params: [m, s, 'any'] }, set),
  unset: typed('unset', { params: [m, s] }, unset),
  hasKey: typed('hasKey', { params: [m, s] }, hasKey),
  keys: typed('keys', { params: [], variadic: m }, (...maps: Dict[]) => maps.flatMap((map) => entries(map).map(([key]) => key))),
  values: typed('values', { params: [m] }, (map: Dict) => entries(map).map(([, value]) => value)),
  pluck: typed('pluck', { params: [s], variadic: m }, (key: string, ...maps: Dict[]) => maps.filter((map) => hasKey(map, key)).map((map) => mapGet(map, key))),
  pick: typed('pick', { params: [m], variadic: s }, (map: Dict, ...keys: string[]) => dict(...keys.filter((key) => hasKey(map, key)).flatMap((key) => [key, mapGet(map, key)]))),
  omit: typed('omit', { params: [m], variadic: s }, (map: Dict, ...keys: string[]) => {
    const omitted = new Set(keys)
    return dict(...entries(map).flatMap(([key, value]) => (omitted.has(String(key)) ? [] : [key, value])))
  }),
}
