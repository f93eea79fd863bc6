import { describe, expect, it } from 'vitest'
import { validateDynamic, type ObjectError } from '../../../src/config/validate-dynamic.ts'

/** A valid configuration the bad objects are added to; all of it must survive. */
function goodConfig(): Record<string, Record<string, Record<string, unknown>>> {
  return {
    http: {
      routers: { web: { rule: 'Host(`a.test`)', service: 'app', entryPoints: ['web'], priority: 10 } },
      services: { app: { loadBalancer: { servers: [{ url: 'http://127.0.0.1:8080' }] } } },
      middlewares: { strip: { stripPrefix: { prefixes: ['/api'] } } },
    },
  }
}

describe('validateDynamic', () => {
  it.each<{ desc: string; section: string; name: string; object: unknown; expected: ObjectError[] }>([
    {
      desc: 'a router with a priority that is not a number',
      section: 'routers',
      name: 'bad',
      object: { rule: 'Path(`/`)', priority: 'high' },
      expected: [{ kind: 'router', protocol: 'http', name: 'bad', message: 'http.routers.bad.priority: expected an integer, got "high"' }],
    },
    {
      desc: 'a router with an unknown field',
      section: 'routers',
      name: 'bad',
      object: { rule: 'Path(`/`)', servce: 'app' },
      expected: [{ kind: 'router', protocol: 'http', name: 'bad', message: 'http.routers.bad.servce: unknown field' }],
    },
    {
      desc: 'a router with every problem at once',
      section: 'routers',
      name: 'bad',
      object: { priority: 1.5, entryPoints: [{}], tls: 'maybe' },
      expected: [
        { kind: 'router', protocol: 'http', name: 'bad', message: 'http.routers.bad.priority: expected an integer, got 1.5' },
        { kind: 'router', protocol: 'http', name: 'bad', message: 'http.routers.bad.entryPoints[0]: expected a string, got an object' },
        { kind: 'router', protocol: 'http', name: 'bad', message: 'http.routers.bad.tls: expected an object, got "maybe"' },
      ],
    },
    {
      desc: 'a service with a bad duration',
      section: 'services',
      name: 'bad',
      object: { loadBalancer: { healthCheck: { interval: 'often' } } },
      expected: [
        {
          kind: 'service',
          protocol: 'http',
          name: 'bad',
          message:
            'http.services.bad.loadBalancer.healthCheck.interval: invalid duration "often": expected a Go duration such as "100ms", "1m30s" or a number of seconds',
        },
      ],
    },
    {
      desc: 'a service with no kind',
      section: 'services',
      name: 'bad',
      object: {},
      expected: [
        { kind: 'service', protocol: 'http', name: 'bad', message: 'http.services.bad: a service needs exactly one of loadBalancer, weighted, mirroring, failover, highestRandomWeight; got none' },
      ],
    },
    {
      desc: 'a service with two kinds',
      section: 'services',
      name: 'bad',
      object: { loadBalancer: { servers: [] }, failover: { service: 'a', fallback: 'b' } },
      expected: [
        {
          kind: 'service',
          protocol: 'http',
          name: 'bad',
          message: 'http.services.bad: a service needs exactly one of loadBalancer, weighted, mirroring, failover, highestRandomWeight; got loadBalancer and failover',
        },
      ],
    },
    {
      desc: 'a service with middlewares and no kind (middlewares are not a kind)',
      section: 'services',
      name: 'bad',
      object: { middlewares: ['strip'] },
      expected: [
        {
          kind: 'service',
          protocol: 'http',
          name: 'bad',
          message: 'http.services.bad: a service needs exactly one of loadBalancer, weighted, mirroring, failover, highestRandomWeight; got none',
        },
      ],
    },
    {
      desc: 'a service with servers given as a map that is not empty',
      section: 'services',
      name: 'bad',
      object: { loadBalancer: { servers: { a: { url: 'http://127.0.0.1:8080' } } } },
      expected: [{ kind: 'service', protocol: 'http', name: 'bad', message: 'http.services.bad.loadBalancer.servers: expected a list, got an object' }],
    },
    {
      desc: 'a service with its middlewares written twice',
      section: 'services',
      name: 'bad',
      object: { middlewares: ['a'], Middlewares: ['b'], loadBalancer: {} },
      expected: [{ kind: 'service', protocol: 'http', name: 'bad', message: 'http.services.bad.Middlewares: duplicate of http.services.bad.middlewares' }],
    },
    {
      desc: 'a service with a strategy Traefik does not know',
      section: 'services',
      name: 'bad',
      object: { loadBalancer: { strategy: 'random' } },
      expected: [
        { kind: 'service', protocol: 'http', name: 'bad', message: 'http.services.bad.loadBalancer.strategy: expected one of wrr, p2c, hrw, leasttime, got "random"' },
      ],
    },
    {
      desc: 'a middleware with no type',
      section: 'middlewares',
      name: 'bad',
      object: {},
      expected: [{ kind: 'middleware', protocol: 'http', name: 'bad', message: 'http.middlewares.bad: a middleware needs exactly one type; got none' }],
    },
    {
      desc: 'a middleware with two types',
      section: 'middlewares',
      name: 'bad',
      object: { addPrefix: { prefix: '/a' }, stripPrefix: { prefixes: ['/b'] } },
      expected: [
        { kind: 'middleware', protocol: 'http', name: 'bad', message: 'http.middlewares.bad: a middleware needs exactly one type; got addPrefix and stripPrefix' },
      ],
    },
    {
      desc: 'a middleware of an unknown type',
      section: 'middlewares',
      name: 'bad',
      object: { rewriteBody: { pattern: 'x' } },
      expected: [{ kind: 'middleware', protocol: 'http', name: 'bad', message: 'http.middlewares.bad.rewriteBody: unknown middleware type "rewriteBody"' }],
    },
    {
      desc: 'a middleware with an unknown option',
      section: 'middlewares',
      name: 'bad',
      object: { rateLimit: { average: 10, brust: 20 } },
      expected: [{ kind: 'middleware', protocol: 'http', name: 'bad', message: 'http.middlewares.bad.rateLimit.brust: unknown field' }],
    },
    {
      desc: 'a label-only server field in a file',
      section: 'services',
      name: 'bad',
      object: { loadBalancer: { servers: [{ port: '80' }] } },
      expected: [{ kind: 'service', protocol: 'http', name: 'bad', message: 'http.services.bad.loadBalancer.servers[0].port: unknown field' }],
    },
  ])('removes $desc and keeps every other object', ({ section, name, object, expected }) => {
    const raw = goodConfig()
    ;(raw['http'] as Record<string, Record<string, unknown>>)[section] = { ...raw['http']?.[section], [name]: object }
    const { config, errors } = validateDynamic(raw)
    expect(errors).toEqual(expected)
    expect(config).toEqual(goodConfig())
  })

  it.each([
    {
      desc: 'strings from labels and KV into booleans, integers and lists',
      input: {
        http: {
          routers: { r: { priority: '42', entryPoints: 'web,websecure', tls: 'true' } },
          services: { s: { loadBalancer: { passHostHeader: 'false', servers: [{ url: 'http://a', weight: '3' }] } } },
        },
      },
      expected: {
        http: {
          routers: { r: { priority: 42, entryPoints: ['web', 'websecure'], tls: {} } },
          services: { s: { loadBalancer: { passHostHeader: false, servers: [{ url: 'http://a', weight: 3 }] } } },
        },
      },
    },
    {
      desc: 'numbers into strings (errors status codes, redirect port)',
      input: {
        http: {
          middlewares: {
            e: { errors: { status: [404, '500-599'], service: 'pages', query: '/{status}.html' } },
            r: { redirectScheme: { scheme: 'https', port: 443 } },
          },
        },
      },
      expected: {
        http: {
          middlewares: {
            e: { errors: { status: ['404', '500-599'], service: 'pages', query: '/{status}.html' } },
            r: { redirectScheme: { scheme: 'https', port: '443' } },
          },
        },
      },
    },
    {
      desc: 'field names in any case to their canonical spelling',
      input: { HTTP: { Routers: { r: { EntryPoints: ['web'], RULE: 'Path(`/`)' } }, services: { s: { loadbalancer: { Servers: [{ URL: 'http://a' }] } } } } },
      expected: { http: { routers: { r: { entryPoints: ['web'], rule: 'Path(`/`)' } }, services: { s: { loadBalancer: { servers: [{ url: 'http://a' }] } } } } },
    },
    {
      desc: 'durations kept as written',
      input: { http: { services: { s: { loadBalancer: { healthCheck: { interval: '10s', timeout: 3 }, responseForwarding: { flushInterval: '-1' } } } } } },
      expected: { http: { services: { s: { loadBalancer: { healthCheck: { interval: '10s', timeout: 3 }, responseForwarding: { flushInterval: '-1' } } } } } },
    },
    {
      desc: 'an empty YAML value as an empty object (contentType:, healthCheck:)',
      input: { http: { middlewares: { c: { contentType: null } }, services: { w: { weighted: { services: [{ name: 'a', weight: 1 }], healthCheck: null } } } } },
      expected: { http: { middlewares: { c: { contentType: {} } }, services: { w: { weighted: { services: [{ name: 'a', weight: 1 }], healthCheck: {} } } } } },
    },
    {
      desc: 'tcp, udp and tls objects',
      input: {
        tcp: {
          routers: { db: { rule: 'HostSNI(`*`)', service: 'db', tls: { passthrough: 'true' } } },
          services: { db: { loadBalancer: { servers: [{ address: '127.0.0.1:5432' }] } } },
          middlewares: { limit: { inFlightConn: { amount: '10' } } },
        },
        udp: { services: { dns: { loadBalancer: { servers: [{ address: '127.0.0.1:53' }] } } } },
        tls: { certificates: [{ certFile: 'a.crt', keyFile: 'a.key' }], options: { default: { minVersion: 'VersionTLS12', sniStrict: true } } },
      },
      expected: {
        tcp: {
          routers: { db: { rule: 'HostSNI(`*`)', service: 'db', tls: { passthrough: true } } },
          services: { db: { loadBalancer: { servers: [{ address: '127.0.0.1:5432' }] } } },
          middlewares: { limit: { inFlightConn: { amount: 10 } } },
        },
        udp: { services: { dns: { loadBalancer: { servers: [{ address: '127.0.0.1:53' }] } } } },
        tls: { certificates: [{ certFile: 'a.crt', keyFile: 'a.key' }], options: { default: { minVersion: 'VersionTLS12', sniStrict: true } } },
      },
    },
    {
      desc: 'servers: {} into an empty list, as Traefik decodes it (the catch-all that answers 503)',
      input: { http: { services: { catchAll: { loadBalancer: { servers: {} } } } } },
      expected: { http: { services: { catchAll: { loadBalancer: { servers: [] } } } } },
    },
    {
      desc: 'any empty map where a list is expected into an empty list',
      input: { http: { routers: { r: { entryPoints: {}, middlewares: {} } } }, tls: { certificates: {} } },
      expected: { http: { routers: { r: { entryPoints: [], middlewares: [] } } }, tls: { certificates: [] } },
    },
    {
      desc: 'a service with middlewares next to its kind, both kept',
      input: { http: { services: { s: { middlewares: 'strip,auth@docker', loadBalancer: { servers: [{ url: 'http://a' }] } } } } },
      expected: { http: { services: { s: { loadBalancer: { servers: [{ url: 'http://a' }] }, middlewares: ['strip', 'auth@docker'] } } } },
    },
    {
      desc: 'a highestRandomWeight service',
      input: { http: { services: { h: { highestRandomWeight: { services: [{ name: 'a', weight: '2' }], healthCheck: null } } } } },
      expected: { http: { services: { h: { highestRandomWeight: { services: [{ name: 'a', weight: 2 }], healthCheck: {} } } } } },
    },
    {
      desc: 'errorRequestHeaders: [] kept as an empty list (it forwards no header; unset forwards all)',
      input: { http: { middlewares: { e: { errors: { status: ['404'], service: 'pages', errorRequestHeaders: [] } } } } },
      expected: { http: { middlewares: { e: { errors: { status: ['404'], service: 'pages', errorRequestHeaders: [] } } } } },
    },
    {
      desc: 'encodedCharacters flags from label strings',
      input: { http: { middlewares: { c: { encodedCharacters: { allowEncodedSlash: 'true', allowEncodedHash: 'false' } } } } },
      expected: { http: { middlewares: { c: { encodedCharacters: { allowEncodedSlash: true, allowEncodedHash: false } } } } },
    },
    {
      desc: 'plugin options kept exactly as written, since only the plugin knows their shape',
      input: { http: { middlewares: { p: { plugin: { rewriteBody: { lastModified: 'true', rewrites: [{ regex: 'a' }], empty: null } } } } } },
      expected: { http: { middlewares: { p: { plugin: { rewriteBody: { lastModified: 'true', rewrites: [{ regex: 'a' }], empty: null } } } } } },
    },
    {
      desc: 'peer certificate SANs of a serversTransport',
      input: { http: { serversTransports: { t: { peerCertSANs: [{ type: 'dnsname', value: 'a.test' }] } } } },
      expected: { http: { serversTransports: { t: { peerCertSANs: [{ type: 'DNSName', value: 'a.test' }] } } } },
    },
  ])('coerces $desc', ({ input, expected }) => {
    expect(validateDynamic(input)).toEqual({ config: expected, errors: [] })
  })

  it.each<{ desc: string; input: unknown; expected: ObjectError[] }>([
    {
      desc: 'an unknown top-level section',
      input: { htp: { routers: {} } },
      expected: [{ kind: 'section', protocol: 'root', name: 'htp', message: 'htp: unknown section' }],
    },
    {
      desc: 'an unknown collection in a section',
      input: { tcp: { middleware: {} } },
      expected: [{ kind: 'section', protocol: 'tcp', name: 'middleware', message: 'tcp.middleware: unknown section' }],
    },
    {
      desc: 'a collection that is not a map',
      input: { http: { routers: ['web'] } },
      expected: [{ kind: 'section', protocol: 'http', name: 'http.routers', message: 'http.routers: expected a map of names to objects, got a list' }],
    },
    {
      desc: 'udp middlewares, which Traefik does not have',
      input: { udp: { middlewares: { m: {} } } },
      expected: [{ kind: 'section', protocol: 'udp', name: 'middlewares', message: 'udp.middlewares: unknown section' }],
    },
    {
      desc: 'a configuration that is not an object',
      input: 'http: {}',
      expected: [{ kind: 'section', protocol: 'root', name: '', message: 'configuration: expected an object, got "http: {}"' }],
    },
    {
      desc: 'a bad certificate, by index',
      input: { tls: { certificates: [{ certFile: 'a.crt', keyFile: 'a.key' }, { certfile: 'b.crt', keyFile: 'b.key', store: 'x' }] } },
      expected: [{ kind: 'tlsCertificate', protocol: 'tls', name: '1', message: 'tls.certificates[1].store: unknown field' }],
    },
  ])('reports $desc', ({ input, expected }) => {
    expect(validateDynamic(input).errors).toEqual(expected)
  })

  it.each([
    { desc: 'written first', service: { middlewares: ['strip'], loadBalancer: { servers: [] } } },
    { desc: 'written last', service: { loadBalancer: { servers: [] }, middlewares: ['strip'] } },
  ])('puts a service kind before its middlewares when they are $desc, so the first key is the kind', ({ service }) => {
    const { config } = validateDynamic({ http: { services: { s: service } } })
    expect(Object.keys(config.http?.services?.['s'] ?? {})).toEqual(['loadBalancer', 'middlewares'])
  })

  it.each([
    { desc: 'tcp', input: { tcp: { services: { s: { middlewares: ['m'], loadBalancer: { servers: [] } } } } }, protocol: 'tcp' as const },
    { desc: 'udp', input: { udp: { services: { s: { middlewares: ['m'], loadBalancer: { servers: [] } } } } }, protocol: 'udp' as const },
  ])('refuses service middlewares on a $desc service, which Traefik does not have', ({ input, protocol }) => {
    expect(validateDynamic(input).errors).toEqual([
      { kind: 'service', protocol, name: 's', message: `${protocol}.services.s.middlewares: unknown service type "middlewares"` },
      { kind: 'service', protocol, name: 's', message: `${protocol}.services.s: a service needs exactly one of loadBalancer, weighted; got middlewares and loadBalancer` },
    ])
  })

  it('keeps the good certificate when another is bad', () => {
    const { config } = validateDynamic({ tls: { certificates: [{ certFile: 'a.crt', keyFile: 'a.key' }, { certFile: 1, bogus: true }] } })
    expect(config).toEqual({ tls: { certificates: [{ certFile: 'a.crt', keyFile: 'a.key' }] } })
  })

  it('accepts an empty or missing configuration', () => {
    expect(validateDynamic(undefined)).toEqual({ config: {}, errors: [] })
    expect(validateDynamic(null)).toEqual({ config: {}, errors: [] })
    expect(validateDynamic({})).toEqual({ config: {}, errors: [] })
  })

  it('does not modify its input', () => {
    const raw = { http: { routers: { r: { priority: '1' } } } }
    validateDynamic(raw)
    expect(raw).toEqual({ http: { routers: { r: { priority: '1' } } } })
  })
})
