import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { Agent, request } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect, type PeerCertificate } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultCommonName } from '../../src/tls/default-certificate.ts'
import { httpGet } from '../support/http-get.ts'
import { startJunction, type TestJunction } from '../support/junction.ts'
import { testCertificate } from '../support/tls-certificates.ts'

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

  it('a new certificate for a name is served to new connections after a reload; a connection opened before keeps working', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false })
    try {
      expect(await https('a.test', '/before', agent)).toEqual({ status: 200, body: '/before proto=https', cn: 'a.test' })
      await writeFile(join(certs, 'a.pem'), aRenewed.cert)
      await writeFile(join(certs, 'a.key'), aRenewed.key)
      // The certificate files are read with the configuration: a configuration change reloads them.
      await junction.write({ ...tlsConfig(), http: { ...(tlsConfig()['http'] as object), middlewares: { touched: { headers: { customRequestHeaders: { x: '1' } } } } } })
      expect(await https('a.test', '/kept', agent)).toEqual({ status: 200, body: '/kept proto=https', cn: 'a.test' })
      const fresh = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: Number(new URL(junction.url()).port), servername: 'a.test', rejectUnauthorized: false }, () => {
          resolve(socket.getPeerCertificate().fingerprint256)
          socket.end()
        })
        socket.on('error', reject)
      })
      const { X509Certificate } = await import('node:crypto')
      expect(fresh).toBe(new X509Certificate(aRenewed.cert).fingerprint256)
    } finally {
      agent.destroy()
      await writeFile(join(certs, 'a.pem'), a.cert)
      await writeFile(join(certs, 'a.key'), a.key)
      await junction.write(tlsConfig())
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

  it('a router that asks for TLS options is not served at all, so one that wants client certificates never runs without them', async () => {
    const config = tlsConfig()
    const http = config['http'] as { routers: Record<string, unknown> }
    http.routers['secure'] = { rule: 'PathPrefix(`/`)', service: 'app', tls: { options: 'mtls' } }
    const live = await junction.write({ ...config, tls: { ...(config['tls'] as object), options: { mtls: { clientAuth: { clientAuthType: 'RequireAndVerifyClientCert' } } } } })
    expect(live.report.routers['secure@file']?.status).toBe('disabled')
    expect(await https('a.test', '/x')).toEqual({ status: 404, body: 'Not Found', cn: 'a.test' })
    await junction.write(tlsConfig())
  })
})
