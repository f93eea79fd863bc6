import { X509Certificate } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http'
import { Agent, request } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect, type PeerCertificate } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultCommonName } from '../../src/tls/default-certificate.ts'
import { eventually } from '../support/eventually.ts'
import { httpGet } from '../support/http-get.ts'
import { startJunction, type TestJunction } from '../support/junction.ts'
import { testCertificate, testClientCertificate, type TestCertificate } from '../support/tls-certificates.ts'

const a = testCertificate({ cn: 'a.test', san: ['DNS:a.test'] })
const aRenewed = testCertificate({ cn: 'a.test', san: ['DNS:a.test'], variant: 'renewed' })
const wildcard = testCertificate({ cn: 'b.test', san: ['DNS:*.b.test'] })
const store = testCertificate({ cn: 'store default', san: ['DNS:default.test'] })

let junction: TestJunction
let upstream: Server
let certs: string

interface Answer {
  readonly status: number
  readonly body: string
  /** The CN of the certificate the server presented. */
  readonly cn: string
}

/** One HTTPS request on a fresh connection, trusting any certificate: the test looks at which one came. */
function https(servername: string | undefined, path = '/', agent: Agent | false = false): Promise<Answer> {
  const port = new URL(junction.url()).port
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, rejectUnauthorized: false, ...(servername !== undefined && { servername, headers: { host: servername } }) }, (res) => {
      const cn = String((res.socket as unknown as { getPeerCertificate(): PeerCertificate }).getPeerCertificate().subject.CN)
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, cn }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** The SHA-256 fingerprint of the certificate a fresh connection for `servername` is given. */
function served(servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(new URL(junction.url()).port), servername, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().fingerprint256)
      socket.end()
    })
    socket.on('error', reject)
  })
}

function tlsConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
  return {
    http: {
      routers: {
        secure: { rule: 'PathPrefix(`/`)', service: 'app', tls: {} },
        plain: { rule: 'PathPrefix(`/plain`)', service: 'app' },
      },
      services: { app: { loadBalancer: { servers: [{ url }] } } },
    },
    tls: { certificates: [{ certFile: join(certs, 'a.pem'), keyFile: join(certs, 'a.key') }, { certFile: wildcard.cert, keyFile: wildcard.key }] },
    ...extra,
  }
}

beforeAll(async () => {
  certs = await mkdtemp(join(tmpdir(), 'junction-tls-certs-'))
  await writeFile(join(certs, 'a.pem'), a.cert)
  await writeFile(join(certs, 'a.key'), a.key)
  upstream = createServer((req, res) => res.end(`${req.url} proto=${req.headers['x-forwarded-proto']}`))
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  junction = await startJunction()
  await junction.write(tlsConfig())
})

afterAll(async () => {
  await junction.stop()
  upstream.close()
  await rm(certs, { recursive: true, force: true })
})

