import { X509Certificate } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { httpChallengeKey, tlsAlpnChallengeKey } from '../../src/tls/acme/contracts.ts'
import { httpGet } from '../support/http-get.ts'
import { startJunction, type TestJunction } from '../support/junction.ts'
import { rawRequest } from '../support/raw-http.ts'
import { testAlpnChallengeCertificate, testCertificate } from '../support/tls-certificates.ts'

const site = testCertificate({ cn: 'a.test', san: ['DNS:a.test'] })
const challenge = testAlpnChallengeCertificate('a.test', 'tok.thumb')
const renewedChallenge = testAlpnChallengeCertificate('a.test', 'tok2.thumb')

/** Entry points: `web` serves HTTP-01, `redirecting` too and redirects to HTTPS, `bypass` lets routers take challenges, `other` serves none. */
const entryPoints = ['web', 'redirecting', 'bypass', 'other', 'websecure']

let junction: TestJunction
let upstream: Server
/** Requests the upstream received, by path. */
const hits: string[] = []
const ports: Record<string, number> = {}

beforeAll(async () => {
  upstream = createServer((req, res) => {
    hits.push(req.url ?? '')
    res.end(`upstream ${req.url}`)
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  junction = await startJunction({
    flags: [
      ...entryPoints.map((name) => `--entryPoints.${name}.address=127.0.0.1:0`),
      '--entryPoints.redirecting.http.redirections.entryPoint.to=:8443',
      '--entryPoints.bypass.allowACMEByPass=true',
      '--certificatesResolvers.le.acme.httpChallenge.entryPoint=web',
      '--certificatesResolvers.staging.acme.httpChallenge.entryPoint=redirecting',
      '--certificatesResolvers.bypassing.acme.httpChallenge.entryPoint=bypass',
      '--certificatesResolvers.again.acme.httpChallenge.entryPoint=web',
    ],
  })
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
  await junction.write({
    http: {
      routers: {
        // Outranks every router a user could write: the challenge still comes first.
        everything: { rule: 'PathPrefix(`/`)', priority: Number.MAX_SAFE_INTEGER, service: 'app', entryPoints: ['web', 'other'] },
        // Priority 14, from its rule's length: below the redirection's and the bypassing challenge router's (42).
        catchall: { rule: 'PathPrefix(`/`)', service: 'app', entryPoints: ['redirecting', 'bypass'] },
        // Priority 66: above the bypassing challenge router.
        claims: { rule: 'Host(`claimed.test`) && PathPrefix(`/.well-known/acme-challenge/`)', service: 'app', entryPoints: ['bypass'] },
        secure: { rule: 'Host(`a.test`)', service: 'app', tls: {}, entryPoints: ['websecure', 'web'] },
      },
      services: { app: { loadBalancer: { servers: [{ url }] } } },
    },
    tls: { certificates: [{ certFile: site.cert, keyFile: site.key }] },
  })
  for (const name of entryPoints) ports[name] = Number(new URL(junction.url(name)).port)
  await junction.junction.setValue(httpChallengeKey('tok'), 'tok.thumb')
})

afterAll(async () => {
  await junction?.stop()
  upstream?.close()
})

/** `count` GETs at once, each on its own connection: with two workers, the kernel spreads them over both. */
function many(port: number, path: string, count = 20): Promise<Array<{ status: number; type: string | undefined; body: string }>> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const { status, headers, body } = await httpGet(port, path)
      return { status, type: headers['content-type'], body }
    }),
  )
}

