import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { acmeRouters, startAcmeJunction } from '../support/acme-junction.ts'
import { eventually } from '../support/eventually.ts'
import { describePebble, httpsGet, loopbackSite, pebbleRoot } from '../support/pebble.ts'

describePebble('TLS-ALPN-01 and DNS-01 against Pebble', () => {
  let root: string
  let upstream: Server
  let upstreamUrl: string
  beforeAll(async () => {
    root = await pebbleRoot()
    upstream = createServer((req, res) => res.end(`hello ${req.headers.host}`))
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise((resolve) => upstream.close(resolve)))

  it("issues a certificate through TLS-ALPN-01, answered in the handshake by every worker, and serves it verified against Pebble's root", async () => {
    const site = await loopbackSite()
    const hosts = ['app', 'api', 'www'].map((label) => site.domain(label))
    const junction = await startAcmeJunction({ challenge: 'tls', site, hosts, initial: acmeRouters(upstreamUrl, { app: { rule: hosts.map((host) => `Host(\`${host}\`)`).join(' || ') } }) })
    try {
      const answer = await eventually(async () => {
        const got = await httpsGet(junction.address, junction.httpsPort, hosts[2] as string, root)
        expect(got.authorized).toBe(true)
        return got
      }, { timeout: 20_000, interval: 100 })
      expect(answer.certificate.subjectaltname).toBe(hosts.map((host) => `DNS:${host}`).join(', '))
      expect(answer.certificate.serialNumber).toBe(junction.junction.certificates()[0]?.serialNumber)
      expect([answer.status, answer.body]).toEqual([200, `hello ${hosts[2]}`])
    } finally {
      await junction.stop()
    }
  })

  it("orders a wildcard certificate through pebble-challtestsrv and serves it, verified against Pebble's root", async () => {
    const site = await loopbackSite()
    const zone = site.domain('zone')
    const host = `app.${zone}`
    const junction = await startAcmeJunction({ challenge: 'dns', site, initial: acmeRouters(upstreamUrl, { app: { host, domains: [{ main: `*.${zone}` }] } }) })
    try {
      const [status] = await eventually(() => {
        const held = junction.junction.certificates()
        if (held.length === 0) throw new Error('no certificate yet')
        return held
      }, { timeout: 20_000, interval: 100 })
      expect(status?.domain).toEqual({ main: `*.${zone}`, sans: [] })
      const answer = await eventually(async () => {
        const got = await httpsGet(junction.address, junction.httpsPort, host, root)
        expect(got.authorized).toBe(true)
        return got
      })
      expect(answer.certificate.subjectaltname).toBe(`DNS:*.${zone}`)
      expect(answer.certificate.serialNumber).toBe(status?.serialNumber)
      expect([answer.status, answer.body]).toEqual([200, `hello ${host}`])
    } finally {
      await junction.stop()
    }
  })
})
