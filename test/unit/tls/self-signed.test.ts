import { X509Certificate, createHash, createPrivateKey } from 'node:crypto'
import type { AddressInfo, Socket } from 'node:net'
import * as tls from 'node:tls'
import { describe, expect, it } from 'vitest'
import { JunctionError } from '../../../src/errors.ts'
import { bitString, boolean, encodeLength, explicit, implicit, integer, nul, objectIdentifier, octetString, sequence, setOf, time, utf8String } from '../../../src/tls/der.ts'
import { generateSelfSigned, type KeyPair, type SelfSignedOptions } from '../../../src/tls/self-signed.ts'

const hex = (buffer: Uint8Array): string => Buffer.from(buffer).toString('hex')
const dayMs = 86_400_000

describe('der', () => {
  it.each([
    { desc: 'length 0', length: 0, expected: '00' },
    { desc: 'length 127 (short form)', length: 127, expected: '7f' },
    { desc: 'length 128 (long form, one octet)', length: 128, expected: '8180' },
    { desc: 'length 255', length: 255, expected: '81ff' },
    { desc: 'length 256 (long form, two octets)', length: 256, expected: '820100' },
    { desc: 'length 65536', length: 65536, expected: '83010000' },
  ])('encodes $desc', ({ length, expected }) => {
    expect(hex(encodeLength(length))).toBe(expected)
  })

  it.each([
    { desc: '127 content octets with a short length', length: 127, head: '047f' },
    { desc: '128 content octets with a long length', length: 128, head: '048180' },
    { desc: '256 content octets with a two-octet length', length: 256, head: '04820100' },
  ])('wraps $desc', ({ length, head }) => {
    const encoded = octetString(Buffer.alloc(length, 0xab))
    expect(hex(encoded.subarray(0, head.length / 2))).toBe(head)
    expect(encoded.length).toBe(head.length / 2 + length)
  })

  it.each([
    { desc: 'zero', value: 0, expected: '020100' },
    { desc: 'the v3 version number', value: 2, expected: '020102' },
    { desc: '127', value: 127, expected: '02017f' },
    { desc: '0x80, with a leading zero', value: 0x80, expected: '02020080' },
    { desc: '256', value: 256, expected: '02020100' },
    { desc: 'octets 80', value: Buffer.from([0x80]), expected: '02020080' },
    { desc: 'octets with leading zeros, made minimal', value: Buffer.from([0, 0, 0x01, 0x02]), expected: '02020102' },
    { desc: 'octets with leading zeros before a high bit', value: Buffer.from([0, 0, 0xff]), expected: '020200ff' },
    { desc: 'all-zero octets', value: Buffer.from([0, 0]), expected: '020100' },
    { desc: 'no octets', value: Buffer.alloc(0), expected: '020100' },
  ])('encodes INTEGER $desc', ({ value, expected }) => {
    expect(hex(integer(value))).toBe(expected)
  })

  it.each([
    { desc: 'ecdsa-with-SHA256', dotted: '1.2.840.10045.4.3.2', expected: '06082a8648ce3d040302' },
    { desc: 'commonName', dotted: '2.5.4.3', expected: '0603550403' },
    { desc: 'serverAuth', dotted: '1.3.6.1.5.5.7.3.1', expected: '06082b06010505070301' },
    { desc: 'a first arc of 2 with a large second arc', dotted: '2.999.3', expected: '0603883703' },
    { desc: 'an arc beyond 32 bits', dotted: '1.2.4294967296', expected: '06062a9080808000' },
  ])('encodes OBJECT IDENTIFIER $desc', ({ dotted, expected }) => {
    expect(hex(objectIdentifier(dotted))).toBe(expected)
  })

  it.each(['1', '3.1', '1.40', '1.2.x', '1..2', '1.02'])('rejects OBJECT IDENTIFIER %j', (dotted) => {
    expect(() => objectIdentifier(dotted)).toThrow(RangeError)
  })

  it.each([
    { desc: 'the last UTCTime second', date: '2049-12-31T23:59:59.999Z', expected: `170d${hex(Buffer.from('491231235959Z'))}` },
    { desc: 'the first GeneralizedTime second', date: '2050-01-01T00:00:00Z', expected: `180f${hex(Buffer.from('20500101000000Z'))}` },
    { desc: 'the first UTCTime year', date: '1950-06-15T08:09:10Z', expected: `170d${hex(Buffer.from('500615080910Z'))}` },
    { desc: 'a year before 1950', date: '1949-12-31T23:59:59Z', expected: `180f${hex(Buffer.from('19491231235959Z'))}` },
  ])('encodes $desc', ({ date, expected }) => {
    expect(hex(time(new Date(date)))).toBe(expected)
  })

  it('encodes the remaining types exactly', () => {
    expect(hex(boolean(true))).toBe('0101ff')
    expect(hex(boolean(false))).toBe('010100')
    expect(hex(nul())).toBe('0500')
    expect(hex(bitString(Buffer.from([0x80]), 7))).toBe('03020780')
    expect(hex(bitString(Buffer.from([0x01, 0x02])))).toBe('0303000102')
    expect(hex(utf8String('é'))).toBe('0c02c3a9')
    expect(hex(sequence())).toBe('3000')
    expect(hex(sequence(nul(), boolean(true)))).toBe('300505000101ff')
    expect(hex(setOf(integer(2), integer(1)))).toBe('3106020101020102')
    expect(hex(explicit(0, integer(2)))).toBe('a003020102')
    expect(hex(explicit(3, sequence()))).toBe('a3023000')
    expect(hex(implicit(2, Buffer.from('a.test')))).toBe(`8206${hex(Buffer.from('a.test'))}`)
  })
})

