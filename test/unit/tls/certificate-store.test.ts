import { X509Certificate, createPrivateKey } from 'node:crypto'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { connect, createServer } from 'node:tls'
import { describe, expect, it } from 'vitest'
import { JunctionError } from '../../../src/errors.ts'
import { dnsNamesOf } from '../../../src/tls/certificate.ts'
import { CertificateStore, type CertificateInput } from '../../../src/tls/certificate-store.ts'
import { SniIndex, normaliseServerName } from '../../../src/tls/sni-index.ts'
import { testCertificate, type TestCertificate } from '../../support/tls-certificates.ts'

const fallback = testCertificate({ cn: 'default.test' })
const certs = {
  a: testCertificate({ cn: 'a.test', san: ['DNS:a.test'] }),
  wildB: testCertificate({ cn: 'wild.b.test', san: ['DNS:*.b.test'] }),
  exactAB: testCertificate({ cn: 'a.b.test', san: ['DNS:a.b.test'] }),
  mixedCase: testCertificate({ cn: 'mixed', san: ['DNS:Mixed.Case.TEST'] }),
  cnOnly: testCertificate({ cn: 'cn-only.test' }),
  cnAndSan: testCertificate({ cn: 'ignored-cn.test', san: ['DNS:san.test'] }),
  ipOnly: testCertificate({ cn: 'ip-cn.test', san: ['IP:127.0.0.1'] }),
  ipAndDns: testCertificate({ cn: 'x', san: ['DNS:dns.test', 'IP:127.0.0.1'] }),
  noName: testCertificate({ san: ['IP:127.0.0.2'] }),
}

function input(name: string, certificate: TestCertificate, stores?: readonly string[]): CertificateInput {
  return stores === undefined ? { name, ...certificate } : { name, ...certificate, stores }
}

describe('CertificateStore selection', () => {
  // The wildcard comes first in configuration order: exact must still win.
  const { store, problems } = CertificateStore.build(
    [
      input('wildB', certs.wildB),
      input('a', certs.a),
      input('exactAB', certs.exactAB),
      input('mixedCase', certs.mixedCase),
      input('cnOnly', certs.cnOnly),
      input('cnAndSan', certs.cnAndSan),
      input('ipOnly', certs.ipOnly),
      input('ipAndDns', certs.ipAndDns),
    ],
    fallback,
  )

  it('loads every entry without a problem', () => {
    expect(problems).toEqual([])
    expect(store.size).toBe(8)
  })

  it.each([
    { desc: 'an exact name', sni: 'a.test', expected: 'a' },
    { desc: 'an exact name over a wildcard', sni: 'a.b.test', expected: 'exactAB' },
    { desc: 'a wildcard for one label', sni: 'x.b.test', expected: 'wildB' },
    { desc: 'no wildcard for the bare domain', sni: 'b.test', expected: 'default' },
    { desc: 'no wildcard for two labels', sni: 'x.a.b.test', expected: 'default' },
    { desc: 'no wildcard for an empty label', sni: '.b.test', expected: 'default' },
    { desc: 'an unknown name', sni: 'unknown.test', expected: 'default' },
    { desc: 'a single label', sni: 'test', expected: 'default' },
    { desc: 'upper case', sni: 'A.TEST', expected: 'a' },
    { desc: 'a trailing dot', sni: 'a.test.', expected: 'a' },
    { desc: 'a wildcard, upper case with a trailing dot', sni: 'X.B.Test.', expected: 'wildB' },
    { desc: 'a SAN written in upper case', sni: 'mixed.case.test', expected: 'mixedCase' },
    { desc: 'the CN of a certificate without SAN', sni: 'cn-only.test', expected: 'cnOnly' },
    { desc: 'the CN of a certificate with a DNS SAN', sni: 'ignored-cn.test', expected: 'default' },
    { desc: 'the DNS SAN beside that CN', sni: 'san.test', expected: 'cnAndSan' },
    { desc: 'the CN of a certificate with IP SANs only', sni: 'ip-cn.test', expected: 'ipOnly' },
    { desc: 'an IP address (IP SANs are not indexed)', sni: '127.0.0.1', expected: 'default' },
    { desc: 'an empty name', sni: '', expected: 'default' },
    { desc: 'no name', sni: undefined, expected: 'default' },
  ])('selects $expected for $desc', ({ sni, expected }) => {
    const selected = store.select(sni)
    if (expected === 'default') expect(selected).toBe(store.default)
    else expect(selected.name).toBe(expected)
  })

  it('lists the names each certificate carries', () => {
    expect(store.certificates().map(({ name, names }) => ({ name, names }))).toEqual([
      { name: 'wildB', names: ['*.b.test'] },
      { name: 'a', names: ['a.test'] },
      { name: 'exactAB', names: ['a.b.test'] },
      { name: 'mixedCase', names: ['mixed.case.test'] },
      { name: 'cnOnly', names: ['cn-only.test'] },
      { name: 'cnAndSan', names: ['san.test'] },
      { name: 'ipOnly', names: ['ip-cn.test'] },
      { name: 'ipAndDns', names: ['dns.test'] },
    ])
    expect(store.default.name).toBe('default')
    expect(store.default.names).toEqual(['default.test'])
  })

  it('reports each expiry as the certificate states it', () => {
    expect(store.certificates()[1]?.notAfter).toEqual(new X509Certificate(certs.a.cert).validToDate)
  })
})

