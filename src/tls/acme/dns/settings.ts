import { readFileSync } from 'node:fs'

/** The environment a DNS provider reads its settings from (`process.env` in production). */
export type DnsEnv = Readonly<Record<string, string | undefined>>

/**
 * A setting as lego reads it: the variable when set and not empty, else the
 * content of the file `<NAME>_FILE` names (trailing newlines cut, so a
 * Docker or Kubernetes secret works); '' when neither is set. A `_FILE`
 * that cannot be read is an error here, where lego logs it and goes on as
 * if the setting were missing.
 *
 * @throws Error naming the variable and the file.
 */
export function setting(provider: string, env: DnsEnv, name: string): string {
  const value = env[name]
  if (value !== undefined && value !== '') return value
  const file = env[`${name}_FILE`]
  if (file === undefined || file === '') return ''
  try {
    return readFileSync(file, 'utf8').replace(/[\r\n]+$/, '')
  } catch (error) {
    throw new Error(`dns provider ${provider}: ${name}_FILE: ${(error as Error).message}`, { cause: error })
  }
}

/**
 * A duration setting in whole seconds, as lego's `ParseSecond` reads it,
 * returned in ms; `fallback` seconds when unset. Where lego silently keeps
 * the default for a value it cannot parse, this reports it.
 *
 * @throws Error naming the variable and the value.
 */
export function seconds(provider: string, env: DnsEnv, name: string, fallback: number, min = 0): number {
  const text = setting(provider, env, name)
  if (text === '') return fallback * 1000
  const value = /^\+?\d{1,9}$/.test(text) ? Number(text) : Number.NaN
  if (!(value >= min)) throw new Error(`dns provider ${provider}: ${name}: expected a whole number of seconds${min > 0 ? ` (at least ${min})` : ''}, got ${JSON.stringify(text)}`)
  return value * 1000
}