describe('TLS on an entry point', () => {
  it.each([
    { desc: 'an exact name gets its certificate (read from a file)', servername: 'a.test', cn: 'a.test' },
    { desc: 'a name under a wildcard gets the wildcard certificate (inline PEM)', servername: 'x.b.test', cn: 'b.test' },
    { desc: 'a wildcard covers one label only: the default certificate', servername: 'y.x.b.test', cn: defaultCommonName },
    { desc: 'an unknown name gets the default certificate, never another site\'s', servername: 'unknown.test', cn: defaultCommonName },
    { desc: 'no SNI at all gets the default certificate', servername: undefined, cn: defaultCommonName },
  ])('$desc', async ({ servername, cn }) => {
    expect(await https(servername, '/x')).toEqual({ status: 200, body: '/x proto=https', cn })
  })

  it('serves routers with tls on TLS connections only, and the others on plain ones only', async () => {
    expect(await https('a.test', '/plain')).toEqual({ status: 200, body: '/plain proto=https', cn: 'a.test' })
    const port = Number(new URL(junction.url()).port)
    expect((await httpGet(port, '/plain')).body).toBe('/plain proto=http')
    expect((await httpGet(port, '/other')).status).toBe(404)
  })

  it('verifies against the certificate itself: a client that trusts it completes the handshake for its name', async () => {
    const port = Number(new URL(junction.url()).port)
    const subject = await new Promise<string | undefined>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, servername: 'a.test', ca: a.cert }, () => {
        resolve(String(socket.getPeerCertificate().subject.CN))
        socket.end()
      })
      socket.on('error', reject)
    })
    expect(subject).toBe('a.test')
  })

  it('a certificate renewed on disk is served to new connections without a configuration change; a connection opened before keeps working', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false })
    const fingerprint = (cert: string): string => new X509Certificate(cert).fingerprint256
    try {
      expect(await https('a.test', '/before', agent)).toEqual({ status: 200, body: '/before proto=https', cn: 'a.test' })
      const before = junction.junction.live.generation
      await writeFile(join(certs, 'a.pem'), aRenewed.cert)
      await writeFile(join(certs, 'a.key'), aRenewed.key)
      await eventually(async () => expect(await served('a.test')).toBe(fingerprint(aRenewed.cert)))
      expect(junction.junction.live.generation).toBeGreaterThan(before)
      expect(await https('a.test', '/kept', agent)).toEqual({ status: 200, body: '/kept proto=https', cn: 'a.test' })
    } finally {
      agent.destroy()
      await writeFile(join(certs, 'a.pem'), a.cert)
      await writeFile(join(certs, 'a.key'), a.key)
      await eventually(async () => expect(await served('a.test')).toBe(fingerprint(a.cert)))
    }
  })

  it('a certificate file that appears later is served once it is there, and its absence meanwhile is reported', async () => {
    const late = join(certs, 'late.pem')
    const config = tlsConfig({ tls: { certificates: [{ certFile: late, keyFile: join(certs, 'a.key') }, { certFile: wildcard.cert, keyFile: wildcard.key }] } })
    try {
      const live = await junction.write(config)
      expect(live.report.tlsCertificates[late]?.status).toBe('disabled')
      expect((await https('a.test')).cn).toBe(defaultCommonName)
      await writeFile(late, a.cert)
      await eventually(async () => expect(await served('a.test')).toBe(new X509Certificate(a.cert).fingerprint256))
      expect(junction.junction.live.report.tlsCertificates[late]?.status).toBe('enabled')
    } finally {
      // The configuration first: once it no longer names the file, removing it changes nothing served.
      await junction.write(tlsConfig())
      await rm(late, { force: true })
    }
  })

  it('a certificate that cannot be used disables it alone, named, and the others keep serving', async () => {
    const live = await junction.write(tlsConfig({ tls: { certificates: [{ certFile: join(certs, 'missing.pem'), keyFile: join(certs, 'a.key') }, { certFile: wildcard.cert, keyFile: wildcard.key }] } }))
    expect(live.report.tlsCertificates[join(certs, 'missing.pem')]).toEqual({
      provider: '',
      status: 'disabled',
      errors: [`tls certificate ${join(certs, 'missing.pem')}: ENOENT: no such file or directory, open '${join(certs, 'missing.pem')}'`],
    })
    expect(await https('x.b.test', '/w')).toEqual({ status: 200, body: '/w proto=https', cn: 'b.test' })
    expect(await https('a.test', '/a')).toEqual({ status: 200, body: '/a proto=https', cn: defaultCommonName })
    await junction.write(tlsConfig())
  })

  it('the default store\'s defaultCertificate answers unknown names instead of the generated one', async () => {
    await junction.write(tlsConfig({ tls: { certificates: [], stores: { default: { defaultCertificate: { certFile: store.cert, keyFile: store.key } } } } }))
    expect(await https('unknown.test', '/d')).toEqual({ status: 200, body: '/d proto=https', cn: 'store default' })
    await junction.write(tlsConfig())
  })

})

/** Whether a TLS connection with these settings gets an answer, and which. */
async function attempt(o: { servername?: string; host?: string; cert?: TestCertificate; maxVersion?: 'TLSv1.2' | 'TLSv1.3' }): Promise<number | 'refused'> {
  const port = new URL(junction.url()).port
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        agent: false,
        rejectUnauthorized: false,
        ...(o.servername !== undefined && { servername: o.servername }),
        headers: { host: o.host ?? o.servername ?? 'none.test' },
        ...(o.cert && { cert: o.cert.cert, key: o.cert.key }),
        ...(o.maxVersion && { maxVersion: o.maxVersion }),
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    // A refused handshake or client certificate: the server closes the connection (or alerts).
    req.on('error', () => resolve('refused'))
    req.end()
  })
}

