import { formatPlain } from './printf.ts'
import { kindOf } from './values.ts'

/** Sprig's `strval`: a string as it is, anything else as `%v` prints it. */
export function strval(value: unknown): string {
  return typeof value === 'string' ? value : formatPlain(value)
}

/**
 * Sprig's `toInt64` (spf13/cast): numbers truncated, booleans 1 and 0,
 * strings parsed as Go's `ParseInt(s, 0, 64)` after dropping a `.000`
 * tail, anything else (or anything unparsable) 0.
 */
export function toInt64(value: unknown): number {
  switch (kindOf(value)) {
    case 'int':
    case 'float': {
      const number = Number(value)
      return Number.isFinite(number) ? Math.trunc(number) : 0
    }
    case 'bool':
      return value === true ? 1 : 0
    case 'string':
      return parseGoInt(trimZeroDecimal(value as string))
    default:
      return 0
  }
}

/** Sprig's `toFloat64`: numbers as they are, booleans 1 and 0, strings parsed, anything else 0. */
export function toFloat64(value: unknown): number {
  switch (kindOf(value)) {
    case 'int':
    case 'float':
      return Number(value)
    case 'bool':
      return value === true ? 1 : 0
    case 'string': {
      const text = value as string
      return /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(text) ? Number(text) : 0
    }
    default:
      return 0
  }
}

/** `12.000` → `12`: cast accepts a whole number written with zero decimals. */
function trimZeroDecimal(text: string): string {
  let zero = false
  for (let i = text.length; i > 0; i--) {
    const c = text[i - 1]
    if (c === '.') return zero ? text.slice(0, i - 1) : text
    if (c !== '0') return text
    zero = true
  }
  return text
}

const goInteger = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/

/** Go's `strconv.ParseInt(s, 0, 64)`, 0 when it fails (out of int64's range included). */
function parseGoInt(text: string): number {
  const match = goInteger.exec(text)
  if (match === null || text.length > 80) return 0
  const [, sign = '', digits = ''] = match
  const plain = digits.replaceAll('_', '')
  const value = BigInt(/^0[0-7]+$/.test(plain) ? `0o${plain.slice(1)}` : plain)
  const signed = sign === '-' ? -value : value
  if (signed > 2n ** 63n - 1n || signed < -(2n ** 63n)) return 0
  return Number(signed)
}
