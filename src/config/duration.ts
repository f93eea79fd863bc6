import { JunctionError } from '../errors.ts'
import { describe } from './schema.ts'

/**
 * Durations as Traefik reads them: a Go duration string (`100ms`, `1m30s`,
 * `1.5h`, `-2s`, `0`) or a plain number / numeric string meaning seconds
 * (`10`, `"2.5"`).
 */

const unitMs: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 micro sign, accepted by Go
  'μs': 1e-3, // U+03BC greek mu, accepted by Go
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
}

// One `<number><unit>` component of a Go duration: `1.5h`, `.5s`, `1.s`.
const component = /(\d+\.?\d*|\.\d+)([a-zµμ]+)/gy
const secondsOnly = /^[-+]?(\d+\.?\d*|\.\d+)$/

/**
 * Parses a duration into milliseconds (fractional for sub-millisecond units).
 *
 * @throws JunctionError `JCT_ERR_DYNAMIC_CONFIG` naming the value when it is not a duration;
 *   callers that validate static configuration catch it and report the message.
 * @example
 * parseDuration('1m30s') // 90000
 * parseDuration(2)       // 2000 (seconds, as Traefik)
 * parseDuration('500us') // 0.5
 */
export function parseDuration(value: unknown): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value * 1000
    throw invalid(value)
  }
  if (typeof value !== 'string') throw invalid(value)
  const text = value.trim()
  if (secondsOnly.test(text)) return Number(text) * 1000
  const ms = parseGoDuration(text)
  if (ms === undefined) throw invalid(value)
  return ms
}

/** Like {@link parseDuration} but returns undefined instead of throwing. */
export function tryParseDuration(value: unknown): number | undefined {
  try {
    return parseDuration(value)
  } catch {
    return undefined
  }
}

function parseGoDuration(text: string): number | undefined {
  let rest = text
  let sign = 1
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest.startsWith('-')) sign = -1
    rest = rest.slice(1)
  }
  if (rest === '') return undefined
  let total = 0
  component.lastIndex = 0
  while (component.lastIndex < rest.length) {
    const match = component.exec(rest)
    if (match === null) return undefined
    const factor = unitMs[match[2] ?? '']
    if (factor === undefined) return undefined
    total += Number(match[1]) * factor
  }
  return sign * total
}

function invalid(value: unknown): JunctionError {
  return new JunctionError(
    'JCT_ERR_DYNAMIC_CONFIG',
    `invalid duration ${describe(value)}: expected a Go duration such as "100ms", "1m30s" or a number of seconds`,
  )
}