describe('generateSelfSigned', () => {
  const notBefore = new Date('2026-03-04T05:06:07.890Z')
  const second = Date.parse('2026-03-04T05:06:07Z')

  it.each([
    { desc: 'two DNS names', options: { commonName: 'a.test', dnsNames: ['a.test', 'b.test'], notBefore, days: 30 }, san: 'DNS:a.test, DNS:b.test', days: 30 },
    { desc: 'no DNS names', options: { commonName: 'JUNCTION DEFAULT CERT', dnsNames: [], notBefore }, san: undefined, days: 365 },
    { desc: 'DNS names left out', options: { commonName: 'JUNCTION DEFAULT CERT', notBefore, days: 1 }, san: undefined, days: 1 },
    { desc: 'a wildcard name', options: { commonName: 'w', dnsNames: ['*.w.test'], notBefore, days: 3650 }, san: 'DNS:*.w.test', days: 3650 },
    { desc: 'a 64-character non-ASCII name', options: { commonName: 'é'.repeat(64), notBefore }, san: undefined, days: 365 },
  ])('makes a valid certificate with $desc', ({ options, san, days }) => {
    const { cert, key } = generateSelfSigned(options)
    expect(cert).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/)
    expect(key).toMatch(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/)
    const x509 = new X509Certificate(cert)
    expect(x509.subject).toBe(`CN=${options.commonName}`)
    expect(x509.issuer).toBe(`CN=${options.commonName}`)
    expect(x509.subjectAltName).toBe(san)
    expect(x509.ca).toBe(false)
    expect(x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1'])
    expect(x509.validFromDate.getTime()).toBe(second)
    expect(x509.validToDate.getTime()).toBe(second + days * dayMs)
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true)
    expect(x509.verify(x509.publicKey)).toBe(true)
    expect(x509.publicKey.asymmetricKeyType).toBe('ec')
    expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1')
    expect(x509.serialNumber).toMatch(/^[0-9A-F]{1,40}$/)
    // Positive, and 16 octets: the top bit cleared, the next one set.
    expect(x509.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/)
  })

  it('writes the extensions as RFC 5280 spells them', () => {
    const x509 = new X509Certificate(generateSelfSigned({ commonName: 'a.test', dnsNames: ['a.test'] }).cert)
    const raw = hex(x509.raw)
    expect(raw).toContain('300c0603551d130101ff04023000') // basicConstraints, critical, CA:FALSE
    expect(raw).toContain('300e0603551d0f0101ff040403020780') // keyUsage, critical, digitalSignature
    expect(raw).toContain('30130603551d25040c300a06082b06010505070301') // extKeyUsage serverAuth, not critical
    const { x = '', y = '' } = x509.publicKey.export({ format: 'jwk' })
    const ski = createHash('sha1').update(Buffer.concat([Buffer.from([4]), Buffer.from(x, 'base64url'), Buffer.from(y, 'base64url')])).digest('hex')
    expect(raw).toContain(`301d0603551d0e04160414${ski}`) // subjectKeyIdentifier, SHA-1 of the key's point
    expect(raw).toContain('a003020102') // v3
  })

  it('defaults notBefore to an hour ago and the validity to 365 days', () => {
    const before = Math.floor((Date.now() - 3_600_000) / 1000) * 1000
    const x509 = new X509Certificate(generateSelfSigned({ commonName: 'JUNCTION DEFAULT CERT' }).cert)
    const after = Date.now() - 3_600_000
    expect(x509.validFromDate.getTime()).toBeGreaterThanOrEqual(before)
    expect(x509.validFromDate.getTime()).toBeLessThanOrEqual(after)
    expect(x509.validToDate.getTime() - x509.validFromDate.getTime()).toBe(365 * dayMs)
  })

  it('gives each call its own serial and key', () => {
    const first = generateSelfSigned({ commonName: 'a' })
    const other = generateSelfSigned({ commonName: 'a' })
    expect(new X509Certificate(first.cert).serialNumber).not.toBe(new X509Certificate(other.cert).serialNumber)
    expect(first.key).not.toBe(other.key)
    expect(new X509Certificate(first.cert).publicKey.equals(new X509Certificate(other.cert).publicKey)).toBe(false)
  })

  it.each([
    { desc: 'UTCTime to GeneralizedTime', from: '2049-12-01T00:00:00Z', days: 60, to: '2050-01-30T00:00:00Z', times: ['170d' + hex(Buffer.from('491201000000Z')), '180f' + hex(Buffer.from('20500130000000Z'))] },
    { desc: 'GeneralizedTime on both ends', from: '2050-01-01T00:00:00Z', days: 1, to: '2050-01-02T00:00:00Z', times: ['180f' + hex(Buffer.from('20500101000000Z')), '180f' + hex(Buffer.from('20500102000000Z'))] },
  ])('writes validity from $desc', ({ from, days, to, times }) => {
    const x509 = new X509Certificate(generateSelfSigned({ commonName: 'late', notBefore: new Date(from), days }).cert)
    expect(x509.validFromDate.toISOString()).toBe(new Date(from).toISOString())
    expect(x509.validToDate.toISOString()).toBe(new Date(to).toISOString())
    expect(hex(x509.raw)).toContain(`30${(times[0]!.length / 2 + times[1]!.length / 2).toString(16).padStart(2, '0')}${times[0]}${times[1]}`)
  })

  it.each([
    { desc: 'an empty commonName', options: { commonName: '' }, problem: 'commonName is empty' },
    { desc: 'a 65-character commonName', options: { commonName: 'x'.repeat(65) }, problem: 'commonName has 65 characters, more than 64' },
    { desc: 'zero days', options: { commonName: 'a', days: 0 }, problem: 'days must be an integer from 1 to 3650, got 0' },
    { desc: 'negative days', options: { commonName: 'a', days: -1 }, problem: 'days must be an integer from 1 to 3650, got -1' },
    { desc: 'fractional days', options: { commonName: 'a', days: 1.5 }, problem: 'days must be an integer from 1 to 3650, got 1.5' },
    { desc: 'too many days', options: { commonName: 'a', days: 3651 }, problem: 'days must be an integer from 1 to 3650, got 3651' },
    { desc: 'NaN days', options: { commonName: 'a', days: Number.NaN }, problem: 'days must be an integer from 1 to 3650, got NaN' },
    { desc: 'an empty DNS name', options: { commonName: 'a', dnsNames: ['a.test', ''] }, problem: 'DNS name "" is not 1 to 253 printable ASCII characters' },
    { desc: 'a DNS name with a space', options: { commonName: 'a', dnsNames: ['a test'] }, problem: 'DNS name "a test" is not 1 to 253 printable ASCII characters' },
    { desc: 'a non-ASCII DNS name', options: { commonName: 'a', dnsNames: ['ü.test'] }, problem: 'DNS name "ü.test" is not 1 to 253 printable ASCII characters' },
    { desc: 'an invalid notBefore', options: { commonName: 'a', notBefore: new Date(Number.NaN) }, problem: 'notBefore is not a valid date' },
    { desc: 'a validity past 9999', options: { commonName: 'a', notBefore: new Date('9999-12-31T00:00:00Z'), days: 2 }, problem: 'the validity must lie within the years 0000 to 9999' },
  ] satisfies Array<{ desc: string; options: SelfSignedOptions; problem: string }>)('rejects $desc', ({ options, problem }) => {
    let error: unknown
    try {
      generateSelfSigned(options)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(JunctionError)
    expect((error as JunctionError).code).toBe('JCT_ERR_STATIC_CONFIG')
    expect((error as JunctionError).message).toBe(`generating a self-signed certificate: ${problem}`)
  })
})

