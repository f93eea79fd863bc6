import { toFloat64, toInt64 } from './convert.ts'
import { typed, type TemplateFunction } from './signature.ts'

/**
 * Sprig's integer arithmetic: every argument converted as Sprig's
 * `toInt64` does (a string "3" is 3, anything unreadable 0), integer
 * results (`div 7 2` is 3). Division by zero is an error, as Go's panic is.
 */

function divide(a: unknown, b: unknown, op: (x: number, y: number) => number): number {
  const divisor = toInt64(b)
  if (divisor === 0) throw new Error('runtime error: integer divide by zero')
  return op(toInt64(a), divisor)
}

/** Sprig's `round`: to `places` decimals, up from `roundOn` (0.5 by default). */
function round(value: unknown, places: number, ...roundOn: number[]): number {
  const pow = 10 ** places
  const digit = pow * toFloat64(value)
  const fraction = digit - Math.trunc(digit)
  return (fraction >= (roundOn[0] ?? 0.5) ? Math.ceil(digit) : Math.floor(digit)) / pow
}

/** Go's `strconv.Atoi`, 0 when it fails (as Sprig swallows the error). */
function atoi(text: string): number {
  if (!/^[+-]?[0-9]+$/.test(text) || text.length > 21) return 0
  const value = BigInt(text)
  return value > 2n ** 63n - 1n || value < -(2n ** 63n) ? 0 : Number(value)
}

const any = 'any' as const

export const sprigMath: Readonly<Record<string, TemplateFunction>> = {
  add: typed('add', { params: [], variadic: any }, (...values: unknown[]) => values.reduce<number>((sum, value) => sum + toInt64(value), 0)),
  add1: typed('add1', { params: [any] }, (value: unknown) => toInt64(value) + 1),
  sub: typed('sub', { params: [any, any] }, (a: unknown, b: unknown) => toInt64(a) - toInt64(b)),
  mul: typed('mul', { params: [any], variadic: any }, (first: unknown, ...values: unknown[]) => values.reduce<number>((product, value) => product * toInt64(value), toInt64(first))),
  div: typed('div', { params: [any, any] }, (a: unknown, b: unknown) => divide(a, b, (x, y) => Math.trunc(x / y))),
  mod: typed('mod', { params: [any, any] }, (a: unknown, b: unknown) => divide(a, b, (x, y) => x % y)),
  max: typed('max', { params: [any], variadic: any }, (first: unknown, ...values: unknown[]) => Math.max(toInt64(first), ...values.map(toInt64))),
  biggest: typed('biggest', { params: [any], variadic: any }, (first: unknown, ...values: unknown[]) => Math.max(toInt64(first), ...values.map(toInt64))),
  min: typed('min', { params: [any], variadic: any }, (first: unknown, ...values: unknown[]) => Math.min(toInt64(first), ...values.map(toInt64))),
  atoi: typed('atoi', { params: ['string'] }, atoi),
  int: typed('int', { params: [any] }, toInt64),
  int64: typed('int64', { params: [any] }, toInt64),
  float64: typed('float64', { params: [any] }, toFloat64),
  floor: typed('floor', { params: [any] }, (value: unknown) => Math.floor(toFloat64(value))),
  ceil: typed('ceil', { params: [any] }, (value: unknown) => Math.ceil(toFloat64(value))),
  round: typed('round', { params: [any, 'int'], variadic: 'float' }, round),
}
