import { describe, expect, it } from 'vitest'
import type { DynamicConfig } from '../../../src/config/dynamic.ts'
import { isDefaultName, resolveTls, type ReadText } from '../../../src/tls/tls-model.ts'
import { defaultTlsOptions } from '../../../src/tls/tls-options.ts'
import type { AcmeTls } from '../../../src/tls/acme/acme-tls.ts'
import { testCertificate } from '../../support/tls-certificates.ts'

const generated = { cert: 'GENERATED CERT', key: 'GENERATED KEY' }
const pem = (what: string): string => `-----BEGIN ${what}-----\nAAAA\n-----END ${what}-----\n`
const d = testCertificate({ cn: 'd.test', san: ['DNS:d.test'] })
const other = testCertificate({ cn: 'other.test', san: ['DNS:other.test'] })
const files: Record<string, string> = { '/certs/a.pem': 'A CERT', '/certs/a.key': 'A KEY', '/certs/d.pem': d.cert, '/certs/d.key': d.key, '/certs/other.key': other.key }
const read: ReadText = (path) => {
  const text = files[path]
  if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT', path })
  return text
}
const resolve = (tls: DynamicConfig['tls']) => resolveTls({ tls } as DynamicConfig, generated, read)

describe('resolveTls', () => {
  it('reads certificates from their files, takes inline PEM as is, and keeps each one\'s stores', () => {
    const model = resolve({ certificates: [{ certFile: '/certs/a.pem', keyFile: '/certs/a.key', stores: ['default'] }, { certFile: pem('CERTIFICATE'), keyFile: pem('PRIVATE KEY') }] })
    expect(model).toEqual({
      certificates: [
        { name: '/certs/a.pem', cert: 'A CERT', key: 'A KEY', stores: ['default'] },
        { name: '#1', cert: pem('CERTIFICATE'), key: pem('PRIVATE KEY') },
      ],
      defaultCertificate: { name: 'generated', ...generated },
      options: { default: defaultTlsOptions },
      problems: [],
    })
  })

  it.each([
    { desc: 'an unreadable certificate file', certificate: { certFile: '/certs/gone.pem', keyFile: '/certs/a.key' }, name: '/certs/gone.pem', message: "tls certificate /certs/gone.pem: ENOENT: no such file or directory, open '/certs/gone.pem'" },
    { desc: 'an unreadable key file', certificate: { certFile: '/certs/a.pem', keyFile: '/certs/gone.key' }, name: '/certs/a.pem', message: "tls certificate /certs/a.pem: ENOENT: no such file or directory, open '/certs/gone.key'" },
    { desc: 'no keyFile', certificate: { certFile: '/certs/a.pem' }, name: '/certs/a.pem', message: 'tls certificate /certs/a.pem: keyFile is missing' },
    { desc: 'no certFile', certificate: { keyFile: '/certs/a.key' }, name: '#0', message: 'tls certificate #0: certFile is missing' },
  ])('$desc leaves that certificate out, named, and keeps the others', ({ certificate, name, message }) => {
    const model = resolve({ certificates: [certificate, { certFile: '/certs/d.pem', keyFile: '/certs/d.key' }] })
    expect(model.certificates.map((c) => c.name)).toEqual(['/certs/d.pem'])
    expect(model.certificates[0]).toEqual({ name: '/certs/d.pem', cert: d.cert, key: d.key })
    expect(model.problems).toEqual([{ section: 'tlsCertificates', name, message, fatal: true }])
  })

  it('serves the default store\'s defaultCertificate, whatever provider qualified the store', () => {
    const model = resolve({ stores: { 'default@file': { defaultCertificate: { certFile: '/certs/d.pem', keyFile: '/certs/d.key' } } } })
    expect(model.defaultCertificate).toEqual({ name: 'default@file default certificate', ...d })
    expect(model.problems).toEqual([])
  })

  it('falls back to the generated certificate when the default one cannot be read, with a warning', () => {
    const model = resolve({ stores: { default: { defaultCertificate: { certFile: '/certs/gone.pem', keyFile: '/certs/d.key' } } } })
    expect(model.defaultCertificate).toEqual({ name: 'generated', ...generated })
    expect(model.problems).toEqual([
      {
        section: 'tlsStores',
        name: 'default',
        message: "tls store default: defaultCertificate: ENOENT: no such file or directory, open '/certs/gone.pem'; a generated certificate is served instead",
        fatal: false,
      },
    ])
  })

  it('falls back to the generated certificate when the default one does not load (a key of another certificate)', () => {
    const model = resolve({ stores: { default: { defaultCertificate: { certFile: '/certs/d.pem', keyFile: '/certs/other.key' } } } })
    expect(model.defaultCertificate).toEqual({ name: 'generated', ...generated })
    expect(model.problems).toEqual([
      {
        section: 'tlsStores',
        name: 'default',
        message: 'tls store default: defaultCertificate: the key does not match the certificate; a generated certificate is served instead',
        fatal: false,
      },
    ])
  })

  it('reports a store other than default, and a defaultGeneratedCert that names no resolver or no domain', () => {
    const model = resolve({ stores: { other: {}, default: { defaultGeneratedCert: { resolver: 'le' } } } })
    expect(model.problems).toEqual([
      { section: 'tlsStores', name: 'other', message: 'tls store other: only the default store is served; this store is ignored', fatal: false },
      { section: 'tlsStores', name: 'default', message: 'tls store default: defaultGeneratedCert needs a resolver and a domain.main; a generated certificate is served instead', fatal: false },
    ])
    expect(model.defaultCertificate.name).toBe('generated')
  })

  describe('with certificate resolvers', () => {
    const issued = testCertificate({ cn: 'default.test', san: ['DNS:default.test'] })
    const acme = (over: Partial<AcmeTls> = {}): AcmeTls => ({ certificates: [], resolvers: new Set(['le']), notes: [], ...over })
    const store = { default: { defaultGeneratedCert: { resolver: 'le', domain: { main: 'default.test' } } } }

    it('serves the resolvers\' certificates after the files, and notes their routers\' problems', () => {
      const file = testCertificate({ cn: 'file.test', san: ['DNS:file.test'] })
      const model = resolveTls(
        { tls: { certificates: [{ certFile: file.cert, keyFile: file.key }] } } as DynamicConfig,
        generated,
        read,
        acme({ certificates: [{ name: 'le.acme/a.test', ...issued, stores: ['default'] }], notes: [{ router: 'r@file', message: 'router r@file: why' }] }),
      )
      expect(model.certificates.map((certificate) => certificate.name)).toEqual(['#0', 'le.acme/a.test'])
      expect(model.problems).toEqual([{ section: 'routers', name: 'r@file', message: 'router r@file: why', fatal: false }])
    })

    it('makes the certificate defaultGeneratedCert names the default once its resolver holds it, the generated one until then', () => {
      const held = resolveTls({ tls: { stores: store } } as DynamicConfig, generated, read, acme({ defaultCertificate: { name: 'le.acme/default.test', ...issued } }))
      expect(held.defaultCertificate).toEqual({ name: 'le.acme/default.test', ...issued })
      expect(held.problems).toEqual([])
      const waiting = resolveTls({ tls: { stores: store } } as DynamicConfig, generated, read, acme())
      expect(waiting.defaultCertificate).toEqual({ name: 'generated', ...generated })
      expect(waiting.problems).toEqual([])
    })

    it('warns when defaultGeneratedCert names no resolver that exists, or comes with a defaultCertificate', () => {
      const unknown = resolveTls({ tls: { stores: { default: { defaultGeneratedCert: { resolver: 'other', domain: { main: 'default.test' } } } } } } as DynamicConfig, generated, read, acme())
      expect(unknown.problems).toEqual([
        { section: 'tlsStores', name: 'default', message: 'tls store default: defaultGeneratedCert: certificate resolver other does not exist; a generated certificate is served instead', fatal: false },
      ])
      const both = resolveTls(
        { tls: { stores: { default: { ...store.default, defaultCertificate: { certFile: issued.cert, keyFile: issued.key } } } } } as DynamicConfig,
        generated,
        read,
        acme(),
      )
      expect(both.defaultCertificate.name).toBe('default default certificate')
      expect(both.problems).toEqual([{ section: 'tlsStores', name: 'default', message: 'tls store default: defaultCertificate and defaultGeneratedCert are both set: defaultCertificate is used', fatal: false }])
    })
  })

  it.each([
    ['default', true],
    ['default@file', true],
    ['defaults', false],
    ['other@file', false],
  ])('isDefaultName(%s) is %s', (name, expected) => {
    expect(isDefaultName(name)).toBe(expected)
  })

  it('compiles each set of options with its CA files read, under the name routers use', () => {
    const ca = testCertificate({ cn: 'ca.test' })
    files['/certs/ca.pem'] = ca.cert
    const model = resolve({ options: { 'mtls@file': { clientAuth: { caFiles: ['/certs/ca.pem'] } }, 'default@docker': { minVersion: 'VersionTLS13' } } })
    expect(model.problems).toEqual([])
    expect(Object.keys(model.options).sort()).toEqual(['default', 'mtls@file'])
    expect(model.options['mtls@file']?.clientAuth).toEqual({ type: 'RequireAndVerifyClientCert', requestCert: true, rejectUnauthorized: true })
    expect(model.options['mtls@file']?.context.ca).toEqual([ca.cert])
    expect(model.options['default']?.context.minVersion).toBe('TLSv1.3')
  })

  it('leaves out options whose CA file cannot be read, and a second default, each named', () => {
    const model = resolve({ options: { 'mtls@file': { clientAuth: { caFiles: ['/certs/gone-ca.pem'] } }, 'default@file': {}, 'default@docker': { minVersion: 'VersionTLS13' } } })
    expect(Object.keys(model.options).sort()).toEqual(['default'])
    expect(model.options['default']?.context.minVersion).toBe('TLSv1.2')
    expect(model.problems).toEqual([
      { section: 'tlsOptions', name: 'mtls@file', message: "tls options mtls@file: clientAuth.caFiles: ENOENT: no such file or directory, open '/certs/gone-ca.pem'", fatal: true },
      { section: 'tlsOptions', name: 'default@docker', message: 'tls options default@docker: default options are already defined by default@file, which is kept', fatal: true },
    ])
  })
})