describe('CertificateStore problems', () => {
  const encryptedKey = createPrivateKey(certs.a.key).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string
  const encryptedSec1Key = createPrivateKey(certs.a.key).export({ type: 'sec1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string
  const leafLines = certs.a.cert.trimEnd().split('\n')
  const garbledBlock = [leafLines[0], 'AAAA', leafLines[leafLines.length - 1]].join('\n')

  it.each([
    { desc: 'a garbage certificate', cert: 'not a certificate', key: certs.a.key, reason: 'the certificate is not PEM: it has no BEGIN CERTIFICATE block' },
    { desc: 'a garbled certificate block', cert: garbledBlock, key: certs.a.key, reason: 'the certificate does not parse' },
    { desc: 'a garbled chain certificate', cert: `${certs.a.cert}${garbledBlock}\n`, key: certs.a.key, reason: 'certificate 2 of the chain does not parse' },
    { desc: 'a garbage key', cert: certs.a.cert, key: 'not a key', reason: 'the key does not parse' },
    { desc: 'an encrypted key', cert: certs.a.cert, key: encryptedKey, reason: 'the key is encrypted (only unencrypted keys are read)' },
    { desc: 'an encrypted SEC1 key', cert: certs.a.cert, key: encryptedSec1Key, reason: 'the key is encrypted (only unencrypted keys are read)' },
    { desc: 'another certificate’s key', cert: certs.a.cert, key: certs.wildB.key, reason: 'the key does not match the certificate' },
  ])('leaves out $desc, and loads the others', ({ cert, key, reason }) => {
    const { store, problems } = CertificateStore.build(
      [{ name: '/etc/certs/bad.pem', cert, key }, input('/etc/certs/b.pem', certs.wildB)],
      fallback,
    )
    expect(problems).toEqual([{ name: '/etc/certs/bad.pem', message: `tls certificate /etc/certs/bad.pem: ${reason}`, fatal: true }])
    expect(store.certificates().map(({ name }) => name)).toEqual(['/etc/certs/b.pem'])
    expect(store.select('a.test')).toBe(store.default)
    expect(store.select('x.b.test').name).toBe('/etc/certs/b.pem')
  })

  it('loads a chain by its leaf', () => {
    const { store, problems } = CertificateStore.build([input('#0', { cert: certs.a.cert + certs.wildB.cert, key: certs.a.key })], fallback)
    expect(problems).toEqual([])
    expect(store.certificates().map(({ names }) => names)).toEqual([['a.test']])
  })

  it('serves a name with the first certificate that claims it, and warns naming both', () => {
    const second = testCertificate({ cn: 'second', san: ['DNS:a.test', 'DNS:*.b.test', 'DNS:c.test'] })
    const third = testCertificate({ cn: 'third', san: ['DNS:c.test'] })
    const { store, problems } = CertificateStore.build([input('first', certs.a), input('wild', certs.wildB), input('second', second), input('third', third)], fallback)
    expect(problems).toEqual([
      { name: 'second', message: 'tls certificate second: a.test is already served by tls certificate first, which comes first and is kept', fatal: false },
      { name: 'second', message: 'tls certificate second: *.b.test is already served by tls certificate wild, which comes first and is kept', fatal: false },
      { name: 'third', message: 'tls certificate third: c.test is already served by tls certificate second, which comes first and is kept', fatal: false },
    ])
    expect(store.select('a.test').name).toBe('first')
    expect(store.select('x.b.test').name).toBe('wild')
    expect(store.select('c.test').name).toBe('second')
    expect(store.size).toBe(4)
  })

  it('groups the names one certificate loses to another into one warning', () => {
    const both = testCertificate({ cn: 'both', san: ['DNS:a.test', 'DNS:*.b.test'] })
    const again = testCertificate({ cn: 'again', san: ['DNS:a.test', 'DNS:*.b.test'], variant: '2' })
    const { problems } = CertificateStore.build([input('both', both), input('again', again)], fallback)
    expect(problems).toEqual([
      { name: 'again', message: 'tls certificate again: a.test, *.b.test are already served by tls certificate both, which comes first and is kept', fatal: false },
    ])
  })

  it.each([
    { desc: 'no stores', stores: undefined, loaded: true, message: undefined },
    { desc: 'an empty list', stores: [], loaded: true, message: undefined },
    { desc: 'the default store', stores: ['default'], loaded: true, message: undefined },
    { desc: 'another store', stores: ['other'], loaded: false, message: 'tls certificate #0: only the default store is served; the certificate is for store other and is left out' },
    {
      desc: 'other stores',
      stores: ['other', 'more'],
      loaded: false,
      message: 'tls certificate #0: only the default store is served; the certificate is for stores other, more and is left out',
    },
    { desc: 'the default store and another', stores: ['default', 'other'], loaded: true, message: 'tls certificate #0: only the default store is served; store other ignored' },
  ])('serves a certificate for $desc only from the default store', ({ stores, loaded, message }) => {
    const { store, problems } = CertificateStore.build([input('#0', certs.a, stores)], fallback)
    expect(problems).toEqual(message === undefined ? [] : [{ name: '#0', message, fatal: false }])
    expect(store.size).toBe(loaded ? 1 : 0)
    expect(store.select('a.test').name).toBe(loaded ? '#0' : 'default')
  })

  it('serves an expired certificate and says when it expired', () => {
    const notAfter = new X509Certificate(certs.a.cert).validToDate
    const later = new Date(notAfter.getTime() + 1000)
    const { store, problems } = CertificateStore.build([input('/etc/certs/a.pem', certs.a)], fallback, undefined, later)
    const defaultExpiry = new X509Certificate(fallback.cert).validToDate.toISOString()
    expect(problems).toEqual([
      { name: 'default', message: `tls default certificate: the certificate expired on ${defaultExpiry} (it is still served)`, fatal: false },
      { name: '/etc/certs/a.pem', message: `tls certificate /etc/certs/a.pem: the certificate expired on ${notAfter.toISOString()} (it is still served)`, fatal: false },
    ])
    expect(store.select('a.test').name).toBe('/etc/certs/a.pem')
  })

  it('warns about a certificate that names no DNS host', () => {
    const { store, problems } = CertificateStore.build([input('#0', certs.noName)], fallback)
    expect(problems).toEqual([{ name: '#0', message: 'tls certificate #0: the certificate names no DNS host, so no server name selects it', fatal: false }])
    expect(store.size).toBe(1)
  })

  it('throws when the default certificate does not load', () => {
    const build = (): unknown => CertificateStore.build([], { cert: certs.a.cert, key: certs.wildB.key })
    expect(build).toThrow(JunctionError)
    expect(build).toThrow('tls default certificate: the key does not match the certificate')
  })
})

describe('CertificateStore secure contexts', () => {
  const changedA = testCertificate({ cn: 'a.test', san: ['DNS:a.test'], variant: 'changed' })

  it('creates a context on first use and keeps it', () => {
    const { store } = CertificateStore.build([input('a', certs.a)], fallback)
    const selected = store.select('a.test')
    expect(selected.context()).toBe(selected.context())
  })

  it('shares one context between entries of the same text', () => {
    const { store } = CertificateStore.build([input('a', certs.a), input('again', certs.a)], fallback)
    const [first, second] = store.certificates()
    expect(first?.context()).toBe(second?.context())
  })

  it('reuses the contexts of unchanged entries across generations, and not of changed ones', () => {
    const one = CertificateStore.build([input('a', certs.a), input('b', certs.wildB)], fallback).store
    const contextA = one.select('a.test').context()
    const contextB = one.select('x.b.test').context()
    const contextDefault = one.default.context()

    const two = CertificateStore.build([input('a renamed', certs.a), input('b', testCertificate({ cn: 'wild.b.test', san: ['DNS:*.b.test'], variant: 'changed' }))], fallback, one).store
    expect(two.select('a.test').name).toBe('a renamed')
    expect(two.select('a.test').context()).toBe(contextA)
    expect(two.select('x.b.test').context()).not.toBe(contextB)
    expect(two.default.context()).toBe(contextDefault)

    const unrelated = CertificateStore.build([input('a', certs.a)], fallback).store
    expect(unrelated.select('a.test').context()).not.toBe(contextA)
  })

  it('reuses a context through a generation that did not use it, and not one a generation dropped', () => {
    const one = CertificateStore.build([input('a', certs.a), input('b', certs.wildB)], fallback).store
    const contextA = one.select('a.test').context()
    const contextB = one.select('x.b.test').context()
    const two = CertificateStore.build([input('a', certs.a)], fallback, one).store
    const three = CertificateStore.build([input('a', certs.a), input('b', certs.wildB)], fallback, two).store
    expect(three.select('a.test').context()).toBe(contextA)
    expect(three.select('x.b.test').context()).not.toBe(contextB)
  })

  it('does not reuse a context when a certificate is replaced by another for the same name', () => {
    const one = CertificateStore.build([input('a', certs.a)], fallback).store
    const contextA = one.select('a.test').context()
    const two = CertificateStore.build([input('a', changedA)], fallback, one).store
    expect(two.select('a.test').context()).not.toBe(contextA)
  })
})

describe('CertificateStore in a TLS handshake', () => {
  it('serves the certificate for the SNI server name, and the default for any other', async () => {
    const { store } = CertificateStore.build([input('a', certs.a), input('b', certs.wildB)], fallback)
    const server = createServer({ cert: fallback.cert, key: fallback.key, SNICallback: (name, done) => done(null, store.select(name).context()) })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as AddressInfo
    const peerCommonName = async (servername: string | undefined): Promise<unknown> => {
      const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...(servername === undefined ? {} : { servername }) })
      try {
        await once(socket, 'secureConnect')
        return socket.getPeerCertificate().subject.CN
      } finally {
        socket.end()
        await once(socket, 'close')
      }
    }
    try {
      expect(await peerCommonName('a.test')).toBe('a.test')
      expect(await peerCommonName('x.b.test')).toBe('wild.b.test')
      expect(await peerCommonName('unknown.test')).toBe('default.test')
      // Connecting to an IP address, the client sends no SNI at all.
      expect(await peerCommonName(undefined)).toBe('default.test')
    } finally {
      server.close()
      await once(server, 'close')
    }
  })
})

