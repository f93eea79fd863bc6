import { stat, readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createLogger } from '../../src/observability/logger.ts'
import { defaultCommonName } from '../../src/tls/default-certificate.ts'
import { acmeRouters, startAcmeJunction, type AcmeJunction } from '../support/acme-junction.ts'
import { eventually } from '../support/eventually.ts'
import { FakeClock } from '../support/fake-clock.ts'
import { freePort } from '../support/example.ts'
import { describePebble, httpsGet, loopbackSite, pebbleRoot, type HttpsAnswer } from '../support/pebble.ts'

const day = 24 * 60 * 60 * 1000

/** Log lines as JSON objects, to count what the control plane said. */
function recorder(): { logger: ReturnType<typeof createLogger>; messages: () => string[] } {
  const lines: string[] = []
  const logger = createLogger({ level: 'info', format: 'json' }, { write: (line) => lines.push(line) })
  return { logger, messages: () => lines.map((line) => String((JSON.parse(line) as { msg: string }).msg)) }
}

describePebble('certificate resolvers against Pebble (HTTP-01)', () => {
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

  /** The certificate served for `host`, once it verifies against Pebble's root (and its serial, when given, is that one). */
  const served = (junction: AcmeJunction, host: string, serialNumber?: string): Promise<HttpsAnswer> =>
    eventually(
      async () => {
        const answer = await httpsGet(junction.address, junction.httpsPort, host, root)
        expect(answer.authorized).toBe(true)
        if (serialNumber !== undefined) expect(answer.certificate.serialNumber).toBe(serialNumber)
        return answer
      },
      { timeout: 20_000, interval: 100 },
    )

  const held = (junction: AcmeJunction, main: string): string =>
    junction.junction.certificates().find((certificate) => certificate.domain.main === main)?.serialNumber ?? ''

  it("issues a certificate for a router's Host(), answered by every worker, and serves it verified against Pebble's root", async () => {
    const site = await loopbackSite()
    // Several names: Pebble validates each one on its own connection, which any worker may take.
    const hosts = ['app', 'api', 'www'].map((label) => site.domain(label))
    const junction = await startAcmeJunction({
      challenge: 'http',
      site,
      hosts,
      initial: acmeRouters(upstreamUrl, { app: { rule: hosts.map((host) => `Host(\`${host}\`)`).join(' || ') } }),
    })
    try {
      const answer = await served(junction, hosts[1] as string)
      expect(answer.certificate.subjectaltname).toBe(hosts.map((host) => `DNS:${host}`).join(', '))
      expect([answer.status, answer.body]).toEqual([200, `hello ${hosts[1]}`])
      const [status] = junction.junction.certificates()
      expect(status).toMatchObject({ resolver: 'pebble', domain: { main: hosts[0], sans: hosts.slice(1) }, serialNumber: answer.certificate.serialNumber, store: 'default' })
      expect(status?.notAfter.toISOString()).toBe(new Date(answer.certificate.valid_to).toISOString())
      // Traefik's acme.json, readable by Traefik: base64 PEM, lego's key type name, mode 0600.
      const stored = JSON.parse(await readFile(junction.storage, 'utf8')) as Record<string, { Account: Record<string, unknown>; Certificates: Array<Record<string, unknown>> }>
      expect(Object.keys(stored)).toEqual(['pebble'])
      expect(stored['pebble']?.Account).toMatchObject({ Email: 'ops@junction.test', KeyType: 'P256', Registration: { uri: expect.stringContaining('/my-account/') } })
      expect(stored['pebble']?.Certificates).toEqual([
        { domain: { main: hosts[0], sans: hosts.slice(1) }, certificate: expect.any(String), key: expect.any(String), Store: 'default' },
      ])
      expect(Buffer.from(String(stored['pebble']?.Certificates[0]?.['certificate']), 'base64').toString()).toMatch(/^-----BEGIN CERTIFICATE-----/)
      expect((await stat(junction.storage)).mode & 0o777).toBe(0o600)
    } finally {
      await junction.stop()
    }
  })

  it('gives a router added later its certificate without a restart, the default certificate until then', async () => {
    const site = await loopbackSite()
    const [first, later] = [site.domain('first'), site.domain('later')]
    const junction = await startAcmeJunction({ challenge: 'http', site, hosts: [first, later], initial: acmeRouters(upstreamUrl, { first: { host: first } }) })
    try {
      await served(junction, first)
      const before = await httpsGet(junction.address, junction.httpsPort, later, root)
      expect(before.certificate.subject.CN).toBe(defaultCommonName)
      await junction.write(acmeRouters(upstreamUrl, { first: { host: first }, later: { host: later } }))
      const answer = await served(junction, later)
      expect(answer.certificate.subjectaltname).toBe(`DNS:${later}`)
      expect([answer.status, answer.body]).toEqual([200, `hello ${later}`])
      expect(junction.junction.certificates().map((certificate) => certificate.domain.main).sort()).toEqual([first, later].sort())
    } finally {
      await junction.stop()
    }
  })

  it('orders nothing after a restart with the stored certificates, and serves them', async () => {
    const site = await loopbackSite()
    const host = site.domain('app')
    const initial = acmeRouters(upstreamUrl, { app: { host } })
    const first = await startAcmeJunction({ challenge: 'http', site, hosts: [host], initial })
    let serial: string
    try {
      serial = (await served(first, host)).certificate.serialNumber
    } finally {
      await first.junction.stop()
    }
    const log = recorder()
    const again = await startAcmeJunction({ challenge: 'http', site, dir: first.dir, initial, logger: log.logger })
    try {
      await served(again, host, serial)
      expect(held(again, host)).toBe(serial)
      expect(log.messages().filter((message) => message.includes('certificate resolver'))).toEqual([])
    } finally {
      await again.stop()
    }
  })

  it('renews a certificate within the window before expiry (a fake clock) and serves the new one', async () => {
    const site = await loopbackSite()
    const host = site.domain('app')
    const clock = new FakeClock()
    const log = recorder()
    const junction = await startAcmeJunction({ challenge: 'http', site, hosts: [host], initial: acmeRouters(upstreamUrl, { app: { host } }), clock, logger: log.logger })
    try {
      const first = await served(junction, host)
      const notAfter = new Date(first.certificate.valid_to).getTime()
      // 90-day certificates (the default certificatesDuration) renew 30 days before expiry, checked daily: 29 days before, the next check renews.
      clock.advance(notAfter - clock.now() - 31 * day)
      clock.advance(day)
      expect(held(junction, host)).toBe(first.certificate.serialNumber)
      clock.advance(day)
      const renewed = await eventually(async () => {
        const answer = await served(junction, host)
        expect(answer.certificate.serialNumber).not.toBe(first.certificate.serialNumber)
        return answer
      }, { timeout: 20_000 })
      expect(held(junction, host)).toBe(renewed.certificate.serialNumber)
      expect(log.messages().filter((message) => message.startsWith('certificate resolver pebble: renewing'))).toEqual([`certificate resolver pebble: renewing a certificate for ${host}`])
    } finally {
      await junction.stop()
    }
  })

  it('serves the default certificate while the CA is unreachable, says why on the router, and keeps serving', async () => {
    const site = await loopbackSite()
    const host = site.domain('app')
    const log = recorder()
    const junction = await startAcmeJunction({
      challenge: 'http',
      site,
      hosts: [host],
      caServer: `https://127.0.0.1:${await freePort()}/dir`,
      initial: acmeRouters(upstreamUrl, { app: { host } }),
      logger: log.logger,
    })
    try {
      const report = await eventually(() => {
        const errors = junction.junction.live.report.routers['app@file']?.errors ?? []
        expect(errors).toHaveLength(1)
        return errors
      })
      expect(report[0]).toMatch(new RegExp(`^router app@file: certificate resolver pebble: ordering a certificate for ${host.replaceAll('.', '\\.')} failed \\(GET https://127\\.0\\.0\\.1:\\d+/dir: .*ECONNREFUSED.*\\); next attempt at \\S+, until then it is served with the default store's certificates$`))
      const answer = await httpsGet(junction.address, junction.httpsPort, host, root)
      expect([answer.authorized, answer.certificate.subject.CN, answer.status, answer.body]).toEqual([false, defaultCommonName, 200, `hello ${host}`])
      expect(log.messages().filter((message) => message.includes('failed'))).toHaveLength(1)
    } finally {
      await junction.stop()
    }
  })

  it('keeps serving the stored certificate when its renewal cannot reach the CA', async () => {
    const site = await loopbackSite()
    const host = site.domain('app')
    const initial = acmeRouters(upstreamUrl, { app: { host } })
    const first = await startAcmeJunction({ challenge: 'http', site, hosts: [host], initial })
    let answer: HttpsAnswer
    try {
      answer = await served(first, host)
    } finally {
      await first.junction.stop()
    }
    const clock = new FakeClock()
    clock.advance(new Date(answer.certificate.valid_to).getTime() - clock.now() - 10 * day)
    const again = await startAcmeJunction({ challenge: 'http', site, dir: first.dir, initial, clock, caServer: `https://127.0.0.1:${await freePort()}/dir` })
    try {
      await eventually(() => expect(again.junction.live.report.routers['app@file']?.errors[0]).toContain('failed'))
      const now = await httpsGet(again.address, again.httpsPort, host, root)
      expect([now.authorized, now.certificate.serialNumber]).toEqual([true, answer.certificate.serialNumber])
    } finally {
      await again.stop()
    }
  })

  it('stops at once with an order waiting on a CA that never answers: the request is cut', async () => {
    const sockets: Socket[] = []
    const closed: Promise<void>[] = []
    const silent = createTcpServer((socket) => {
      // Read and drop the ClientHello, so that the client closing is seen; never write.
      socket.resume()
      sockets.push(socket)
      closed.push(new Promise((resolve) => socket.on('close', () => resolve())))
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const site = await loopbackSite()
      const host = site.domain('app')
      const junction = await startAcmeJunction({ challenge: 'http', site, caServer: `https://127.0.0.1:${(silent.address() as AddressInfo).port}/dir`, initial: acmeRouters(upstreamUrl, { app: { host } }) })
      await eventually(() => expect(sockets).toHaveLength(1))
      await junction.stop()
      // Closed by Junction, not by a timeout: the CA never wrote a byte, and the server never ends a socket.
      await Promise.all(closed)
      expect(sockets.map((socket) => socket.bytesWritten)).toEqual([0])
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  })
})
