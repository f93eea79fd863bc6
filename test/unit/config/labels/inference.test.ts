import { describe, expect, it } from 'vitest'
import { inferWorkload } from '../../../../src/config/labels/inference.ts'
import type { Workload } from '../../../../src/config/labels/workload.ts'

/** A workload at 10.0.0.5 whose default ports are 80 (TCP) and 53 (UDP). */
function workload(over: Partial<Workload> = {}): Workload {
  return {
    name: 'app',
    serving: true,
    defaultRule: () => 'Host(`app.test`)',
    address: (protocol, port) => ({ host: '10.0.0.5', port: port ?? (protocol === 'udp' ? 53 : 80) }),
    ...over,
  }
}

const infer = (config: Record<string, unknown>, over: Partial<Workload> = {}) => inferWorkload(config, { workload: workload(over), prefix: 'junction' })
const lb = (...urls: string[]) => ({ loadBalancer: { servers: urls.map((url) => ({ url })) } })
const defaultRouter = { rule: 'Host(`app.test`)', service: 'app' }

describe('inferWorkload: Traefik\'s rules', () => {
  it.each([
    {
      desc: 'no label: one router with the default rule, one service on the default port',
      config: {},
      expected: { config: { http: { services: { app: lb('http://10.0.0.5:80') }, routers: { app: defaultRouter } } }, errors: [], warnings: [] },
    },
    {
      desc: 'a router without a service binds to the only service',
      config: { http: { routers: { web: { rule: 'Path(`/`)' } }, services: { api: { loadBalancer: { servers: [{ port: '8080' }] } } } } },
      expected: { config: { http: { routers: { web: { rule: 'Path(`/`)', service: 'api' } }, services: { api: lb('http://10.0.0.5:8080') } } }, errors: [], warnings: [] },
    },
    {
      desc: 'a router naming a service keeps it, defined or not',
      config: { http: { routers: { web: { rule: 'Path(`/`)', service: 'api@internal' } } } },
      expected: { config: { http: { routers: { web: { rule: 'Path(`/`)', service: 'api@internal' } }, services: { app: lb('http://10.0.0.5:80') } } }, errors: [], warnings: [] },
    },
    {
      desc: 'several services and no router: no router is made',
      config: { http: { services: { a: { loadBalancer: { servers: [{ port: '1' }] } }, b: { loadBalancer: { servers: [{ port: '2' }] } } } } },
      expected: { config: { http: { services: { a: lb('http://10.0.0.5:1'), b: lb('http://10.0.0.5:2') } } }, errors: [], warnings: [] },
    },
    {
      desc: 'several services: a router without a service is left out',
      config: { http: { routers: { web: { rule: 'Path(`/`)' } }, services: { a: { loadBalancer: {} }, b: { loadBalancer: {} } } } },
      expected: {
        config: { http: { routers: {}, services: { a: lb('http://10.0.0.5:80'), b: lb('http://10.0.0.5:80') } } },
        errors: [],
        warnings: ['http router web: no service label, and the labels declare several services (a, b); set junction.http.routers.web.service; router left out'],
      },
    },
    {
      desc: 'the services a message names are at most five',
      config: { http: { routers: { web: { rule: 'Path(`/`)' } }, services: Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => [name, { weighted: {} }])) } },
      expected: {
        config: { http: { routers: {}, services: Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => [name, { weighted: {} }])) } },
        errors: [],
        warnings: ['http router web: no service label, and the labels declare several services (a, b, c, d, e and 2 more); set junction.http.routers.web.service; router left out'],
      },
    },
    {
      desc: 'tcp labels alone make no http router',
      config: { tcp: { routers: { db: { rule: 'HostSNI(`*`)' } } } },
      expected: { config: { tcp: { routers: { db: { rule: 'HostSNI(`*`)', service: 'app' } }, services: { app: { loadBalancer: { servers: [{ address: '10.0.0.5:80' }] } } } } }, errors: [], warnings: [] },
    },
    {
      desc: 'tcp labels beside an http middleware: the http router is made too',
      config: { tcp: { services: { db: { loadBalancer: { servers: [{ port: '5432' }] } } } }, http: { middlewares: { m: { stripPrefix: { prefixes: ['/a'] } } } } },
      expected: {
        config: {
          tcp: { services: { db: { loadBalancer: { servers: [{ address: '10.0.0.5:5432' }] } } } },
          http: { middlewares: { m: { stripPrefix: { prefixes: ['/a'] } } }, services: { app: lb('http://10.0.0.5:80') }, routers: { app: defaultRouter } },
        },
        errors: [],
        warnings: [],
      },
    },
    {
      desc: 'a tcp router without a rule is left out',
      config: { tcp: { routers: { db: { tls: {} } } } },
      expected: {
        config: { tcp: { routers: {}, services: { app: { loadBalancer: { servers: [{ address: '10.0.0.5:80' }] } } } } },
        errors: [],
        warnings: ['tcp router db: no rule (set junction.tcp.routers.db.rule); router left out'],
      },
    },
    {
      desc: 'udp: a router without a service binds to the only one, on the udp default port',
      config: { udp: { routers: { dns: { entryPoints: ['dns'] } } } },
      expected: { config: { udp: { routers: { dns: { entryPoints: ['dns'], service: 'app' } }, services: { app: { loadBalancer: { servers: [{ address: '10.0.0.5:53' }] } } } } }, errors: [], warnings: [] },
    },
    {
      desc: 'a weighted service gets no server, and binds a router as the only service',
      config: { http: { routers: { web: { rule: 'Path(`/`)' } }, services: { canary: { weighted: { services: [{ name: 'a', weight: 1 }] } } } } },
      expected: { config: { http: { routers: { web: { rule: 'Path(`/`)', service: 'canary' } }, services: { canary: { weighted: { services: [{ name: 'a', weight: 1 }] } } } } }, errors: [], warnings: [] },
    },
  ])('$desc', ({ config, expected }) => {
    expect(infer(config)).toEqual(expected)
  })
})

