/**
 * Go's number formatting (`strconv.FormatFloat`, `fmt`'s integer verbs),
 * for the verbs templates use. Digits come from the exact decimal value of
 * the double and are rounded half to even, as Go does: `%.1f` of 0.25 is
 * `0.2`, where JavaScript's `toFixed` says `0.3`.
 */

/** Decimal digits (no leading zeros, trailing zeros trimmed) and where the point goes: 0.0123 is `123`, -1. */
interface Digits {
  readonly digits: string
  readonly point: number
}

/** The exact decimal expansion of a finite, non-negative double. */
function exactDigits(x: number): Digits {
  if (x === 0) return { digits: '', point: 0 }
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const bits = view.getBigUint64(0)
  const exponentBits = Number((bits >> 52n) & 0x7ffn)
  const fraction = bits & ((1n << 52n) - 1n)
  const mantissa = exponentBits === 0 ? fraction : fraction | (1n << 52n)
  const exponent = (exponentBits === 0 ? 1 : exponentBits) - 1075
  // x = mantissa · 2^exponent; for a negative exponent, multiply by 5^-e and move the point left by -e.
  const integer = exponent >= 0 ? mantissa << BigInt(exponent) : mantissa * 5n ** BigInt(-exponent)
  const text = integer.toString()
  return trim({ digits: text, point: text.length + Math.min(exponent, 0) })
}

/** The shortest digits that read back as `x` (JavaScript and Go agree on them). */
function shortestDigits(x: number): Digits {
  if (x === 0) return { digits: '', point: 0 }
  const [mantissa = '', exponent = '0'] = x.toExponential().split('e')
  return trim({ digits: mantissa.replace('.', ''), point: Number(exponent) + 1 })
}

function trim(d: Digits): Digits {
  let end = d.digits.length
  while (end > 0 && d.digits[end - 1] === '0') end--
  let start = 0
  while (start < end && d.digits[start] === '0') start++
  return end === 0 ? { digits: '', point: 0 } : { digits: d.digits.slice(start, end), point: d.point - start }
}

/** Keeps `count` digits, rounding half to even on the exact value. */
function round(d: Digits, count: number): Digits {
  if (count < 0) return { digits: '', point: 0 }
  if (count >= d.digits.length) return d
  const next = d.digits.charCodeAt(count) - 48
  const exactHalf = next === 5 && count + 1 === d.digits.length
  const previous = count > 0 ? d.digits.charCodeAt(count - 1) - 48 : 0
  const up = next > 5 || (next === 5 && (!exactHalf || previous % 2 === 1))
  if (!up) return trim({ digits: d.digits.slice(0, count), point: d.point })
  // Carry: 999 becomes 1000, which moves the point.
  let i = count - 1
  while (i >= 0 && d.digits[i] === '9') i--
  if (i < 0) return { digits: '1', point: d.point + 1 }
  return trim({ digits: d.digits.slice(0, i) + String(d.digits.charCodeAt(i) - 47), point: d.point })
}

function digitAt(d: Digits, index: number): string {
  return d.digits[index] ?? '0'
}

/** `%e`: one digit, the point, `precision` digits, then `e±dd`. */
function formatE(d: Digits, precision: number, e: string): string {
  let out = digitAt(d, 0)
  if (precision > 0) {
    out += '.'
    for (let i = 1; i <= precision; i++) out += digitAt(d, i)
  }
  const exponent = d.digits === '' ? 0 : d.point - 1
  const magnitude = String(Math.abs(exponent)).padStart(2, '0')
  return `${out}${e}${exponent < 0 ? '-' : '+'}${magnitude}`
}

/** `%f`: the integer part (at least `0`), then `precision` decimals. */
function formatF(d: Digits, precision: number): string {
  let out = ''
  if (d.point <= 0) out = '0'
  else for (let i = 0; i < d.point; i++) out += digitAt(d, i)
  if (precision > 0) {
    out += '.'
    for (let i = 0; i < precision; i++) out += digitAt(d, d.point + i)
  }
  return out
}

export type FloatVerb = 'e' | 'E' | 'f' | 'F' | 'g' | 'G'

/**
 * Formats the magnitude of `x` (the sign is the caller's) as Go's
 * `strconv.FormatFloat(x, verb, precision, 64)`; `precision` undefined is
 * Go's -1, the shortest representation.
 */
export function formatFloatMagnitude(x: number, verb: FloatVerb, precision: number | undefined): string {
  if (Number.isNaN(x)) return 'NaN'
  const value = Math.abs(x)
  if (value === Number.POSITIVE_INFINITY) return 'Inf'
  const e = verb === 'E' || verb === 'G' ? 'E' : 'e'
  if (precision === undefined) {
    const d = shortestDigits(value)
    const count = Math.max(d.digits.length, 1)
    if (verb === 'e' || verb === 'E') return formatE(d, count - 1, e)
    if (verb === 'f' || verb === 'F') return formatF(d, Math.max(d.digits.length - d.point, 0))
    // Shortest %g switches to an exponent from 1e+06 on, or below 1e-04.
    const exponent = d.point - 1
    if (exponent < -4 || exponent >= 6) return formatE(d, count - 1, e)
    return formatF(d, Math.max(d.digits.length - d.point, 0))
  }
  const exact = exactDigits(value)
  if (verb === 'e' || verb === 'E') return formatE(round(exact, precision + 1), precision, e)
  if (verb === 'f' || verb === 'F') return formatF(round(exact, exact.point + precision), precision)
  const wanted = precision === 0 ? 1 : precision
  const d = round(exact, wanted)
  let limit = wanted
  if (limit > d.digits.length && d.digits.length >= d.point) limit = d.digits.length
  const exponent = d.point - 1
  if (exponent < -4 || exponent >= limit) return formatE(d, Math.min(wanted, Math.max(d.digits.length, 1)) - 1, e)
  const shown = wanted > d.point ? d.digits.length : wanted
  return formatF(d, Math.max(shown - d.point, 0))
}

/** A whole number's magnitude in `base`, exact also past 2^53 (the double's own value). */
export function formatIntegerMagnitude(value: number | bigint, base: number): string {
  const magnitude = typeof value === 'bigint' ? (value < 0n ? -value : value) : BigInt(Math.abs(value))
  return magnitude.toString(base)
}

/** A number as `{{ . }}` prints it: whole numbers as integers, others as Go's `%v` of a float64. */
export function formatNumber(value: number | bigint): string {
  if (typeof value === 'bigint') return value.toString()
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) return (value < 0 ? '-' : '') + formatIntegerMagnitude(value, 10)
  const magnitude = formatFloatMagnitude(value, 'g', undefined)
  if (Number.isNaN(value)) return magnitude
  return value < 0 || Object.is(value, -0) ? `-${magnitude}` : value === Number.POSITIVE_INFINITY ? `+${magnitude}` : magnitude
}