describe('SniIndex over 10,000 names', () => {
  interface Entry {
    readonly id: number
  }
  const index = new SniIndex<Entry>()
  const entries = Array.from({ length: 10_000 }, (_, id) => ({ id }))
  for (const entry of entries) index.claim(`host-${entry.id}.test`, entry)
  const wildcard = { id: -1 }
  index.claim('*.wild.test', wildcard)

  it.each([
    { desc: 'the first name', sni: 'host-0.test', expected: 0 },
    { desc: 'a middle name', sni: 'host-5000.test', expected: 5000 },
    { desc: 'the last name', sni: 'host-9999.test', expected: 9999 },
    { desc: 'a name in another case with a trailing dot', sni: 'HOST-42.Test.', expected: 42 },
    { desc: 'a wildcard', sni: 'x.wild.test', expected: -1 },
    { desc: 'no wildcard for two labels', sni: 'a.x.wild.test', expected: undefined },
    { desc: 'an unknown name', sni: 'host-10000.test', expected: undefined },
  ])('finds $desc', ({ sni, expected }) => {
    expect(index.find(sni)?.id).toBe(expected)
  })

  it('holds every name once, the first claim winning', () => {
    expect(index.size).toBe(10_001)
    expect(index.claim('HOST-7.test', { id: 70 })).toBe(entries[7])
    expect(index.find('host-7.test')).toBe(entries[7])
  })
})

