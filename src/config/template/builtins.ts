import { sprint, sprintf, sprintln } from './printf.ts'
import { typed, type TemplateFunction } from './signature.ts'
import { byteLength, isTrue, kindOf, mapSize, typeName } from './values.ts'

/**
 * Go's own template functions. `and` and `or` are also evaluated specially
 * (their arguments are evaluated only as far as needed); these bodies serve
 * a direct call.
 */
export const andFunction = typed('and', { params: ['any'], variadic: 'any' }, (...args: unknown[]) => {
  for (const arg of args) if (!isTrue(arg)) return arg
  return args.at(-1)
})

export const orFunction = typed('or', { params: ['any'], variadic: 'any' }, (...args: unknown[]) => {
  for (const arg of args) if (isTrue(arg)) return arg
  return args.at(-1)
})

/** `len`: UTF-8 bytes of a string, items of a list or map. */
function length(item: unknown): number {
  switch (kindOf(item)) {
    case 'string':
      return byteLength(item as string)
    case 'list':
      return (item as unknown[]).length
    case 'map':
      return mapSize(item as Record<string, unknown>)
    case 'nil':
      throw new Error('len of nil pointer')
    default:
      throw new Error(`len of type ${typeName(item)}`)
  }
}

/** `index x 1 "k"`: x[1]["k"]; a missing map key gives nil, an index out of range is an error. */
function index(item: unknown, ...keys: unknown[]): unknown {
  if (item === null) throw new Error('index of untyped nil')
  let value: unknown = item
  for (const key of keys) {
    const kind = kindOf(value)
    if (kind === 'list' || kind === 'string') {
      if (kindOf(key) !== 'int') throw new Error(`cannot index slice/array with type ${typeName(key)}`)
      const items: ArrayLike<unknown> = kind === 'list' ? (value as unknown[]) : Buffer.from(value as string, 'utf8')
      const at = Number(key)
      if (at < 0 || at >= items.length) throw new Error(`index out of range: ${at}`)
      value = items[at]
    } else if (kind === 'map') {
      if (value instanceof Map) value = value.has(key) ? value.get(key) : null
      else if (typeof key !== 'string') throw new Error(`value has type ${typeName(key)}; should be string`)
      else value = Object.hasOwn(value as object, key) ? (value as Record<string, unknown>)[key] : null
    } else if (kind === 'nil') throw new Error('index of nil pointer')
    else throw new Error(`can't index item of type ${typeName(value)}`)
  }
  return value
}

type Basic = 'bool' | 'number' | 'string' | 'nil' | 'other'

function basicKind(value: unknown): Basic {
  const kind = kindOf(value)
  if (kind === 'int' || kind === 'float') return 'number'
  if (kind === 'invalid' || kind === 'nil') return 'nil'
  return kind === 'bool' || kind === 'string' ? kind : 'other'
}

/**
 * `eq a b c`: a equals b or c. Numbers compare by value whether whole or
 * not (JavaScript has one number type; Go would refuse `eq 1 1.5`); nil
 * equals only nil; lists and maps cannot be compared.
 */
function eq(first: unknown, ...others: unknown[]): boolean {
  const k1 = basicKind(first)
  for (const other of others) {
    const k2 = basicKind(other)
    if (k1 !== k2) {
      if (k1 !== 'nil' && k2 !== 'nil') throw new Error('incompatible types for comparison')
      continue
    }
    if (k1 === 'other' && (kindOf(first) !== 'struct' || kindOf(other) !== 'struct')) {
      throw new Error(`non-comparable types ${typeName(first)} and ${typeName(other)}`)
    }
    if (k1 === 'nil' || first === other) return true
  }
  return false
}

function ordered(name: string, compare: (a: number | string, b: number | string) => boolean): TemplateFunction {
  return typed(name, { params: ['any', 'any'] }, (a: unknown, b: unknown) => {
    const k1 = basicKind(a)
    const k2 = basicKind(b)
    if (k1 === 'nil' || k1 === 'other' || k1 === 'bool' || k2 === 'nil' || k2 === 'other' || k2 === 'bool') throw new Error('invalid type for comparison')
    if (k1 !== k2) throw new Error('incompatible types for comparison')
    return compare(a as number | string, b as number | string)
  })
}

/** `html`, `js`, `urlquery` take their arguments as `print` would join them. */
function joined(args: readonly unknown[]): string {
  return args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args)
}

const htmlEscapes: Record<string, string> = { '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;', '\0': '\uFFFD' }
const jsEscapes: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D' }
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u

function escapeJs(text: string): string {
  let out = ''
  for (const char of text) {
    const escaped = jsEscapes[char]
    if (escaped !== undefined) out += escaped
    else if (printable.test(char)) out += char
    else out += `\\u${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
  }
  return out
}

/** Go's `url.QueryEscape`: unreserved characters kept, space as `+`, every other byte as `%XX`. */
function queryEscape(text: string): string {
  let out = ''
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte)
    if (/[A-Za-z0-9\-_.~]/.test(char)) out += char
    else if (char === ' ') out += '+'
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** Go's `text/template` builtins, by name. `slice` is Sprig's (see the list functions), as Traefik registers it. */
export const goBuiltins: Readonly<Record<string, TemplateFunction>> = {
  and: andFunction,
  or: orFunction,
  not: typed('not', { params: ['any'] }, (value: unknown) => !isTrue(value)),
  len: typed('len', { params: ['any'] }, length),
  index: typed('index', { params: ['any'], variadic: 'any' }, index),
  print: typed('print', { params: [], variadic: 'any' }, (...args: unknown[]) => sprint(args)),
  printf: typed('printf', { params: ['string'], variadic: 'any' }, (format: string, ...args: unknown[]) => sprintf(format, args)),
  println: typed('println', { params: [], variadic: 'any' }, (...args: unknown[]) => sprintln(args)),
  eq: typed('eq', { params: ['any', 'any'], variadic: 'any' }, eq),
  ne: typed('ne', { params: ['any', 'any'] }, (a: unknown, b: unknown) => !eq(a, b)),
  lt: ordered('lt', (a, b) => a < b),
  le: ordered('le', (a, b) => a <= b),
  gt: ordered('gt', (a, b) => a > b),
  ge: ordered('ge', (a, b) => a >= b),
  html: typed('html', { params: [], variadic: 'any' }, (...args: unknown[]) => joined(args).replace(/["'&<>\0]/g, (c) => htmlEscapes[c] ?? c)),
  js: typed('js', { params: [], variadic: 'any' }, (...args: unknown[]) => escapeJs(joined(args))),
  urlquery: typed('urlquery', { params: [], variadic: 'any' }, (...args: unknown[]) => queryEscape(joined(args))),
}