describe('ACME HTTP-01 answers on the challenge entry point, before routing', () => {
  it('answers GET with the published key authorization on whichever worker takes the connection, and no router sees it', async () => {
    const before = hits.length
    const answers = await many(ports['web'] as number, '/.well-known/acme-challenge/tok')
    expect(answers).toEqual(Array(20).fill({ status: 200, type: 'text/plain', body: 'tok.thumb' }))
    expect(hits.length - before).toBe(0)
  })

  it('answers HEAD with the head alone', async () => {
    const response = await rawRequest(ports['web'] as number, 'HEAD /.well-known/acme-challenge/tok HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n')
    expect({ status: response.status, type: response.headers['content-type'], length: response.headers['content-length'], body: response.body }).toEqual({
      status: 200,
      type: 'text/plain',
      length: '9',
      body: '',
    })
  })

  it.each([
    { desc: 'a token nothing was published for', path: '/.well-known/acme-challenge/unknown' },
    { desc: 'the prefix without a token', path: '/.well-known/acme-challenge/' },
    { desc: 'a published token with more path after it', path: '/.well-known/acme-challenge/tok/more' },
    { desc: 'a token that is not base64url, even with a value under its key', path: '/.well-known/acme-challenge/not.base64url' },
  ])('answers 404 to $desc, and does not proxy it', async ({ path }) => {
    await junction.junction.setValue(httpChallengeKey('not.base64url'), 'published anyway')
    const before = hits.length
    const answers = await many(ports['web'] as number, path, 4)
    expect(answers).toEqual(Array(4).fill({ status: 404, type: 'text/plain; charset=utf-8', body: 'Not Found' }))
    expect(hits.length - before).toBe(0)
  })

  it('ignores the query, as Traefik reads the token from the path', async () => {
    expect((await httpGet(ports['web'] as number, '/.well-known/acme-challenge/tok?x=1')).body).toBe('tok.thumb')
  })

  it('answers other methods 405, naming GET and HEAD', async () => {
    const before = hits.length
    const response = await rawRequest(ports['web'] as number, 'POST /.well-known/acme-challenge/tok HTTP/1.1\r\nHost: a.test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
    expect({ status: response.status, allow: response.headers['allow'], error: response.headers['x-junction-error'] }).toEqual({ status: 405, allow: 'GET, HEAD', error: 'JCT_ERR_METHOD_NOT_ALLOWED' })
    expect(hits.length - before).toBe(0)
  })

  it('answers 404 once the value is withdrawn, and again once it is back', async () => {
    await junction.junction.setValue(httpChallengeKey('tok'), undefined)
    expect((await many(ports['web'] as number, '/.well-known/acme-challenge/tok', 6)).map((answer) => answer.status)).toEqual(Array(6).fill(404))
    await junction.junction.setValue(httpChallengeKey('tok'), 'tok.thumb')
    expect((await many(ports['web'] as number, '/.well-known/acme-challenge/tok', 6)).map((answer) => answer.body)).toEqual(Array(6).fill('tok.thumb'))
  })

  it('routes other paths on the challenge entry point as usual', async () => {
    expect(await httpGet(ports['web'] as number, '/.well-known/other')).toMatchObject({ status: 200, body: 'upstream /.well-known/other' })
  })

  it('answers on an entry point that redirects to HTTPS, and redirects the rest', async () => {
    const before = hits.length
    expect(await many(ports['redirecting'] as number, '/.well-known/acme-challenge/tok', 4)).toEqual(Array(4).fill({ status: 200, type: 'text/plain', body: 'tok.thumb' }))
    const other = await httpGet(ports['redirecting'] as number, '/page', { host: 'a.test' })
    expect({ status: other.status, location: other.headers['location'] }).toEqual({ status: 301, location: 'https://a.test:8443/page' })
    expect(hits.length - before).toBe(0)
  })

  it('with allowACMEByPass, a router of higher priority takes the challenge; lower ones still do not', async () => {
    const claimed = await httpGet(ports['bypass'] as number, '/.well-known/acme-challenge/tok', { host: 'claimed.test' })
    expect(claimed).toMatchObject({ status: 200, body: 'upstream /.well-known/acme-challenge/tok' })
    const before = hits.length
    const answered = await httpGet(ports['bypass'] as number, '/.well-known/acme-challenge/tok', { host: 'a.test' })
    expect(answered).toMatchObject({ status: 200, body: 'tok.thumb' })
    expect(hits.length - before).toBe(0)
    expect(await httpGet(ports['bypass'] as number, '/page', { host: 'a.test' })).toMatchObject({ status: 200, body: 'upstream /page' })
  })

  it('an entry point no resolver names routes the challenge path like any other', async () => {
    expect(await httpGet(ports['other'] as number, '/.well-known/acme-challenge/tok')).toMatchObject({ status: 200, body: 'upstream /.well-known/acme-challenge/tok' })
  })
})

interface Handshake {
  readonly fingerprint: string
  readonly alpn: string | false
  /** `closed`: the server ended the connection without a byte from the client; else the status of a request sent on it. */
  readonly then: 'closed' | number
}

/**
 * A TLS connection to an entry point: what the server presented and
 * negotiated, then either waits for the server to close it (a CA sends
 * nothing on a validation connection) or sends a request on it.
 */
function handshake(port: number, servername: string, ALPNProtocols: string[] | undefined, then: 'wait' | 'request' = 'wait'): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false, ...(ALPNProtocols && { ALPNProtocols }) })
    socket.once('error', reject)
    socket.once('secureConnect', () => {
      const presented = { fingerprint: socket.getPeerX509Certificate()?.fingerprint256 ?? '', alpn: socket.alpnProtocol ?? false }
      let received = ''
      socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk))
      socket.once('end', () => {
        socket.destroy()
        resolve({ ...presented, then: then === 'wait' && received === '' ? 'closed' : Number(received.split(' ')[1]) })
      })
      if (then === 'request') socket.write(`GET / HTTP/1.1\r\nHost: ${servername}\r\nConnection: close\r\n\r\n`)
    })
  })
}

