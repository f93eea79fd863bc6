import { describe, expect, it } from 'vitest'
import { canonicalText, sortedCopy } from '../../../../src/config/labels/canonical.ts'
import { mergeWorkloads } from '../../../../src/config/labels/merge-workloads.ts'

const http = (services: Record<string, unknown>, routers: Record<string, unknown> = {}) => ({ http: { services, routers } })
const lb = (servers: unknown[], extra: Record<string, unknown> = {}) => ({ loadBalancer: { ...extra, servers } })

describe('mergeWorkloads', () => {
  it.each([
    {
      desc: 'the same service from replicas: one load balancer with every server, in order, each once',
      workloads: [
        { source: 'container a', config: http({ web: lb([{ url: 'http://10.0.0.1:80' }]) }) },
        { source: 'container b', config: http({ web: lb([{ url: 'http://10.0.0.2:80' }, { url: 'http://10.0.0.1:80', weight: 5 }]) }) },
      ],
      expected: { config: { http: { services: { web: lb([{ url: 'http://10.0.0.1:80' }, { url: 'http://10.0.0.2:80' }]) } } }, problems: [] },
    },
    {
      desc: 'tcp and udp servers deduplicated by address',
      workloads: [
        { source: 'container a', config: { tcp: { services: { db: lb([{ address: '10.0.0.1:5432' }]) } }, udp: { services: { dns: lb([{ address: '10.0.0.1:53' }]) } } } },
        { source: 'container b', config: { tcp: { services: { db: lb([{ address: '10.0.0.1:5432' }, { address: '10.0.0.2:5432' }]) } }, udp: { services: { dns: lb([{ address: '10.0.0.2:53' }]) } } } },
      ],
      expected: {
        config: {
          tcp: { services: { db: lb([{ address: '10.0.0.1:5432' }, { address: '10.0.0.2:5432' }]) } },
          udp: { services: { dns: lb([{ address: '10.0.0.1:53' }, { address: '10.0.0.2:53' }]) } },
        },
        problems: [],
      },
    },
    {
      desc: 'an http load balancer written with its defaults equals one without them',
      workloads: [
        { source: 'container a', config: http({ web: lb([{ url: 'http://a' }]) }) },
        { source: 'container b', config: http({ web: lb([{ url: 'http://b' }], { passHostHeader: true, strategy: 'wrr' }) }) },
      ],
      expected: { config: { http: { services: { web: lb([{ url: 'http://a' }, { url: 'http://b' }]) } } }, problems: [] },
    },
    {
      desc: 'identical routers and middlewares, taken once',
      workloads: [
        { source: 'container a', config: { http: { routers: { r: { rule: 'Path(`/`)', service: 's' } }, middlewares: { m: { stripPrefix: { prefixes: ['/a'] } } } } } },
        { source: 'container b', config: { http: { middlewares: { m: { stripPrefix: { prefixes: ['/a'] } } }, routers: { r: { service: 's', rule: 'Path(`/`)' } } } } },
      ],
      expected: { config: { http: { routers: { r: { rule: 'Path(`/`)', service: 's' } }, middlewares: { m: { stripPrefix: { prefixes: ['/a'] } } } } }, problems: [] },
    },
    {
      desc: 'different definitions under one name: left out, every declarer told',
      workloads: [
        { source: 'container a', config: http({ web: lb([{ url: 'http://a' }], { passHostHeader: false }) }, { r: { rule: 'Path(`/a`)' } }) },
        { source: 'container b', config: http({ web: lb([{ url: 'http://b' }], { passHostHeader: true }) }, { r: { rule: 'Path(`/a`)' } }) },
        { source: 'container c', config: http({ web: lb([{ url: 'http://c' }], { passHostHeader: false }) }) },
      ],
      expected: {
        config: { http: { routers: { r: { rule: 'Path(`/a`)' } } } },
        problems: [
          { source: 'container a', message: 'http.services.web: defined differently by container a, container b, container c; left out' },
          { source: 'container b', message: 'http.services.web: defined differently by container a, container b, container c; left out' },
          { source: 'container c', message: 'http.services.web: defined differently by container a, container b, container c; left out' },
        ],
      },
    },
    {
      desc: 'a load balancer and a weighted service under one name conflict',
      workloads: [
        { source: 'container a', config: http({ app: lb([{ url: 'http://a' }]) }) },
        { source: 'container b', config: http({ app: { weighted: { services: [{ name: 'x', weight: 1 }] } } }) },
      ],
      expected: {
        config: {},
        problems: [
          { source: 'container a', message: 'http.services.app: defined differently by container a, container b; left out' },
          { source: 'container b', message: 'http.services.app: defined differently by container a, container b; left out' },
        ],
      },
    },
    {
      desc: 'the same name in two sections is two objects',
      workloads: [
        { source: 'container a', config: { http: { services: { x: lb([{ url: 'http://a' }]) } } } },
        { source: 'container b', config: { tcp: { services: { x: lb([{ address: 'b:1' }]) } } } },
      ],
      expected: { config: { http: { services: { x: lb([{ url: 'http://a' }]) } }, tcp: { services: { x: lb([{ address: 'b:1' }]) } } }, problems: [] },
    },
    {
      desc: 'the default tls store merged like any object',
      workloads: [
        { source: 'container a', config: { tls: { stores: { default: { defaultGeneratedCert: { resolver: 'le' } } } } } },
        { source: 'container b', config: { tls: { stores: { default: { defaultGeneratedCert: { resolver: 'le' } } } } } },
      ],
      expected: { config: { tls: { stores: { default: { defaultGeneratedCert: { resolver: 'le' } } } } }, problems: [] },
    },
  ])('$desc', ({ workloads, expected }) => {
    expect(mergeWorkloads(workloads)).toEqual(expected)
  })

  it('leaves its inputs as they were', () => {
    const a = http({ web: lb([{ url: 'http://a' }]) })
    const b = http({ web: lb([{ url: 'http://b' }]) })
    const before = JSON.stringify([a, b])
    mergeWorkloads([{ source: 'container a', config: a }, { source: 'container b', config: b }])
    expect(JSON.stringify([a, b])).toBe(before)
  })

  it('names at most five declarers of a conflict, so 20,000 conflicting replicas make 20,000 short messages', () => {
    const workloads = Array.from({ length: 20_000 }, (_, i) => ({ source: `container ${i}`, config: http({ web: lb([], { passHostHeader: i % 2 === 0 }) }) }))
    const { config, problems } = mergeWorkloads(workloads)
    const message = 'http.services.web: defined differently by container 0, container 1, container 2, container 3, container 4 and 19995 more; left out'
    expect([config, problems.length, problems[19_999]]).toEqual([{}, 20_000, { source: 'container 19999', message }])
  })

  it('merges 20,000 replicas of one service into one load balancer', () => {
    const workloads = Array.from({ length: 20_000 }, (_, i) => ({ source: `container ${i}`, config: http({ web: lb([{ url: `http://10.0.${i >> 8}.${i & 255}:80` }]) }) }))
    const servers = (mergeWorkloads(workloads).config as { http: { services: { web: { loadBalancer: { servers: unknown[] } } } } }).http.services.web.loadBalancer.servers
    expect([servers.length, servers[19_999]]).toEqual([20_000, { url: 'http://10.0.78.31:80' }])
  })
})

describe('sortedCopy and canonicalText', () => {
  it('sorts every object\'s keys, keeps list order, and keeps a __proto__ key a key', () => {
    const value = JSON.parse('{"b":1,"a":{"d":[{"z":1,"y":2},1],"c":3},"__proto__":{"x":1}}') as unknown
    expect(JSON.stringify(sortedCopy(value))).toBe('{"__proto__":{"x":1},"a":{"c":3,"d":[{"y":2,"z":1},1]},"b":1}')
  })

  it('is equal for equal definitions written in another order', () => {
    expect(canonicalText({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalText({ b: { d: 3, c: 2 }, a: 1 }))
  })
})