describe('normaliseServerName', () => {
  it.each([
    { input: 'A.Test', expected: 'a.test' },
    { input: 'a.test.', expected: 'a.test' },
    { input: 'a.test..', expected: 'a.test.' },
    { input: '', expected: '' },
  ])('reads $input as $expected', ({ input, expected }) => {
    expect(normaliseServerName(input)).toBe(expected)
  })
})

describe('dnsNamesOf', () => {
  it.each([
    { desc: 'nothing', input: undefined, expected: [] },
    { desc: 'DNS entries among others', input: 'DNS:a.test, IP Address:127.0.0.1, DNS:*.b.test, email:a@b.test', expected: ['a.test', '*.b.test'] },
    { desc: 'an IPv6 address', input: 'IP Address:0:0:0:0:0:0:0:1, DNS:a.test', expected: ['a.test'] },
    { desc: 'a quoted value holding ", "', input: 'DNS:"a.test, DNS:evil.test", DNS:b.test', expected: ['a.test, DNS:evil.test', 'b.test'] },
    { desc: 'a quoted value holding an escaped quote', input: 'URI:"x\\", DNS:evil.test", DNS:b.test', expected: ['b.test'] },
    { desc: 'a truncated quote', input: 'DNS:"a.test', expected: [] },
  ])('reads $desc', ({ input, expected }) => {
    expect(dnsNamesOf(input)).toEqual(expected)
  })
})