describe('inferWorkload: servers', () => {
  it.each([
    {
      desc: 'scheme, weight and preservePath kept beside the made url',
      servers: [{ port: '8443', scheme: 'https', weight: 3, preservePath: true }],
      expected: [{ url: 'https://10.0.0.5:8443', weight: 3, preservePath: true }],
    },
    { desc: 'a url kept as written', servers: [{ url: 'http://192.0.2.1:9000' }], expected: [{ url: 'http://192.0.2.1:9000' }] },
    { desc: 'a blank port means the default port', servers: [{ port: ' ' }], expected: [{ url: 'http://10.0.0.5:80' }] },
    {
      desc: 'every indexed server, where Traefik reads the first',
      servers: [{ port: '8080' }, { port: '8081' }, { url: 'http://192.0.2.1' }],
      expected: [{ url: 'http://10.0.0.5:8080' }, { url: 'http://10.0.0.5:8081' }, { url: 'http://192.0.2.1' }],
    },
  ])('$desc', ({ servers, expected }) => {
    const result = infer({ http: { services: { s: { loadBalancer: { servers } } } } })
    expect(result.config['http']).toEqual({ services: { s: { loadBalancer: { servers: expected } } }, routers: { app: { rule: 'Host(`app.test`)', service: 's' } } })
  })

  it('gives a workload that takes no traffic no server, but keeps url servers', () => {
    const result = infer({ http: { services: { a: { loadBalancer: { servers: [{ port: '8080' }] } }, b: { loadBalancer: { servers: [{ url: 'http://192.0.2.1' }] } } } }, tcp: { routers: { t: { rule: 'HostSNI(`*`)' } } } }, { serving: false })
    expect(result).toEqual({
      config: {
        http: { services: { a: { loadBalancer: { servers: [] } }, b: lb('http://192.0.2.1') } },
        tcp: { routers: { t: { rule: 'HostSNI(`*`)', service: 'app' } }, services: { app: { loadBalancer: { servers: [] } } } },
      },
      errors: [],
      warnings: [],
    })
  })

  it.each([
    {
      desc: 'a url beside a port',
      config: { http: { services: { s: { loadBalancer: { servers: [{ url: 'http://a', port: '80' }] } } } } },
      over: {},
      expected: 'label junction.http.services.s.loadbalancer.server.url: a server with a url takes no port or scheme label',
    },
    {
      desc: 'an address beside a port, on a second server',
      config: { tcp: { services: { s: { loadBalancer: { servers: [{ port: '1' }, { address: 'a:1', port: '2' }] } } } } },
      over: {},
      expected: 'label junction.tcp.services.s.loadbalancer.servers[1].address: a server with an address takes no port or scheme label',
    },
    {
      desc: 'no default port: the message says which label to set',
      config: {},
      over: { address: () => ({ message: 'no port exposed', missingPort: true }) },
      expected: 'http service app: no port exposed; set junction.http.services.app.loadbalancer.server.port',
    },
    {
      desc: 'no address',
      config: { udp: { services: { u: { loadBalancer: { servers: [{ port: '53' }] } } } } },
      over: { address: () => ({ message: 'no network' }) },
      expected: 'udp service u: no network',
    },
  ])('does not route the workload for $desc', ({ config, over, expected }) => {
    expect(infer(config, over)).toEqual({ config: {}, errors: [expected], warnings: [] })
  })

  it.each([
    { desc: 'fails to render', defaultRule: () => { throw new Error('template: no such field') }, expected: 'http router app: default rule: template: no such field; router left out' },
    { desc: 'renders empty', defaultRule: () => '  ', expected: 'http router app: the default rule is empty; router left out' },
  ])('leaves the router out when the default rule $desc, and keeps the service', ({ defaultRule, expected }) => {
    expect(infer({}, { defaultRule })).toEqual({ config: { http: { services: { app: lb('http://10.0.0.5:80') }, routers: {} } }, errors: [], warnings: [expected] })
  })
})