describe('TLS options', () => {
  const authTypes = ['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'] as const
  const trusted = testClientCertificate()
  const stranger = testClientCertificate('stranger')

  beforeAll(async () => {
    await writeFile(join(certs, 'ca.pem'), trusted.ca.cert)
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
    const routers: Record<string, unknown> = {}
    const options: Record<string, unknown> = {}
    for (const type of authTypes) {
      routers[type] = { rule: `Host(\`${type.toLowerCase()}.test\`)`, service: 'app', tls: { options: type } }
      options[type] = { clientAuth: { clientAuthType: type, caFiles: [join(certs, 'ca.pem')] } }
    }
    routers['modern'] = { rule: 'Host(`modern.test`)', service: 'app', tls: { options: 'modern' } }
    options['modern'] = { minVersion: 'VersionTLS13' }
    routers['broken'] = { rule: 'Host(`broken.test`)', service: 'app', tls: { options: 'broken' } }
    options['broken'] = { clientAuth: { clientAuthType: 'RequireAndVerifyClientCert', caFiles: [join(certs, 'no-such-ca.pem')] } }
    // Two routers, one host, different options: the host gets default, with a warning on both.
    routers['torn-a'] = { rule: 'Host(`torn.test`) && Path(`/a`)', service: 'app', tls: { options: 'RequireAndVerifyClientCert' } }
    routers['torn-b'] = { rule: 'Host(`torn.test`) && Path(`/b`)', service: 'app', tls: {} }
    routers['open'] = { rule: 'Host(`open.test`)', service: 'app', tls: {} }
    const live = await junction.write({ http: { routers, services: { app: { loadBalancer: { servers: [{ url }] } } } }, tls: { options } })
    report = live.report
  })

  let report: Awaited<ReturnType<TestJunction['write']>>['report']

  afterAll(async () => {
    await junction.write(tlsConfig())
  })

  it.each(
    authTypes.flatMap((type) => [
      { type, client: 'no certificate', cert: undefined, expected: ['NoClientCert', 'RequestClientCert', 'VerifyClientCertIfGiven'].includes(type) ? 200 : 'refused' },
      { type, client: 'a certificate from another CA', cert: 'stranger' as const, expected: ['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert'].includes(type) ? 200 : 'refused' },
      { type, client: 'a certificate from the CA', cert: 'trusted' as const, expected: 200 },
    ]),
  )('clientAuthType $type, $client: $expected', async ({ type, cert, expected }) => {
    const certificate = cert === undefined ? undefined : (cert === 'trusted' ? trusted : stranger).client
    expect(await attempt({ servername: `${type.toLowerCase()}.test`, ...(certificate && { cert: certificate }) })).toBe(expected)
  })

  it('answers 421 to a request whose Host needs other TLS options than its connection got by SNI', async () => {
    expect(await attempt({ servername: 'open.test', host: 'requireandverifyclientcert.test' })).toBe(421)
    expect(await attempt({ servername: 'requireandverifyclientcert.test', host: 'open.test', cert: trusted.client })).toBe(421)
    expect(await attempt({ servername: 'open.test', host: 'open.test' })).toBe(200)
  })

  it('minVersion refuses older clients for the hosts that ask it, and only there', async () => {
    expect(await attempt({ servername: 'modern.test', maxVersion: 'TLSv1.2' })).toBe('refused')
    expect(await attempt({ servername: 'modern.test', maxVersion: 'TLSv1.3' })).toBe(200)
    expect(await attempt({ servername: 'open.test', maxVersion: 'TLSv1.2' })).toBe(200)
  })

  it('options that do not load disable the routers that use them, named, and nothing else', async () => {
    expect(report.tlsOptions['broken@file']).toEqual({
      provider: 'file',
      status: 'disabled',
      errors: [`tls options broken@file: clientAuth.caFiles: ENOENT: no such file or directory, open '${join(certs, 'no-such-ca.pem')}'`],
    })
    expect(report.routers['broken@file']?.errors).toEqual(['router broken@file: tls options broken@file do not exist or did not load, so this router serves no traffic'])
    expect(await attempt({ servername: 'broken.test' })).toBe(404)
    expect(await attempt({ servername: 'open.test' })).toBe(200)
  })

  it('two routers asking different options for one host: default for the host, a warning on both, and the one that wanted client certificates answers 421', async () => {
    const warning = 'routers ask different tls options for host torn.test on entry point web: torn-a@file (RequireAndVerifyClientCert@file); torn-b@file (default); default is used for it'
    expect(report.routers['torn-a@file']).toMatchObject({ status: 'warning', errors: [`router torn-a@file: ${warning}`] })
    expect(report.routers['torn-b@file']).toMatchObject({ status: 'warning', errors: [`router torn-b@file: ${warning}`] })
    expect(await attempt({ servername: 'torn.test', host: 'torn.test' })).toBe(404)
    const port = new URL(junction.url()).port
    const status = (path: string, cert?: TestCertificate) =>
      new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path, agent: false, rejectUnauthorized: false, servername: 'torn.test', headers: { host: 'torn.test' }, ...(cert && { cert: cert.cert, key: cert.key }) }, (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode ?? 0))
        })
          .on('error', reject)
          .end()
      })
    expect(await status('/b')).toBe(200)
    expect(await status('/a', trusted.client)).toBe(421)
  })
})

