import { describe, expect, it } from 'vitest'
import { decodeFlatKeys, schemaForKey } from '../../../src/config/flat-keys.ts'
import { fileProviderEntry } from '../../../providers/file/index.ts'
import { staticSchemaFor } from '../../../src/config/static-providers.ts'

/** The static schema with the file provider's options under `providers.file`. */
const staticSchema = staticSchemaFor([fileProviderEntry])

describe('decodeFlatKeys with the dynamic schema', () => {
  it.each([
    {
      desc: 'a router rule under the prefix',
      input: { 'traefik.http.routers.r1.rule': 'Host(`a.test`)' },
      expected: { http: { routers: { r1: { rule: 'Host(`a.test`)' } } } },
    },
    {
      desc: 'schema names case-insensitively, user names with their case',
      input: { 'TRAEFIK.HTTP.Routers.MyRouter.EntryPoints': 'web', 'traefik.http.services.MySvc.loadbalancer.passhostheader': 'false' },
      expected: {
        http: {
          routers: { MyRouter: { entryPoints: ['web'] } },
          services: { MySvc: { loadBalancer: { passHostHeader: false } } },
        },
      },
    },
    {
      desc: 'a comma list',
      input: { 'traefik.http.routers.r.entrypoints': 'web, websecure' },
      expected: { http: { routers: { r: { entryPoints: ['web', 'websecure'] } } } },
    },
    {
      desc: 'index lists with brackets and with dots',
      input: {
        'traefik.http.services.s.loadbalancer.servers[0].url': 'http://a:80',
        'traefik.http.services.s.loadbalancer.servers.1.url': 'http://b:80',
        'traefik.http.services.s.loadbalancer.servers[1].weight': '3',
      },
      expected: { http: { services: { s: { loadBalancer: { servers: [{ url: 'http://a:80' }, { url: 'http://b:80', weight: 3 }] } } } } },
    },
    {
      desc: 'an index list of scalars',
      input: { 'traefik.http.middlewares.m.stripprefix.prefixes[0]': '/a', 'traefik.http.middlewares.m.stripprefix.prefixes[1]': '/b' },
      expected: { http: { middlewares: { m: { stripPrefix: { prefixes: ['/a', '/b'] } } } } },
    },
    {
      desc: 'holes in an index list closed up',
      input: { 'traefik.http.services.s.loadbalancer.servers[3].url': 'http://d' },
      expected: { http: { services: { s: { loadBalancer: { servers: [{ url: 'http://d' }] } } } } },
    },
    {
      desc: "Traefik's singular server alias, with label-only port and scheme",
      input: { 'traefik.http.services.s.loadbalancer.server.port': '8080', 'traefik.http.services.s.loadbalancer.server.scheme': 'h2c' },
      expected: { http: { services: { s: { loadBalancer: { servers: [{ port: '8080', scheme: 'h2c' }] } } } } },
    },
    {
      desc: 'scalars coerced by schema type',
      input: {
        'traefik.http.routers.r.priority': '42',
        'traefik.http.routers.r.tls.certresolver': 'le',
        'traefik.http.services.s.loadbalancer.healthcheck.interval': '10s',
        'traefik.http.middlewares.m.ratelimit.average': '100',
      },
      expected: {
        http: {
          routers: { r: { priority: 42, tls: { certResolver: 'le' } } },
          services: { s: { loadBalancer: { healthCheck: { interval: '10s' } } } },
          middlewares: { m: { rateLimit: { average: 100 } } },
        },
      },
    },
    {
      desc: 'an object declared with "true", as tls=true',
      input: { 'traefik.http.routers.r.tls': 'true', 'traefik.http.middlewares.c.contenttype': 'true' },
      expected: { http: { routers: { r: { tls: {} } }, middlewares: { c: { contentType: {} } } } },
    },
    {
      desc: 'a declared object merged with its fields',
      input: { 'traefik.http.routers.r.tls': 'true', 'traefik.http.routers.r.tls.options': 'modern' },
      expected: { http: { routers: { r: { tls: { options: 'modern' } } } } },
    },
    {
      desc: 'map keys such as header names keep their case',
      input: { 'traefik.http.middlewares.h.headers.customrequestheaders.X-Script-Name': 'test' },
      expected: { http: { middlewares: { h: { headers: { customRequestHeaders: { 'X-Script-Name': 'test' } } } } } },
    },
    {
      desc: 'keys without the prefix skipped',
      input: { 'com.docker.compose.project': 'demo', 'traefikish.http.routers.r.rule': 'x', traefik: 'x', 'traefik.http.routers.r.rule': 'Path(`/`)' },
      expected: { http: { routers: { r: { rule: 'Path(`/`)' } } } },
    },
    {
      desc: 'a tcp service with the server alias',
      input: { 'traefik.tcp.services.db.loadbalancer.server.port': '5432', 'traefik.tcp.routers.db.rule': 'HostSNI(`*`)' },
      expected: { tcp: { services: { db: { loadBalancer: { servers: [{ port: '5432' }] } } }, routers: { db: { rule: 'HostSNI(`*`)' } } } },
    },
    {
      desc: 'service middlewares beside the service kind',
      input: { 'traefik.http.services.s.middlewares': 'strip,auth', 'traefik.http.services.s.loadbalancer.server.port': '80' },
      expected: { http: { services: { s: { middlewares: ['strip', 'auth'], loadBalancer: { servers: [{ port: '80' }] } } } } },
    },
    {
      desc: 'plugin options, every segment below the plugin a key of its own and every value a string',
      input: { 'traefik.http.middlewares.p.plugin.rewriteBody.lastModified': 'true', 'traefik.http.middlewares.p.plugin.rewriteBody.rewrites.0.Regex': 'a' },
      expected: { http: { middlewares: { p: { plugin: { rewriteBody: { lastModified: 'true', rewrites: { '0': { Regex: 'a' } } } } } } } },
    },
  ])('decodes $desc', ({ input, expected }) => {
    expect(decodeFlatKeys(input, { prefix: 'traefik' })).toEqual({ value: expected, errors: [] })
  })

  it.each([
    {
      desc: 'an unknown field',
      input: { 'traefik.http.routers.r.rulee': 'x' },
      expected: ['traefik.http.routers.r.rulee: unknown key "rulee"'],
    },
    {
      desc: 'an unknown middleware type',
      input: { 'traefik.http.middlewares.m.stripprefixes.prefixes': '/a' },
      expected: ['traefik.http.middlewares.m.stripprefixes.prefixes: unknown middleware type "stripprefixes"'],
    },
    {
      desc: 'a value that is not an integer',
      input: { 'traefik.http.routers.r.priority': 'high' },
      expected: ['traefik.http.routers.r.priority: expected an integer, got "high"'],
    },
    {
      desc: 'a bad boolean',
      input: { 'traefik.http.services.s.loadbalancer.passhostheader': 'yes' },
      expected: ['traefik.http.services.s.loadbalancer.passhostheader: expected a boolean, got "yes"'],
    },
    {
      desc: 'a bad duration',
      input: { 'traefik.http.services.s.loadbalancer.healthcheck.interval': '10 seconds' },
      expected: [
        'traefik.http.services.s.loadbalancer.healthcheck.interval: invalid duration "10 seconds": expected a Go duration such as "100ms", "1m30s" or a number of seconds',
      ],
    },
    {
      desc: 'keys below a scalar',
      input: { 'traefik.http.routers.r.rule.value': 'x' },
      expected: ['traefik.http.routers.r.rule.value: unknown key "value": http.routers.r.rule takes a value, not keys'],
    },
    {
      desc: 'a value on a list of objects',
      input: { 'traefik.http.services.s.loadbalancer.servers': 'http://a' },
      expected: ['traefik.http.services.s.loadbalancer.servers: expected indexed keys (.0.<field>), got "http://a"'],
    },
    {
      desc: 'a word on an object',
      input: { 'traefik.http.routers.r.tls': 'yes please' },
      expected: ['traefik.http.routers.r.tls: expected keys below this one or "true", got "yes please"'],
    },
    {
      desc: 'a non-numeric list index',
      input: { 'traefik.http.services.s.loadbalancer.servers.first.url': 'http://a' },
      expected: ['traefik.http.services.s.loadbalancer.servers.first.url: expected a list index, got "first"'],
    },
    {
      desc: 'an empty segment',
      input: { 'traefik.http..routers': 'x' },
      expected: ['traefik.http..routers: malformed key segment ""'],
    },
    {
      desc: 'a value and keys on the same path',
      input: { 'traefik.http.routers.r.tls.options': 'a', 'traefik.http.routers.r.tls.options.x': 'b' },
      expected: ['traefik.http.routers.r.tls.options.x: unknown key "x": http.routers.r.tls.options takes a value, not keys'],
    },
  ])('reports $desc naming the key, and still decodes the other keys', ({ input, expected }) => {
    const result = decodeFlatKeys({ ...input, 'traefik.http.routers.ok.service': 'svc' }, { prefix: 'traefik' })
    expect(result.errors).toEqual(expected)
    expect((result.value['http'] as { routers: Record<string, unknown> }).routers['ok']).toEqual({ service: 'svc' })
  })

  it.each([
    { desc: 'dots', segments: 65, key: (n: number) => `traefik.http.middlewares.p.plugin.${Array.from({ length: n - 4 }, () => 'a').join('.')}` },
    { desc: 'indices', segments: 65, key: (n: number) => `traefik.http.middlewares.p.plugin.x${'[0]'.repeat(n - 5)}` },
    { desc: 'dots, 100,000 of them', segments: 100_000, key: (n: number) => `traefik.http.middlewares.p.plugin.${Array.from({ length: n - 4 }, () => 'a').join('.')}` },
  ])('refuses a key of $segments segments ($desc), so no walk of the value nests deeper than the schema allows', ({ segments, key }) => {
    expect(decodeFlatKeys({ [key(segments)]: 'v' }, { prefix: 'traefik' }).errors).toEqual([`${key(segments)}: more than 64 segments: refused`])
    expect(decodeFlatKeys({ [key(64)]: 'v' }, { prefix: 'traefik' }).errors).toEqual([])
  })

  it('decodes without a prefix (Consul KV paths given with dots)', () => {
    expect(decodeFlatKeys({ 'http.routers.r.service': 'svc' })).toEqual({ value: { http: { routers: { r: { service: 'svc' } } } }, errors: [] })
  })

  it('does not let a user-named key reach the prototype', () => {
    const { value } = decodeFlatKeys({ 'traefik.http.routers.__proto__.rule': 'x' }, { prefix: 'traefik' })
    const routers = (value['http'] as { routers: Record<string, unknown> }).routers
    expect(Object.getPrototypeOf(routers)).toBe(Object.prototype)
    expect(Object.keys(routers)).toEqual(['__proto__'])
    expect(({} as Record<string, unknown>)['rule']).toBeUndefined()
  })
})

