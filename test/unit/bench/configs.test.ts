import { describe, expect, it } from 'vitest'
import { load as parse } from 'js-yaml'
import { compileRegexp } from '../../../src/rules/regexp.ts'
import {
  bodies,
  catchAllRule,
  haproxyConfig,
  hostRoutersDynamicConfig,
  junctionStaticConfig,
  nginxBackendConfig,
  nginxProxyConfig,
  singleRouteDynamicConfig,
  sizesRegexpRule,
  versionHeader,
} from '../../bench/lib/configs.ts'

const backend = 'http://127.0.0.1:9000'
const service = { loadBalancer: { servers: [{ url: backend }] } }

describe('Junction configuration files', () => {
  it.each([
    {
      desc: 'static: one entry point, file provider watching a folder, no throttle',
      input: junctionStaticConfig({ port: 8080, directory: '/tmp/dyn' }),
      expected: {
        entryPoints: { web: { address: '127.0.0.1:8080' } },
        providers: { providersThrottleDuration: '0s', file: { directory: '/tmp/dyn', watch: true } },
        log: { level: 'ERROR' },
      },
    },
    {
      desc: 'dynamic: one catch-all router',
      input: singleRouteDynamicConfig(backend),
      expected: { http: { routers: { r: { rule: 'PathPrefix(`/`)', service: 's' } }, services: { s: service } } },
    },
    {
      desc: 'dynamic: one regexp router',
      input: singleRouteDynamicConfig(backend, sizesRegexpRule),
      expected: { http: { routers: { r: { rule: 'PathRegexp(`^/(small|16k)$`)', service: 's' } }, services: { s: service } } },
    },
    {
      desc: 'dynamic: one Host router and one service per index',
      input: hostRoutersDynamicConfig(3, backend),
      expected: {
        http: {
          routers: {
            r0: { rule: 'Host(`h0.test`)', service: 's0' },
            r1: { rule: 'Host(`h1.test`)', service: 's1' },
            r2: { rule: 'Host(`h2.test`)', service: 's2' },
          },
          services: { s0: service, s1: service, s2: service },
        },
      },
    },
    {
      desc: 'dynamic, versioned: the catch-all router through a headers middleware adding the version’s own header',
      input: singleRouteDynamicConfig(backend, undefined, 7),
      expected: {
        http: {
          routers: { r: { rule: 'PathPrefix(`/`)', middlewares: ['version'], service: 's' } },
          middlewares: { version: { headers: { customResponseHeaders: { 'X-Bench-Version-7': '7' } } } },
          services: { s: service },
        },
      },
    },
    {
      desc: 'dynamic, versioned: only the last Host router through the middleware',
      input: hostRoutersDynamicConfig(2, backend, 3),
      expected: {
        http: {
          routers: {
            r0: { rule: 'Host(`h0.test`)', service: 's0' },
            r1: { rule: 'Host(`h1.test`)', middlewares: ['version'], service: 's1' },
          },
          middlewares: { version: { headers: { customResponseHeaders: { 'X-Bench-Version-3': '3' } } } },
          services: { s0: service, s1: service },
        },
      },
    },
  ])('$desc', ({ input, expected }) => {
    expect(parse(input)).toEqual(expected)
  })

  it.each([
    { desc: 'version 0', input: 0, expected: { name: 'X-Bench-Version-0', value: '0' } },
    { desc: 'version 20', input: 20, expected: { name: 'X-Bench-Version-20', value: '20' } },
  ])('names a header of its own for $desc', ({ input, expected }) => {
    expect(versionHeader(input)).toEqual(expected)
  })

  // 1,000 rather than 10,000: the yaml package checks key uniqueness in O(n²).
  it('writes 1,000 routers as 1,000 distinct hosts', () => {
    const routers = (parse(hostRoutersDynamicConfig(1000, backend)) as { http: { routers: Record<string, { rule: string }> } }).http.routers
    expect(Object.keys(routers).length).toBe(1000)
    expect(routers['r999']).toEqual({ rule: 'Host(`h999.test`)', service: 's999' })
  })
})

describe('router rules', () => {
  // Read back the way Junction reads it: the backtick argument, compiled by the rules' own engine.
  const regexp = compileRegexp(/`(.*)`/.exec(sizesRegexpRule)?.[1] ?? '')

  it.each([
    ...Object.keys(bodies).map((size) => ({ desc: `the regexp matches /${size}, a path the bench requests`, input: `/${size}`, expected: true })),
    { desc: 'the regexp is anchored at the end', input: '/small/x', expected: false },
    { desc: 'the regexp is anchored at the start', input: '/x/small', expected: false },
    { desc: 'the regexp does not match the root', input: '/', expected: false },
  ])('$desc', ({ input, expected }) => {
    expect(regexp.test(input)).toBe(expected)
  })

  it('the catch-all rule is a PathPrefix on the root', () => {
    expect(catchAllRule).toBe('PathPrefix(`/`)')
  })
})

describe('daemon configuration files', () => {
  it.each([
    {
      desc: 'HAProxy: one thread, http mode, shared keep-alive server connections',
      input: haproxyConfig({ port: 8081, backendPort: 9000 }),
      expected: ['  nbthread 1', '  mode http', '  option http-keep-alive', '  http-reuse always', '  bind 127.0.0.1:8081', '  server s1 127.0.0.1:9000'],
    },
    {
      desc: 'nginx proxy: one worker, HTTP/1.1 upstream keep-alive',
      input: nginxProxyConfig({ port: 8082, prefix: '/p', backendPort: 9000 }),
      expected: ['worker_processes 1;', '    server 127.0.0.1:9000;', '    keepalive 128;', '      proxy_http_version 1.1;', '      proxy_set_header Connection "";', '    listen 127.0.0.1:8082;'],
    },
    {
      desc: 'nginx backend: one worker serving cached files, no per-connection request cap',
      input: nginxBackendConfig({ port: 9000, prefix: '/p', root: '/p/www' }),
      expected: ['worker_processes 1;', '  keepalive_requests 1000000;', '  open_file_cache max=16 inactive=600s;', '    listen 127.0.0.1:9000;', '    root /p/www;'],
    },
  ])('$desc', ({ input, expected }) => {
    const lines = input.split('\n')
    expect(expected.filter((line) => !lines.includes(line))).toEqual([])
  })
})

describe('bodies', () => {
  it.each([
    { desc: 'small is 13 bytes', input: bodies.small, expected: 13 },
    { desc: '16k is 16 KiB', input: bodies['16k'], expected: 16_384 },
  ])('$desc', ({ input, expected }) => {
    expect(Buffer.byteLength(input)).toBe(expected)
  })
})