describe('a TLS handshake with a self-signed certificate', () => {
  const pair = generateSelfSigned({ commonName: 'JUNCTION TEST CERT', dnsNames: ['a.test', 'b.test'] })

  /** Serves `pair` on 127.0.0.1, connects once trusting it, and closes everything before returning. */
  async function handshake(keyPair: KeyPair, servername: string): Promise<{ commonName?: string | string[] | undefined; code?: string }> {
    const server = tls.createServer({ cert: keyPair.cert, key: keyPair.key })
    const connections = new Set<Socket>()
    server.on('connection', (socket: Socket) => connections.add(socket))
    // A client that rejects the certificate aborts the handshake; the server side of that is expected.
    server.on('tlsClientError', () => {})
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    try {
      return await new Promise((resolve) => {
        const socket = tls.connect({ port, host: '127.0.0.1', servername, ca: keyPair.cert, checkServerIdentity: tls.checkServerIdentity })
        socket.once('secureConnect', () => {
          const commonName = socket.getPeerCertificate().subject.CN
          socket.destroy()
          resolve({ commonName })
        })
        socket.once('error', (error: NodeJS.ErrnoException) => {
          socket.destroy()
          resolve(error.code === undefined ? {} : { code: error.code })
        })
      })
    } finally {
      for (const socket of connections) socket.destroy()
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
    }
  }

  it.each(['a.test', 'b.test'])('succeeds for %s, a name in the SANs', async (servername) => {
    expect(await handshake(pair, servername)).toEqual({ commonName: 'JUNCTION TEST CERT' })
  })

  it('fails verification for a name not in the SANs', async () => {
    expect(await handshake(pair, 'c.test')).toEqual({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' })
  })
})
