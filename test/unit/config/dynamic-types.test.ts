import { describe, expectTypeOf, it } from 'vitest'
import type {
  DurationValue,
  DynamicConfig,
  HttpMiddleware,
  HttpRouter,
  HttpService,
  LoadBalancer,
  Server,
  TcpService,
  WeightedService,
} from '../../../src/config/dynamic.ts'
import type { Infer } from '../../../src/config/infer.ts'
import { bool, dur, flatOnly, int, list, map, num, obj, oneOf, raw, str, strings } from '../../../src/config/schema.ts'

/**
 * The dynamic model's types come from its schema (`Infer`); these checks run
 * in `tsc`, which type-checks the tests. Each `it` names what the builders
 * must preserve for the inferred type to be exact.
 */
describe('types inferred from the schema', () => {
  it('maps each scalar builder to its type, enums to unions and durations to what users write', () => {
    expectTypeOf<Infer<ReturnType<typeof str>>>().toEqualTypeOf<string>()
    expectTypeOf<Infer<typeof enumerated>>().toEqualTypeOf<'wrr' | 'p2c'>()
    expectTypeOf<Infer<ReturnType<typeof int>>>().toEqualTypeOf<number>()
    expectTypeOf<Infer<ReturnType<typeof num>>>().toEqualTypeOf<number>()
    expectTypeOf<Infer<ReturnType<typeof bool>>>().toEqualTypeOf<boolean>()
    expectTypeOf<Infer<ReturnType<typeof dur>>>().toEqualTypeOf<DurationValue>()
    expectTypeOf<DurationValue>().toEqualTypeOf<string | number>()
    expectTypeOf<Infer<ReturnType<typeof raw>>>().toEqualTypeOf<unknown>()
  })

  it('makes every object field optional, leaves flat-key-only fields out and keeps empty objects empty', () => {
    expectTypeOf<Infer<typeof object>>().toEqualTypeOf<{ name?: string; tags?: string[]; headers?: Record<string, string> }>()
    expectTypeOf<Infer<typeof flag>>().toEqualTypeOf<Record<string, never>>()
  })

  it('gives a one-of every option as an optional key, its shared fields beside them', () => {
    expectTypeOf<Infer<typeof kinds>>().toEqualTypeOf<{ a?: { x?: number }; b?: Record<string, never> } & { middlewares?: string[] }>()
  })

  it('infers an HTTP router key for key', () => {
    expectTypeOf<HttpRouter>().toEqualTypeOf<{
      entryPoints?: string[]
      middlewares?: string[]
      service?: string
      rule?: string
      ruleSyntax?: 'default' | 'v3' | 'v2'
      priority?: number
      tls?: { options?: string; certResolver?: string; domains?: Array<{ main?: string; sans?: string[] }> }
      observability?: { accessLogs?: boolean; metrics?: boolean; tracing?: boolean; traceVerbosity?: 'minimal' | 'detailed' }
      parentRefs?: string[]
    }>()
  })

  it('infers services: their kinds, service middlewares, servers without the label-only port and scheme', () => {
    expectTypeOf<Server>().toEqualTypeOf<{ url?: string; weight?: number; preservePath?: boolean }>()
    expectTypeOf<LoadBalancer['strategy']>().toEqualTypeOf<'wrr' | 'p2c' | 'hrw' | 'leasttime' | undefined>()
    expectTypeOf<LoadBalancer['healthCheck']>().exclude<undefined>().toHaveProperty('interval').toEqualTypeOf<DurationValue | undefined>()
    expectTypeOf<WeightedService['healthCheck']>().toEqualTypeOf<Record<string, never> | undefined>()
    expectTypeOf<HttpService>().toHaveProperty('middlewares').toEqualTypeOf<string[] | undefined>()
    expectTypeOf<keyof HttpService>().toEqualTypeOf<'loadBalancer' | 'weighted' | 'mirroring' | 'failover' | 'highestRandomWeight' | 'middlewares'>()
    expectTypeOf<keyof TcpService>().toEqualTypeOf<'loadBalancer' | 'weighted'>()
  })

  it('infers middleware options, plugins loose', () => {
    expectTypeOf<NonNullable<HttpMiddleware['errors']>['errorRequestHeaders']>().toEqualTypeOf<string[] | undefined>()
    expectTypeOf<HttpMiddleware['plugin']>().toEqualTypeOf<Record<string, unknown> | undefined>()
  })

  it('builds the whole configuration from the catalogue, section by section', () => {
    expectTypeOf<keyof DynamicConfig>().toEqualTypeOf<'http' | 'tcp' | 'udp' | 'tls'>()
    expectTypeOf<keyof NonNullable<DynamicConfig['udp']>>().toEqualTypeOf<'routers' | 'services'>()
    expectTypeOf<NonNullable<DynamicConfig['http']>['routers']>().toEqualTypeOf<Record<string, HttpRouter> | undefined>()
    expectTypeOf<NonNullable<DynamicConfig['tls']>['certificates']>().toEqualTypeOf<Array<{ certFile?: string; keyFile?: string; stores?: string[] }> | undefined>()
  })
})

const enumerated = str({ enum: ['wrr', 'p2c'] })
const object = obj({ name: str(), tags: strings(), headers: map(str()), port: flatOnly(str()) })
const flag = obj({})
const kinds = oneOf('kind', { a: obj({ x: int() }), b: obj({}) }, { shared: { middlewares: list(str()) } })
