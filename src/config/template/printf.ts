import { maxStringBytes } from './budget.ts'
import { formatArg, plainV, type Spec } from './fmt-value.ts'
import { Sink } from './sink.ts'
import { kindOf, typeName } from './values.ts'

/** Go refuses widths and precisions above a million (`%!(BADWIDTH)`); so does this. */
const maxNumber = 1_000_000

/** A sink for a string a function builds, bounded like the output. */
export function stringSink(): Sink {
  return new Sink(maxStringBytes(), (limit) => `a string longer than ${limit} bytes (maxOutputBytes)`)
}

/** Go's `fmt.Sprint`: operands side by side, a space between two when neither is a string. */
export function sprint(args: readonly unknown[]): string {
  const sink = stringSink()
  args.forEach((arg, index) => {
    if (index > 0 && typeof arg !== 'string' && typeof args[index - 1] !== 'string') sink.write(' ')
    formatArg(sink, arg, plainV)
  })
  return sink.toString()
}

/** Go's `fmt.Sprintln`: operands separated by spaces, then a newline. */
export function sprintln(args: readonly unknown[]): string {
  const sink = stringSink()
  args.forEach((arg, index) => {
    if (index > 0) sink.write(' ')
    formatArg(sink, arg, plainV)
  })
  sink.write('\n')
  return sink.toString()
}

/** `%v` of one value, as `toString` and `{{ . }}` show it. */
export function formatPlain(value: unknown, sink: Sink = stringSink()): string {
  formatArg(sink, value, plainV)
  return sink.toString()
}

/**
 * Go's `fmt.Sprintf` for the verbs templates use: flags `+-# 0`, width and
 * precision (digits or `*`), verbs `v s q d b o O x X c U e E f F g G t T %`,
 * with Go's in-band reports (`%!d(string=a)`, `%!s(MISSING)`,
 * `%!(EXTRA int=1)`, `%!(NOVERB)`). Explicit argument indexes (`%[1]d`) are
 * not supported and show as a bad verb.
 */
export function sprintf(format: string, args: readonly unknown[]): string {
  const sink = stringSink()
  let next = 0
  let i = 0
  while (i < format.length) {
    const percent = format.indexOf('%', i)
    if (percent < 0) {
      sink.write(format.slice(i))
      break
    }
    sink.write(format.slice(i, percent))
    i = percent + 1
    const flags = { plus: false, minus: false, sharp: false, space: false, zero: false }
    for (; i < format.length; i++) {
      const c = format[i]
      if (c === '+') flags.plus = true
      else if (c === '-') {
        flags.minus = true
        flags.zero = false
      } else if (c === '#') flags.sharp = true
      else if (c === ' ') flags.space = true
      else if (c === '0') flags.zero = !flags.minus
      else break
    }
    let width: number | undefined
    if (format[i] === '*') {
      i++
      const arg = args[next++]
      if (kindOf(arg) !== 'int' || Math.abs(Number(arg)) > maxNumber) sink.write('%!(BADWIDTH)')
      else {
        width = Math.abs(Number(arg))
        if (Number(arg) < 0) {
          flags.minus = true
          flags.zero = false
        }
      }
    } else {
      const parsed = parseNumber(format, i)
      i = parsed.end
      if (parsed.value !== undefined && parsed.value > maxNumber) sink.write('%!(BADWIDTH)')
      else width = parsed.value
    }
    let precision: number | undefined
    if (format[i] === '.') {
      i++
      if (format[i] === '*') {
        i++
        const arg = args[next++]
        if (kindOf(arg) !== 'int' || Number(arg) < 0 || Number(arg) > maxNumber) sink.write('%!(BADPREC)')
        else precision = Number(arg)
      } else {
        const parsed = parseNumber(format, i)
        i = parsed.end
        if (parsed.value !== undefined && parsed.value > maxNumber) sink.write('%!(BADPREC)')
        else precision = parsed.value ?? 0
      }
    }
    const verb = format.codePointAt(i)
    if (verb === undefined) {
      sink.write('%!(NOVERB)')
      break
    }
    const verbText = String.fromCodePoint(verb)
    i += verbText.length
    if (verbText === '%') {
      sink.write('%')
      continue
    }
    if (next >= args.length) {
      sink.write(`%!${verbText}(MISSING)`)
      continue
    }
    const spec: Spec = { verb: verbText, ...flags, width, precision }
    formatArg(sink, args[next++], spec)
  }
  if (next < args.length) {
    sink.write('%!(EXTRA ')
    args.slice(next).forEach((arg, index) => {
      if (index > 0) sink.write(', ')
      if (kindOf(arg) === 'nil' || kindOf(arg) === 'invalid') sink.write('<nil>')
      else {
        sink.write(`${typeName(arg)}=`)
        formatArg(sink, arg, plainV)
      }
    })
    sink.write(')')
  }
  return sink.toString()
}

/** Digits at `start`, stopping (not overflowing) once past the limit Go allows. */
function parseNumber(text: string, start: number): { value: number | undefined; end: number } {
  let end = start
  let value = 0
  while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) {
    if (value <= maxNumber) value = value * 10 + (text.charCodeAt(end) - 48)
    end++
  }
  return { value: end === start ? undefined : value, end }
}
