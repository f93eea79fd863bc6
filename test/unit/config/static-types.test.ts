import { describe, expectTypeOf, it } from 'vitest'
import type { DurationValue, ServersTransport } from '../../../src/config/dynamic.ts'
import type { InferStatic } from '../../../src/config/infer.ts'
import { bool, dur, map, obj, str, strings } from '../../../src/config/schema.ts'
import type { CertificatesResolver, EntryPoint, LogLevel, StaticConfig } from '../../../src/config/static.ts'

/**
 * The static configuration's types come from its schema (`InferStatic`);
 * these checks run in `tsc`, which type-checks the tests.
 */
describe('static types inferred from the schema', () => {
  it('makes a field with a default, or a materialized object, always present; the rest optional', () => {
    expectTypeOf<InferStatic<typeof section>>().toEqualTypeOf<{
      readonly level: 'INFO' | 'ERROR'
      readonly watch: boolean
      readonly timeouts: { readonly idle: number; readonly read?: number }
      readonly filePath?: string
      readonly names?: readonly string[]
      readonly headers?: Readonly<Record<string, string>>
    }>()
  })

  it('keeps durations as written below keepDurations', () => {
    expectTypeOf<InferStatic<typeof kept>>().toEqualTypeOf<Readonly<{ dialTimeout?: DurationValue }>>()
  })

  it('types the loaded configuration: defaults present, durations in milliseconds', () => {
    expectTypeOf<StaticConfig['log']['level']>().toEqualTypeOf<LogLevel>()
    expectTypeOf<StaticConfig['log']['filePath']>().toEqualTypeOf<string | undefined>()
    expectTypeOf<EntryPoint['transport']['respondingTimeouts']>().toEqualTypeOf<{
      readonly readTimeout: number
      readonly writeTimeout: number
      readonly idleTimeout: number
    }>()
    expectTypeOf<EntryPoint['forwardedHeaders']['trustedIPs']>().toEqualTypeOf<readonly string[]>()
    expectTypeOf<NonNullable<CertificatesResolver['acme']>['storage']>().toEqualTypeOf<string>()
    expectTypeOf<StaticConfig['core']>().toEqualTypeOf<{ readonly defaultRuleSyntax: 'v3' | 'v2' }>()
    expectTypeOf<StaticConfig['serversTransport']>().toEqualTypeOf<Readonly<ServersTransport> | undefined>()
    expectTypeOf<StaticConfig['providers']['providersThrottleDuration']>().toEqualTypeOf<number>()
  })

  it('adds what the loader derives and what its checks guarantee', () => {
    expectTypeOf<EntryPoint['address']>().toEqualTypeOf<string>()
    expectTypeOf<EntryPoint['port']>().toEqualTypeOf<number>()
    expectTypeOf<EntryPoint['protocol']>().toEqualTypeOf<'tcp' | 'udp'>()
    expectTypeOf<NonNullable<EntryPoint['http']['redirections']>['entryPoint']['to']>().toEqualTypeOf<string>()
    expectTypeOf<NonNullable<EntryPoint['http']['redirections']>['entryPoint']['priority']>().toEqualTypeOf<number>()
    expectTypeOf<StaticConfig['configDir']>().toEqualTypeOf<string>()
  })
})

const section = obj({
  level: str({ enum: ['INFO', 'ERROR'], default: 'ERROR' }),
  watch: bool({ default: true }),
  timeouts: obj({ idle: dur({ default: 1000 }), read: dur() }, { materialize: true }),
  filePath: str({ path: true }),
  names: strings(),
  headers: map(str()),
})
const kept = obj({ dialTimeout: dur() }, { keepDurations: true })