describe('decodeFlatKeys with the static schema', () => {
  it.each([
    {
      desc: 'entry points, durations kept as written',
      input: { 'entrypoints.web.address': ':8000', 'entrypoints.web.transport.respondingtimeouts.readtimeout': '5s' },
      expected: { entryPoints: { web: { address: ':8000', transport: { respondingTimeouts: { readTimeout: '5s' } } } } },
    },
    {
      desc: 'a declared entry point and a bare boolean',
      input: { 'entryPoints.web': 'true', 'providers.file.watch': 'true' },
      expected: { entryPoints: { web: {} }, providers: { file: { watch: true } } },
    },
    {
      desc: 'a list of trusted IPs',
      input: { 'entryPoints.web.forwardedHeaders.trustedIPs': '10.0.0.0/8,192.168.0.1' },
      expected: { entryPoints: { web: { forwardedHeaders: { trustedIPs: ['10.0.0.0/8', '192.168.0.1'] } } } },
    },
  ])('decodes $desc', ({ input, expected }) => {
    expect(decodeFlatKeys(input, { schema: staticSchema })).toEqual({ value: expected, errors: [] })
  })

  it.each([
    { desc: 'a boolean field', input: 'providers.file.watch', expected: 'bool' },
    { desc: 'an entry point', input: 'entrypoints.web', expected: 'object' },
    { desc: 'a duration', input: 'providers.providersThrottleDuration', expected: 'duration' },
    { desc: 'nothing', input: 'providers.nope', expected: undefined },
  ])('finds the schema of $desc', ({ input, expected }) => {
    expect(schemaForKey(staticSchema, input)?.kind).toBe(expected)
  })
})
