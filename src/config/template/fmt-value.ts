import { formatFloatMagnitude, formatIntegerMagnitude, type FloatVerb } from './fmt-number.ts'
import { goQuote, goQuoteRune } from './go-strings.ts'
import type { Sink } from './sink.ts'
import { LimitError } from './template-error.ts'
import { kindOf, sortedEntries, typeName } from './values.ts'

/** One `%` directive: its flags, width, precision and verb. */
export interface Spec {
  readonly verb: string
  readonly plus: boolean
  readonly minus: boolean
  readonly sharp: boolean
  readonly space: boolean
  readonly zero: boolean
  readonly width: number | undefined
  readonly precision: number | undefined
}

/** `%v` without flags: how `{{ . }}`, `print` and `toString` show a value. */
export const plainV: Spec = { verb: 'v', plus: false, minus: false, sharp: false, space: false, zero: false, width: undefined, precision: undefined }

/**
 * Values nest only as deep as a template builds them, but `set` can put a
 * map inside itself: printing stops at this depth instead of running out
 * of stack.
 */
export const maxValueDepth = 100

const floatVerbs = new Set(['e', 'E', 'f', 'F', 'g', 'G'])
const integerBases: Record<string, number> = { b: 2, o: 8, O: 8, d: 10, v: 10, x: 16, X: 16 }

/** Writes `value` formatted by `spec`, as Go's `fmt` would (for the kinds templates hold). */
export function formatArg(sink: Sink, value: unknown, spec: Spec, depth = 0): void {
  if (depth > maxValueDepth) throw new LimitError(`value nested deeper than ${maxValueDepth} levels`)
  if (spec.verb === 'T') return pad(sink, typeName(value), spec)
  switch (kindOf(value)) {
    case 'invalid':
    case 'nil':
      return spec.verb === 'v' ? pad(sink, '<nil>', spec) : sink.write(`%!${spec.verb}(<nil>)`)
    case 'bool':
      return spec.verb === 'v' || spec.verb === 't' ? pad(sink, String(value), spec) : badVerb(sink, value, spec)
    case 'int':
      return formatInteger(sink, value as number | bigint, spec)
    case 'float':
      return floatVerbs.has(spec.verb) || spec.verb === 'v' ? formatFloat(sink, value as number, spec) : badVerb(sink, value, spec)
    case 'string':
      return formatString(sink, value as string, spec)
    case 'list':
      return formatList(sink, value as readonly unknown[], spec, depth)
    case 'map':
      return formatMap(sink, value as Record<string, unknown> | Map<unknown, unknown>, spec, depth)
    case 'func':
      return sink.write(`%!${spec.verb}(func)`)
    case 'struct':
      return formatStruct(sink, value as object, spec, depth)
  }
}

function badVerb(sink: Sink, value: unknown, spec: Spec): void {
  sink.write(`%!${spec.verb}(${typeName(value)}=`)
  formatArg(sink, value, plainV)
  sink.write(')')
}

/** Pads to the width, counted in characters, with spaces (or zeros with the `0` flag), on the left unless `-`. */
function pad(sink: Sink, text: string, spec: Spec, zeroAllowed = true): void {
  const missing = spec.width === undefined ? 0 : spec.width - [...text].length
  if (missing <= 0) return sink.write(text)
  const padding = (spec.zero && zeroAllowed && !spec.minus ? '0' : ' ').repeat(missing)
  sink.write(spec.minus ? text + padding : padding + text)
}

function formatInteger(sink: Sink, value: number | bigint, spec: Spec): void {
  const negative = value < 0
  const { verb } = spec
  if (floatVerbs.has(verb)) return formatFloat(sink, Number(value), spec)
  if (verb === 'c') return pad(sink, String.fromCodePoint(validCodePoint(value)), spec)
  if (verb === 'q') return pad(sink, goQuoteRune(Number(value), spec.plus), spec)
  if (verb === 'U') {
    const code = `U+${formatIntegerMagnitude(value, 16).toUpperCase().padStart(4, '0')}`
    return pad(sink, spec.sharp ? `${code} '${String.fromCodePoint(validCodePoint(value))}'` : code, spec)
  }
  const base = integerBases[verb]
  if (base === undefined) return badVerb(sink, value, spec)
  let digits = formatIntegerMagnitude(value, base)
  if (verb === 'X') digits = digits.toUpperCase()
  const sign = negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : ''
  // Go: precision is a minimum digit count, and a zero with precision 0 prints nothing.
  let minimum = spec.precision
  if (minimum === 0 && digits === '0') return pad(sink, '', spec, false)
  if (minimum === undefined && spec.zero && !spec.minus && spec.width !== undefined) minimum = spec.width - sign.length
  // Zeros first, then the prefix: Go's %#08x of 255 is 0x000000ff.
  if (minimum !== undefined) digits = digits.padStart(minimum, '0')
  let prefix = ''
  if (verb === 'O') prefix = '0o'
  else if (spec.sharp && base === 16) prefix = verb === 'X' ? '0X' : '0x'
  else if (spec.sharp && base === 2) prefix = '0b'
  else if (spec.sharp && base === 8 && !digits.startsWith('0')) prefix = '0'
  pad(sink, sign + prefix + digits, spec, false)
}