const fingerprint = (pem: string): string => new X509Certificate(pem).fingerprint256

describe('ACME TLS-ALPN-01 answers in the handshake, on any entry point', () => {
  beforeAll(async () => {
    await junction.junction.setValue(tlsAlpnChallengeKey('a.test'), JSON.stringify(challenge))
  })

  it.each(['websecure', 'web', 'other'])('presents the challenge certificate with acme-tls/1 on %s, whichever worker takes the connection, then closes', async (entryPoint) => {
    const answers = await Promise.all(Array.from({ length: 16 }, () => handshake(ports[entryPoint] as number, 'A.test', ['acme-tls/1'])))
    expect(answers).toEqual(Array(16).fill({ fingerprint: fingerprint(challenge.cert), alpn: 'acme-tls/1', then: 'closed' }))
  })

  it('refuses the connection for a name nothing was published for', async () => {
    await expect(handshake(ports['websecure'] as number, 'b.test', ['acme-tls/1'])).rejects.toMatchObject({ code: 'ECONNRESET' })
  })

  it.each([
    { desc: 'without ALPN', alpn: undefined, negotiated: false },
    { desc: 'offering http/1.1', alpn: ['http/1.1'], negotiated: 'http/1.1' },
    { desc: 'offering acme-tls/1 among others', alpn: ['acme-tls/1', 'http/1.1'], negotiated: 'http/1.1' },
    { desc: 'offering http/1.1 then acme-tls/1', alpn: ['http/1.1', 'acme-tls/1'], negotiated: 'http/1.1' },
  ])('a client $desc gets the site certificate and HTTP, never acme-tls/1', async ({ alpn, negotiated }) => {
    expect(await handshake(ports['websecure'] as number, 'a.test', alpn, 'request')).toEqual({ fingerprint: fingerprint(site.cert), alpn: negotiated, then: 200 })
  })

  it('a client offering what Traefik offers by default (h2, http/1.1, acme-tls/1) gets the site certificate and h2', async () => {
    const presented = await new Promise<{ fingerprint: string; alpn: string | false }>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: ports['websecure'] as number, servername: 'a.test', rejectUnauthorized: false, ALPNProtocols: ['h2', 'http/1.1', 'acme-tls/1'] })
      socket.once('error', reject)
      socket.once('secureConnect', () => {
        resolve({ fingerprint: socket.getPeerX509Certificate()?.fingerprint256 ?? '', alpn: socket.alpnProtocol ?? false })
        socket.destroy()
      })
    })
    expect(presented).toEqual({ fingerprint: fingerprint(site.cert), alpn: 'h2' })
  })

  it('presents the new certificate once the answer changes, and refuses once it is withdrawn', async () => {
    await junction.junction.setValue(tlsAlpnChallengeKey('a.test'), JSON.stringify(renewedChallenge))
    const answers = await Promise.all(Array.from({ length: 6 }, () => handshake(ports['websecure'] as number, 'a.test', ['acme-tls/1'])))
    expect(answers.map((answer) => answer.fingerprint)).toEqual(Array(6).fill(fingerprint(renewedChallenge.cert)))
    await junction.junction.setValue(tlsAlpnChallengeKey('a.test'), undefined)
    await expect(handshake(ports['websecure'] as number, 'a.test', ['acme-tls/1'])).rejects.toMatchObject({ code: 'ECONNRESET' })
    await junction.junction.setValue(tlsAlpnChallengeKey('a.test'), JSON.stringify(challenge))
  })

  it('refuses the connection when the published answer does not load', async () => {
    await junction.junction.setValue(tlsAlpnChallengeKey('bad.test'), '{"cert":"not a certificate","key":"no"}')
    await expect(handshake(ports['websecure'] as number, 'bad.test', ['acme-tls/1'])).rejects.toMatchObject({ code: 'ECONNRESET' })
  })
})
