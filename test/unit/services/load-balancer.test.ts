import { describe, expect, it } from 'vitest'
import type { LoadBalancer } from '../../../src/config/dynamic.ts'
import { JunctionError } from '../../../src/errors.ts'
import { createTarget } from '../../../src/services/target.ts'
import { createLoadBalancer } from '../../../src/services/load-balancer.ts'
import { resolveServersTransport } from '../../../src/services/servers-transport.ts'

const transport = resolveServersTransport()

describe('createLoadBalancer', () => {
  it.each([
    { desc: 'a server without url', input: { servers: [{}] }, expected: 'server url is missing' },
    { desc: 'a url that does not parse', input: { servers: [{ url: 'http://' }] }, expected: 'server url "http://" does not parse' },
    { desc: 'an unsupported scheme', input: { servers: [{ url: 'ftp://h:21' }] }, expected: 'server url "ftp://h:21": scheme ftp is not supported (http, https, h2c)' },
    { desc: 'a weight that is not a number', input: { servers: [{ url: 'http://h', weight: 'heavy' }] }, expected: 'server http://h/: weight must be a number, got heavy' },
    { desc: 'an unknown strategy', input: { servers: [{ url: 'http://h' }], strategy: 'p2c' }, expected: 'strategy "p2c" is not supported yet (wrr)' },
  ])('refuses $desc with JCT_ERR_DYNAMIC_CONFIG', ({ input, expected }) => {
    let caught: unknown
    try {
      createLoadBalancer('app@file', input as LoadBalancer, transport)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(JunctionError)
    expect({ code: (caught as JunctionError).code, message: (caught as JunctionError).message }).toEqual({ code: 'JCT_ERR_DYNAMIC_CONFIG', message: expected })
  })

  it('builds and disposes a service', async () => {
    const service = createLoadBalancer('app@file', { servers: [{ url: 'http://127.0.0.1:1' }] }, transport)
    expect(typeof service.handler).toBe('function')
    await expect(service.dispose()).resolves.toBeUndefined()
  })
})

describe('createTarget', () => {
  it.each([
    {
      desc: 'an http server with defaults',
      input: { server: { url: 'http://10.0.0.1:8080/base' }, passHostHeader: true },
      expected: { href: 'http://10.0.0.1:8080/base', origin: 'http://10.0.0.1:8080', h2c: false, weight: 1, preservePath: false, passHostHeader: true, tls: undefined },
    },
    {
      desc: 'an h2c server: cleartext HTTP/2, named as written, reached as http',
      input: { server: { url: 'h2c://127.0.0.1:50051' }, passHostHeader: true },
      expected: { href: 'h2c://127.0.0.1:50051', origin: 'http://127.0.0.1:50051', h2c: true, weight: 1, preservePath: false, passHostHeader: true, tls: undefined },
    },
    {
      desc: 'an h2c server with a path and no port',
      input: { server: { url: 'h2c://grpc.internal/base/', weight: 3 }, passHostHeader: false },
      expected: { href: 'h2c://grpc.internal/base/', origin: 'http://grpc.internal', h2c: true, weight: 3, preservePath: false, passHostHeader: false, tls: undefined },
    },
    {
      desc: 'an https server by IP: no SNI',
      input: { server: { url: 'https://10.0.0.1', weight: 4 }, passHostHeader: false },
      expected: { href: 'https://10.0.0.1/', origin: 'https://10.0.0.1', h2c: false, weight: 4, preservePath: false, passHostHeader: false, tls: { rejectUnauthorized: true, servername: undefined } },
    },
    {
      desc: 'an https server by IPv6: no SNI',
      input: { server: { url: 'https://[::1]:8443' }, passHostHeader: true },
      expected: { href: 'https://[::1]:8443/', origin: 'https://[::1]:8443', h2c: false, weight: 1, preservePath: false, passHostHeader: true, tls: { rejectUnauthorized: true, servername: undefined } },
    },
    {
      desc: 'an https server by name, negative weight as 0',
      input: { server: { url: 'https://api.example', weight: -2, preservePath: true }, passHostHeader: true },
      expected: { href: 'https://api.example/', origin: 'https://api.example', h2c: false, weight: 0, preservePath: true, passHostHeader: true, tls: { rejectUnauthorized: true, servername: 'api.example' } },
    },
  ])('parses $desc', ({ input, expected }) => {
    const target = createTarget(input.server, transport, input.passHostHeader)
    expect({ href: target.href, origin: target.origin, h2c: target.h2c, weight: target.weight, preservePath: target.preservePath, passHostHeader: target.passHostHeader, tls: target.tls }).toEqual(expected)
  })
})
