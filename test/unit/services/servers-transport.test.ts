import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ServersTransport } from '../../../src/config/dynamic.ts'
import { JunctionError } from '../../../src/errors.ts'
import { resolveServersTransport, tlsSettings, type ResolvedTransport } from '../../../src/services/servers-transport.ts'

const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'junction-transport-'))
  await writeFile(join(dir, 'ca.pem'), pem)
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const defaults: ResolvedTransport = {
  serverName: '',
  insecureSkipVerify: false,
  rootCAs: [],
  certificates: [],
  maxIdleConnsPerHost: 200,
  disableHTTP2: false,
  dialTimeout: 30_000,
  responseHeaderTimeout: 0,
  idleConnTimeout: 90_000,
}

describe('resolveServersTransport', () => {
  it.each([
    { desc: "Traefik's defaults without any transport", input: { named: undefined, global: undefined }, expected: defaults },
    {
      desc: 'durations as strings and as seconds',
      input: { named: { forwardingTimeouts: { dialTimeout: '1m30s', responseHeaderTimeout: 2, idleConnTimeout: '500ms' } }, global: undefined },
      expected: { ...defaults, dialTimeout: 90_000, responseHeaderTimeout: 2000, idleConnTimeout: 500 },
    },
    {
      desc: 'the global transport when none is named',
      input: { named: undefined, global: { insecureSkipVerify: true, maxIdleConnsPerHost: 7 } },
      expected: { ...defaults, insecureSkipVerify: true, maxIdleConnsPerHost: 7 },
    },
    {
      desc: 'a named transport alone on the defaults, as in Traefik',
      input: { named: { serverName: 'api.internal' }, global: { insecureSkipVerify: true, maxIdleConnsPerHost: 7 } },
      expected: { ...defaults, serverName: 'api.internal' },
    },
    {
      desc: 'a negative duration as none',
      input: { named: { forwardingTimeouts: { dialTimeout: '-1s' } }, global: undefined },
      expected: { ...defaults, dialTimeout: 0 },
    },
  ])('resolves $desc', ({ input, expected }) => {
    expect(resolveServersTransport(input.named as ServersTransport | undefined, input.global as ServersTransport | undefined)).toEqual(expected)
  })

  it('reads rootCAs given as a file path or as PEM content', () => {
    const resolved = resolveServersTransport({ rootCAs: [join(dir, 'ca.pem'), pem] })
    expect(resolved.rootCAs).toEqual([pem, pem])
  })

  it.each([
    { desc: 'a duration that does not parse', input: { forwardingTimeouts: { dialTimeout: 'soon' } }, expected: 'invalid duration "soon"' },
    { desc: 'a rootCAs file that does not exist', input: { rootCAs: ['/nonexistent/ca.pem'] }, expected: 'serversTransport rootCAs: reading /nonexistent/ca.pem' },
  ])('rejects $desc', ({ input, expected }) => {
    let caught: unknown
    try {
      resolveServersTransport(input as ServersTransport)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(JunctionError)
    expect((caught as JunctionError).code).toBe('JCT_ERR_DYNAMIC_CONFIG')
    expect((caught as JunctionError).message).toContain(expected)
  })
})

describe('tlsSettings', () => {
  it.each([
    { desc: 'a DNS server: its name as SNI', input: { transport: defaults, host: 'api.example', ip: false }, expected: { rejectUnauthorized: true, servername: 'api.example' } },
    { desc: 'an IP server: no SNI', input: { transport: defaults, host: '10.0.0.1', ip: true }, expected: { rejectUnauthorized: true, servername: undefined } },
    {
      desc: 'serverName over the URL host',
      input: { transport: { ...defaults, serverName: 'internal', insecureSkipVerify: true }, host: '10.0.0.1', ip: true },
      expected: { rejectUnauthorized: false, servername: 'internal' },
    },
    {
      desc: 'rootCAs and client certificates',
      input: { transport: { ...defaults, rootCAs: [pem], certificates: [{ cert: 'C', key: 'K' }] }, host: 'h', ip: false },
      expected: { rejectUnauthorized: true, servername: 'h', ca: [pem], cert: ['C'], key: ['K'] },
    },
  ])('maps $desc', ({ input, expected }) => {
    expect(tlsSettings(input.transport, input.host, input.ip)).toEqual(expected)
  })
})