function validCodePoint(value: number | bigint): number {
  const code = Number(value)
  return code >= 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? code : 0xfffd
}

function formatFloat(sink: Sink, value: number, spec: Spec): void {
  const verb: FloatVerb = spec.verb === 'v' ? 'g' : (spec.verb as FloatVerb)
  const precision = spec.precision ?? (verb === 'g' || verb === 'G' ? undefined : 6)
  const magnitude = formatFloatMagnitude(value, verb, precision)
  const negative = value < 0 || Object.is(value, -0)
  if (Number.isNaN(value)) return pad(sink, spec.plus ? '+NaN' : spec.space ? ' NaN' : 'NaN', spec, false)
  const sign = negative ? '-' : spec.plus || magnitude === 'Inf' ? '+' : spec.space ? ' ' : ''
  if (magnitude === 'Inf') return pad(sink, sign + magnitude, spec, false)
  if (spec.zero && !spec.minus && spec.width !== undefined) {
    return sink.write(sign + magnitude.padStart(spec.width - sign.length, '0'))
  }
  pad(sink, sign + magnitude, spec, false)
}

function formatString(sink: Sink, value: string, spec: Spec): void {
  const text = spec.precision === undefined ? value : [...value].slice(0, spec.precision).join('')
  switch (spec.verb) {
    case 'v':
      return spec.sharp ? pad(sink, goQuote(text), spec) : pad(sink, text, spec)
    case 's':
      return pad(sink, text, spec)
    case 'q':
      return pad(sink, spec.sharp && !/[`\p{Cc}]/u.test(text) ? `\`${text}\`` : goQuote(text, spec.plus), spec)
    case 'x':
    case 'X':
      return pad(sink, hexBytes(value, spec), spec)
    default:
      return badVerb(sink, value, spec)
  }
}

/** `%x` of a string: its UTF-8 bytes in hex; the precision counts bytes. */
function hexBytes(value: string, spec: Spec): string {
  let bytes = Buffer.from(value, 'utf8')
  if (spec.precision !== undefined) bytes = bytes.subarray(0, spec.precision)
  const prefix = spec.sharp ? (spec.verb === 'X' ? '0X' : '0x') : ''
  const pairs = [...bytes].map((byte) => byte.toString(16).padStart(2, '0'))
  const text = spec.space ? pairs.map((pair) => prefix + pair).join(' ') : prefix + pairs.join('')
  return spec.verb === 'X' ? text.toUpperCase() : text
}

function formatList(sink: Sink, list: readonly unknown[], spec: Spec, depth: number): void {
  if (spec.verb === 'v' && spec.sharp) sink.write('[]interface {}{')
  else sink.write('[')
  list.forEach((item, index) => {
    if (index > 0) sink.write(spec.sharp && spec.verb === 'v' ? ', ' : ' ')
    formatArg(sink, item, spec, depth + 1)
  })
  sink.write(spec.verb === 'v' && spec.sharp ? '}' : ']')
}

function formatMap(sink: Sink, map: Record<string, unknown> | Map<unknown, unknown>, spec: Spec, depth: number): void {
  const goSyntax = spec.verb === 'v' && spec.sharp
  sink.write(goSyntax ? 'map[string]interface {}{' : 'map[')
  sortedEntries(map).forEach(([key, item], index) => {
    if (index > 0) sink.write(goSyntax ? ', ' : ' ')
    formatArg(sink, key, spec, depth + 1)
    sink.write(':')
    formatArg(sink, item, spec, depth + 1)
  })
  sink.write(goSyntax ? '}' : ']')
}

function formatStruct(sink: Sink, value: object, spec: Spec, depth: number): void {
  sink.write('{')
  Object.entries(value).forEach(([name, item], index) => {
    if (index > 0) sink.write(' ')
    if (spec.plus || spec.sharp) sink.write(`${name}:`)
    formatArg(sink, item, spec, depth + 1)
  })
  sink.write('}')
}
