import { validateHeaderName, validateHeaderValue } from 'node:http'
import { compileRegexp, isPlainObject, type JunctionError, type LinearRegexp } from '../../src/plugin.ts'

/** Typed reads of one middleware's options, each failure naming the option. */
export class Reader {
  readonly #options: Record<string, unknown>
  readonly fail: (message: string) => JunctionError

  constructor(options: Record<string, unknown>, fail: (message: string) => JunctionError) {
    this.#options = options
    this.fail = fail
  }

  /** Set as Traefik's `Has…Defined` counts it: a true flag, a non-empty list, map or string, any number. */
  isSet(key: string): boolean {
    const value = this.#options[key]
    if (value === undefined || value === null || value === false || value === '') return false
    if (Array.isArray(value)) return value.length > 0
    return !isPlainObject(value) || Object.keys(value).length > 0
  }

  flag(key: string): boolean {
    const value = this.#options[key] ?? false
    if (typeof value !== 'boolean') throw this.fail(`${key} must be a boolean`)
    return value
  }

  text(key: string): string {
    const value = this.#options[key] ?? ''
    if (typeof value !== 'string') throw this.fail(`${key} must be a string`)
    return value
  }

  integer(key: string, min: number): number | undefined {
    const value = this.#options[key]
    if (value === undefined) return undefined
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      throw this.fail(`${key} must be ${min === 0 ? 'a whole number of seconds, 0 or more' : 'a whole number of seconds'}`)
    }
    return value
  }

  list(key: string): string[] {
    const value = this.#options[key] ?? []
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw this.fail(`${key} must be a list of strings`)
    return value as string[]
  }

  /** A map of header names to values, names lower-cased; two spellings of one name are refused (Go's map order would pick one at random). */
  headerMap(key: string): Array<[string, string]> {
    const value = this.#options[key] ?? {}
    if (!isPlainObject(value)) throw this.fail(`${key} must be a map of header names to values`)
    const seen = new Map<string, string>()
    return Object.entries(value).map(([header, raw]) => {
      const text = typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : raw
      if (typeof text !== 'string') throw this.fail(`${key}.${header}: value must be a string`)
      const lower = this.headerName(key, header)
      const twin = seen.get(lower)
      if (twin !== undefined) throw this.fail(`${key}: ${JSON.stringify(twin)} and ${JSON.stringify(header)} name the same header`)
      seen.set(lower, header)
      return [lower, this.headerValue(`${key}.${header}`, text)]
    })
  }

  /** An RFC 9110 token, lower-cased: anything else in a name would let a value smuggle a header. */
  headerName(key: string, header: string): string {
    try {
      validateHeaderName(header)
    } catch {
      throw this.fail(`${key}: invalid header name ${JSON.stringify(header)}`)
    }
    return header.toLowerCase()
  }

  /** A value Node will write: no CR, LF, NUL or other control character (response splitting), nothing past Latin-1. */
  headerValue(key: string, value: string): string {
    try {
      validateHeaderValue('x', value)
    } catch {
      throw this.fail(`${key}: value must be a string without line breaks or control characters`)
    }
    return value
  }

  regexp(key: string, pattern: string): LinearRegexp {
    try {
      return compileRegexp(pattern)
    } catch (error) {
      throw this.fail(`${key}: ${(error as Error).message}`)
    }
  }
}
