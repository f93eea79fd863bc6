import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { DynamicConfig } from '../../../src/config/dynamic.ts'
import { mergeSnapshots } from '../../../src/config/merge.ts'

const fixtures = join(import.meta.dirname, 'fixtures')
const readJson = (file: string): unknown => JSON.parse(readFileSync(join(fixtures, file), 'utf8'))

/** `<case>.input.json` holds one snapshot per provider; `<case>.expected.json` the merge result. */
const cases = readdirSync(fixtures)
  .filter((file) => file.endsWith('.input.json'))
  .map((file) => {
    const name = file.slice(0, -'.input.json'.length)
    return {
      desc: name,
      input: new Map(Object.entries(readJson(file) as Record<string, DynamicConfig>)),
      expected: readJson(`${name}.expected.json`),
    }
  })

describe('mergeSnapshots', () => {
  it('has golden fixtures to run', () => {
    expect(cases.map((c) => c.desc).sort()).toEqual([
      'cross-provider',
      'names-with-at',
      'qualify-references',
      'tcp-udp',
      'tls',
      'tls-default-conflict',
    ])
  })

  it.each(cases)('merges $desc as the golden file says', ({ input, expected }) => {
    expect(mergeSnapshots(input)).toEqual(expected)
  })

  it.each(cases)('gives the same result for $desc whatever order the snapshots arrive in', ({ input }) => {
    const reversed = new Map([...input].reverse())
    expect(JSON.stringify(mergeSnapshots(reversed))).toBe(JSON.stringify(mergeSnapshots(input)))
  })

  it('leaves the snapshots untouched', () => {
    const snapshot: DynamicConfig = { http: { routers: { web: { service: 'app', middlewares: ['a'] } } } }
    mergeSnapshots(new Map([['file', snapshot]]))
    expect(snapshot).toEqual({ http: { routers: { web: { service: 'app', middlewares: ['a'] } } } })
  })

  it.each(cases)('never writes into the snapshots of $desc (they are shared, not cloned)', ({ input, expected }) => {
    const frozen = new Map([...input].map(([provider, config]) => [provider, deepFreeze(structuredClone(config))]))
    expect(mergeSnapshots(frozen)).toEqual(expected)
  })

  it('returns an empty configuration for no snapshots', () => {
    expect(mergeSnapshots(new Map())).toEqual({ config: {}, errors: [] })
  })
})

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}