describe('sniStrict on the default options', () => {
  afterAll(async () => {
    await junction.write(tlsConfig())
  })

  it('refuses a connection without SNI or for a name no certificate has; serves the names it has', async () => {
    const live = await junction.write(tlsConfig({ tls: { certificates: [{ certFile: wildcard.cert, keyFile: wildcard.key }], options: { default: { sniStrict: true } } } }))
    expect(live.report.tlsOptions).toEqual({ default: { provider: '', status: 'enabled', errors: [] } })
    expect(await attempt({})).toBe('refused')
    expect(await attempt({ servername: 'unknown.test' })).toBe('refused')
    expect(await attempt({ servername: 'x.b.test' })).toBe(200)
  })
})


describe("an entry point's http.tls", () => {
  let two: TestJunction

  beforeAll(async () => {
    two = await startJunction({
      flags: ['--entryPoints.web.address=127.0.0.1:0', '--entryPoints.websecure.address=127.0.0.1:0', '--entryPoints.websecure.http.tls=true', '--entryPoints.mutual.address=127.0.0.1:0', '--entryPoints.mutual.http.tls.options=mtls'],
    })
  })

  afterAll(async () => {
    await two.stop()
  })

  it('gives its tls to every router on it that sets none, entry point by entry point', async () => {
    const trusted = testClientCertificate()
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
    const live = await two.write({
      http: { routers: { site: { rule: 'Host(`site.test`)', service: 'app' } }, services: { app: { loadBalancer: { servers: [{ url }] } } } },
      tls: { options: { mtls: { clientAuth: { clientAuthType: 'RequireAndVerifyClientCert', caFiles: [trusted.ca.cert] } } } },
    })
    expect(live.report.routers['site@file']).toMatchObject({ status: 'enabled', errors: [] })
    const on = (entryPoint: string) => Number(new URL(two.url(entryPoint)).port)
    const get = (entryPoint: string, secure: boolean, cert?: TestCertificate) =>
      new Promise<number | 'refused'>((resolve) => {
        const options = { host: '127.0.0.1', port: on(entryPoint), path: '/', agent: false as const, headers: { host: 'site.test' } }
        const done = (res: IncomingMessage) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode ?? 0))
        }
        const req = secure ? request({ ...options, servername: 'site.test', rejectUnauthorized: false, ...(cert && { cert: cert.cert, key: cert.key }) }, done) : httpRequest(options, done)
        req.on('error', () => resolve('refused'))
        req.end()
      })
    expect(await get('web', false)).toBe(200)
    expect(await get('web', true)).toBe(404)
    expect(await get('websecure', true)).toBe(200)
    expect(await get('websecure', false)).toBe(404)
    expect(await get('mutual', true)).toBe('refused')
    expect(await get('mutual', true, trusted.client)).toBe(200)
  })
})
