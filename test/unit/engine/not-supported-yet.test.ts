import { afterAll, describe, expect, it } from 'vitest'
import { applySnapshots } from '../../../src/engine/apply.ts'
import { buildDependencies, emptyTable } from '../../support/build-deps.ts'

const deps = buildDependencies()
afterAll(() => deps.http.close())

/** Builds one generation from `config` and returns the report entry of one object. */
async function reported(config: Record<string, unknown>, section: string, name: string): Promise<unknown> {
  const { table } = applySnapshots(new Map([['file', { config, problems: [] }]]), emptyTable(), deps)
  await table.dispose()
  const entry = (table.report as unknown as Record<string, Record<string, { status: string; errors: string[] }>>)[section]?.[name]
  return entry === undefined ? undefined : [entry.status, entry.errors]
}

const server = { url: 'http://127.0.0.1:1' }
const balancer = (extra: Record<string, unknown>) => ({ http: { services: { app: { loadBalancer: { servers: [server], ...extra } } } } })
const transport = (extra: Record<string, unknown>) => ({ http: { serversTransports: { st: extra } } })

describe('what Junction accepts but does not honour yet is reported on the object, never dropped silently', () => {
  it.each([
    { desc: 'sticky sessions', config: balancer({ sticky: { cookie: { name: 'lb' } } }), section: 'services', name: 'app@file', message: 'service app@file: loadBalancer.sticky is not supported yet and is ignored' },
    { desc: 'an active health check', config: balancer({ healthCheck: { path: '/health' } }), section: 'services', name: 'app@file', message: 'service app@file: loadBalancer.healthCheck is not supported yet and is ignored' },
    { desc: 'a passive health check', config: balancer({ passiveHealthCheck: { maxFailedAttempts: 3 } }), section: 'services', name: 'app@file', message: 'service app@file: loadBalancer.passiveHealthCheck is not supported yet and is ignored' },
    { desc: 'response forwarding', config: balancer({ responseForwarding: { flushInterval: '1ms' } }), section: 'services', name: 'app@file', message: 'service app@file: loadBalancer.responseForwarding is not supported yet and is ignored' },
    {
      desc: "a router's observability",
      config: { http: { routers: { r: { rule: 'PathPrefix(`/`)', service: 'app', observability: { accessLogs: false } } }, services: { app: { loadBalancer: { servers: [server] } } } } },
      section: 'routers',
      name: 'r@file',
      message: 'router r@file: observability is not supported yet and is ignored',
    },
    ...['cipherSuites', 'minVersion', 'maxVersion', 'peerCertURI', 'peerCertSANs', 'spiffe'].map((option) => ({
      desc: `a servers transport's ${option}`,
      config: transport({ [option]: option === 'spiffe' ? { ids: ['spiffe://a/b'] } : option === 'peerCertSANs' ? [{ type: 'DNSName', value: 'api.internal' }] : option === 'cipherSuites' ? ['TLS_AES_128_GCM_SHA256'] : 'VersionTLS12' }),
      section: 'serversTransports',
      name: 'st@file',
      message: `serversTransport st@file: ${option} is not supported yet and is ignored`,
    })),
  ])('$desc: a warning naming the option', async ({ config, section, name, message }) => {
    expect(await reported(config, section, name)).toEqual(['warning', [message]])
  })

  it.each([
    { desc: 'a TCP router', config: { tcp: { routers: { t: { rule: 'HostSNI(`*`)', service: 's' } } } }, section: 'tcpRouters', name: 't@file', expected: ['disabled', ['tcp router t@file: TCP routing is not supported yet, so it serves no traffic']] },
    { desc: 'a UDP service', config: { udp: { services: { u: { loadBalancer: { servers: [{ address: '127.0.0.1:53' }] } } } } }, section: 'udpServices', name: 'u@file', expected: ['disabled', ['udp service u@file: UDP routing is not supported yet, so it serves no traffic']] },
    {
      desc: 'a router that names TLS options that do not exist: never served without what it asked',
      config: { http: { routers: { r: { rule: 'PathPrefix(`/`)', service: 'app', tls: { options: 'mtls' } } }, ...balancer({}).http } },
      section: 'routers',
      name: 'r@file',
      expected: ['disabled', ['router r@file: tls options mtls@file do not exist or did not load, so this router serves no traffic']],
    },
    {
      desc: 'tls.domains without a certificate resolver: nothing orders them',
      config: { http: { routers: { r: { rule: 'PathPrefix(`/`)', service: 'app', tls: { domains: [{ main: 'a.test' }] } } }, ...balancer({}).http } },
      section: 'routers',
      name: 'r@file',
      expected: ['warning', ['router r@file: tls.domains names what a certificate resolver orders, and this router sets no certResolver: ignored']],
    },
    { desc: 'a store other than default', config: { tls: { stores: { other: {} } } }, section: 'tlsStores', name: 'other@file', expected: ['warning', ['tls store other@file: only the default store is served; this store is ignored']] },
  ])('$desc: its own report entry', async ({ config, section, name, expected }) => {
    expect(await reported(config, section, name)).toEqual(expected)
  })
})
