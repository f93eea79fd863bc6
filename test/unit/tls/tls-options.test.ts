import { execFileSync } from 'node:child_process'
import { constants, X509Certificate } from 'node:crypto'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import * as tls from 'node:tls'
import { describe, expect, it } from 'vitest'
import { fallbackScsv, goCipherSuites } from '../../../src/tls/cipher-names.ts'
import {
  clientAuthSatisfied,
  compileTlsOptions,
  defaultTlsOptions,
  goCurves,
  servedAlpn,
  type ClientAuthType,
  type CompiledTlsOptions,
  type TlsOptionsInput,
} from '../../../src/tls/tls-options.ts'
import { testCertificate, testClientCertificate } from '../../support/tls-certificates.ts'

const prefix = 'tls options test@file: '
const tls13Defaults = tls.DEFAULT_CIPHERS.split(':').filter((name) => name.startsWith('TLS_')).join(':')
const openssl = process.versions.openssl
const authority = testClientCertificate()
const otherAuthority = testClientCertificate('other')

function compile(options: TlsOptionsInput, caPem: readonly string[] = []): ReturnType<typeof compileTlsOptions> {
  return compileTlsOptions('test@file', options, caPem)
}

/** The compiled options, failing the test with the errors when there are some. */
function compiled(options: TlsOptionsInput, caPem: readonly string[] = []): CompiledTlsOptions {
  const result = compile(options, caPem)
  expect(result.errors).toEqual([])
  if (result.options === undefined) throw new Error('no options')
  return result.options
}

const defaultKey =
  '{"alpnProtocols":["h2","http/1.1"],"clientAuth":{"rejectUnauthorized":false,"requestCert":false,"type":"NoClientCert"},' +
  '"context":{"maxVersion":"TLSv1.3","minVersion":"TLSv1.2"},"sniStrict":false}'

describe('compileTlsOptions defaults', () => {
  it('compiles an empty options set to Traefik defaults, with no problem', () => {
    expect(compile({})).toEqual({
      options: {
        name: 'test@file',
        context: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' },
        clientAuth: { type: 'NoClientCert', requestCert: false, rejectUnauthorized: false },
        sniStrict: false,
        alpnProtocols: ['h2', 'http/1.1'],
        key: defaultKey,
      },
      errors: [],
      warnings: [],
    })
  })

  it('gives the implicit default options, frozen', () => {
    expect(defaultTlsOptions).toEqual({ ...compiled({}), name: 'default' })
    expect(defaultTlsOptions.key).toBe(defaultKey)
    expect(Object.isFrozen(defaultTlsOptions)).toBe(true)
    expect(Object.isFrozen(defaultTlsOptions.context)).toBe(true)
    expect(Object.isFrozen(defaultTlsOptions.alpnProtocols)).toBe(true)
  })

  it('serves HTTP/2, then HTTP/1.1', () => {
    expect(servedAlpn).toEqual(['h2', 'http/1.1'])
  })
})

describe('compileTlsOptions versions', () => {
  const lowered = (version: string): string =>
    `${prefix}minVersion: ${version} needs OpenSSL's security level 0 for these options, which also accepts weak keys and digests; TLS 1.0 and 1.1 are deprecated (RFC 8996)`
  const legacyCiphers = `${tls.DEFAULT_CIPHERS}:@SECLEVEL=0`

  it.each([
    { options: { minVersion: 'VersionTLS12' }, context: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' }, warnings: [] },
    { options: { minVersion: 'VersionTLS13' }, context: { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' }, warnings: [] },
    { options: { maxVersion: 'VersionTLS12' }, context: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' }, warnings: [] },
    { options: { maxVersion: 'VersionTLS13' }, context: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' }, warnings: [] },
    {
      options: { minVersion: 'VersionTLS10' },
      context: { minVersion: 'TLSv1', maxVersion: 'TLSv1.3', ciphers: legacyCiphers },
      warnings: [lowered('VersionTLS10')],
    },
    {
      options: { minVersion: 'VersionTLS11' },
      context: { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.3', ciphers: legacyCiphers },
      warnings: [lowered('VersionTLS11')],
    },
    {
      options: { minVersion: 'VersionTLS10', maxVersion: 'VersionTLS11' },
      context: { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: legacyCiphers },
      warnings: [lowered('VersionTLS10')],
    },
    {
      options: { minVersion: 'VersionTLS11', maxVersion: 'VersionTLS11' },
      context: { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: legacyCiphers },
      warnings: [lowered('VersionTLS11')],
    },
    { options: { minVersion: 'VersionTLS13', maxVersion: 'VersionTLS13' }, context: { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' }, warnings: [] },
  ])('compiles $options', ({ options, context, warnings }) => {
    const result = compile(options)
    expect(result.errors).toEqual([])
    expect(result.warnings).toEqual(warnings)
    expect(result.options?.context).toEqual(context)
    expect(() => tls.createSecureContext(result.options?.context)).not.toThrow()
  })

  it.each([
    { options: { minVersion: 'VersionTLS14' }, error: 'minVersion: unknown version "VersionTLS14" (expected VersionTLS10, VersionTLS11, VersionTLS12, VersionTLS13)' },
    { options: { maxVersion: 'TLSv1.3' }, error: 'maxVersion: unknown version "TLSv1.3" (expected VersionTLS10, VersionTLS11, VersionTLS12, VersionTLS13)' },
    { options: { minVersion: 'VersionTLS13', maxVersion: 'VersionTLS12' }, error: 'maxVersion: VersionTLS12 is below minVersion VersionTLS13' },
    { options: { maxVersion: 'VersionTLS11' }, error: 'maxVersion: VersionTLS11 is below the default minVersion VersionTLS12' },
  ])('refuses $options', ({ options, error }) => {
    expect(compile(options)).toEqual({ errors: [`${prefix}${error}`], warnings: [] })
  })
})

/** IANA names to OpenSSL's, as the system openssl knows them (an oracle independent of the table). */
function opensslStandardNames(): Map<string, string> {
  const text = execFileSync('openssl', ['ciphers', '-stdname', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'], { encoding: 'utf8' })
  const names = new Map<string, string>()
  for (const line of text.split('\n')) {
    const [iana, dash, name] = line.trim().split(/\s+/)
    if (iana !== undefined && dash === '-' && name !== undefined) names.set(iana, name)
  }
  return names
}

describe('the Go cipher suite table', () => {
  // RC4 and 3DES: Go knows them, neither Node 24's OpenSSL nor the system's has them.
  const withoutOpenSsl = new Map([
    ['TLS_RSA_WITH_RC4_128_SHA', 'RC4-SHA'],
    ['TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'DES-CBC3-SHA'],
    ['TLS_ECDHE_ECDSA_WITH_RC4_128_SHA', 'ECDHE-ECDSA-RC4-SHA'],
    ['TLS_ECDHE_RSA_WITH_RC4_128_SHA', 'ECDHE-RSA-RC4-SHA'],
    ['TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', 'ECDHE-RSA-DES-CBC3-SHA'],
  ])
  const standard = opensslStandardNames()
  const entries = [...goCipherSuites]

  it('holds every name Traefik accepts but the signalling value', () => {
    expect(entries).toHaveLength(27)
    expect(goCipherSuites.has(fallbackScsv)).toBe(false)
  })

  it.each(entries)('maps %s to the OpenSSL name %s', (goName, name) => {
    // Go's two short CHACHA20 names are aliases of the IANA ones.
    const iana = goName.endsWith('_POLY1305') ? `${goName}_SHA256` : goName
    const expected = standard.get(iana) ?? withoutOpenSsl.get(goName)
    expect(name).toBe(expected)
    const result = compile({ cipherSuites: [goName] })
    if (withoutOpenSsl.has(goName)) {
      expect(() => tls.createSecureContext({ ciphers: name })).toThrow('no cipher match')
      expect(result.errors).toEqual([
        `${prefix}cipherSuites: none of the listed cipher suites is available in this Node (OpenSSL ${openssl})`,
      ])
      expect(result.warnings).toEqual([`${prefix}cipherSuites: ${goName} is not available in this Node (OpenSSL ${openssl} has no ${name}) and is not offered`])
      return
    }
    expect(() => tls.createSecureContext({ ciphers: name })).not.toThrow()
    expect(result.errors).toEqual([])
    const tls13 = name.startsWith('TLS_')
    expect(result.options?.context.ciphers).toBe(tls13 ? name : `${name}:${tls13Defaults}`)
    expect(result.options?.context.honorCipherOrder).toBe(true)
    expect(() => tls.createSecureContext(result.options?.context)).not.toThrow()
  })
})

describe('compileTlsOptions cipherSuites', () => {
  it('names an unknown cipher suite', () => {
    expect(compileTlsOptions('modern@file', { cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_FOO'] }, [])).toEqual({
      errors: ['tls options modern@file: cipherSuites: unknown cipher suite "TLS_FOO"'],
      warnings: [],
    })
  })

  it('keeps the order and Node default TLS 1.3 suites when only TLS 1.2 suites are listed', () => {
    const options = compiled({ cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305', 'TLS_RSA_WITH_AES_128_CBC_SHA'] })
    expect(options.context).toEqual({
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      ciphers: `ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:AES128-SHA:${tls13Defaults}`,
      honorCipherOrder: true,
    })
    expect(tls13Defaults).not.toBe('')
  })

  it('takes listed TLS 1.3 suites instead of the defaults', () => {
    const result = compile({ cipherSuites: ['TLS_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256'] })
    expect(result.warnings).toEqual([])
    expect(result.options?.context.ciphers).toBe('ECDHE-RSA-AES128-GCM-SHA256:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256')
  })

  it('warns that a list of TLS 1.3 suites alone refuses TLS 1.2', () => {
    const result = compile({ cipherSuites: ['TLS_AES_128_GCM_SHA256'] })
    expect(result.warnings).toEqual([`${prefix}cipherSuites: only TLS 1.3 suites are listed: TLS 1.2 and older connections have no cipher suite and are refused`])
    expect(result.options?.context.ciphers).toBe('TLS_AES_128_GCM_SHA256')
    expect(compile({ cipherSuites: ['TLS_AES_128_GCM_SHA256'], minVersion: 'VersionTLS13' }).warnings).toEqual([])
  })

  it('refuses a list of TLS 1.3 suites alone when TLS 1.3 is off', () => {
    expect(compile({ cipherSuites: ['TLS_AES_128_GCM_SHA256'], maxVersion: 'VersionTLS12' })).toEqual({
      errors: [`${prefix}cipherSuites: only TLS 1.3 suites are listed, but maxVersion is VersionTLS12: no connection could be made`],
      warnings: [],
    })
  })

  it('lists a suite named twice (or by its alias) once', () => {
    const options = compiled({ cipherSuites: ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256'] })
    expect(options.context.ciphers).toBe('ECDHE-RSA-CHACHA20-POLY1305:TLS_AES_128_GCM_SHA256')
  })

  it('drops a suite this Node lacks, with a warning', () => {
    const result = compile({ cipherSuites: ['TLS_RSA_WITH_RC4_128_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] })
    expect(result.errors).toEqual([])
    expect(result.warnings).toEqual([`${prefix}cipherSuites: TLS_RSA_WITH_RC4_128_SHA is not available in this Node (OpenSSL ${openssl} has no RC4-SHA) and is not offered`])
    expect(result.options?.context.ciphers).toBe(`ECDHE-RSA-AES128-GCM-SHA256:${tls13Defaults}`)
  })

  it('ignores TLS_FALLBACK_SCSV, with a warning', () => {
    const result = compile({ cipherSuites: ['TLS_FALLBACK_SCSV', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] })
    expect(result.warnings).toEqual([`${prefix}cipherSuites: TLS_FALLBACK_SCSV is a signalling value, not a cipher suite: OpenSSL answers it on its own; ignored`])
    expect(result.options?.context.ciphers).toBe(`ECDHE-RSA-AES128-GCM-SHA256:${tls13Defaults}`)
  })

  it('keeps Node defaults for an empty list', () => {
    expect(compiled({ cipherSuites: [] }).context).toEqual({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' })
  })

  it('lowers the security level after the listed suites for TLS 1.0', () => {
    const result = compile({ minVersion: 'VersionTLS10', cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'] })
    expect(result.options?.context.ciphers).toBe(`ECDHE-ECDSA-AES128-SHA:${tls13Defaults}:@SECLEVEL=0`)
    expect(result.warnings).toHaveLength(1)
    expect(() => tls.createSecureContext(result.options?.context)).not.toThrow()
  })

  it('does not lower it for TLS 1.3 suites alone, which refuse TLS 1.0 anyway', () => {
    const result = compile({ minVersion: 'VersionTLS10', cipherSuites: ['TLS_AES_128_GCM_SHA256'] })
    expect(result.options?.context.ciphers).toBe('TLS_AES_128_GCM_SHA256')
    expect(result.warnings).toEqual([`${prefix}cipherSuites: only TLS 1.3 suites are listed: TLS 1.2 and older connections have no cipher suite and are refused`])
  })
})

describe('compileTlsOptions curvePreferences', () => {
  it.each([...goCurves])('maps %s to the group %s, which this Node accepts', (name, group) => {
    expect(compiled({ curvePreferences: [name] }).context.ecdhCurve).toBe(group)
    expect(() => tls.createSecureContext({ ecdhCurve: group })).not.toThrow()
  })

  it('keeps the order, once per group', () => {
    const options = compiled({ curvePreferences: ['CurveP521', 'secp384r1', 'X25519', 'P-256', 'CurveP384', 'X25519MLKEM768'] })
    expect(options.context.ecdhCurve).toBe('P-521:P-384:X25519:P-256:X25519MLKEM768')
    expect(() => tls.createSecureContext(options.context)).not.toThrow()
  })

  it('names an unknown curve', () => {
    expect(compile({ curvePreferences: ['CurveP256', 'CurveP999', 'curvep256'] })).toEqual({
      errors: [`${prefix}curvePreferences: unknown curve "CurveP999"`, `${prefix}curvePreferences: unknown curve "curvep256"`],
      warnings: [],
    })
  })

  it('keeps Node defaults for an empty list', () => {
    expect(compiled({ curvePreferences: [] }).context.ecdhCurve).toBeUndefined()
  })
})

describe('compileTlsOptions clientAuth', () => {
  it.each([
    { type: 'NoClientCert', requestCert: false, rejectUnauthorized: false, ca: false },
    { type: 'RequestClientCert', requestCert: true, rejectUnauthorized: false, ca: true },
    { type: 'RequireAnyClientCert', requestCert: true, rejectUnauthorized: false, ca: true },
    { type: 'VerifyClientCertIfGiven', requestCert: true, rejectUnauthorized: false, ca: true },
    { type: 'RequireAndVerifyClientCert', requestCert: true, rejectUnauthorized: true, ca: true },
  ] as const)('compiles $type with a CA', ({ type, requestCert, rejectUnauthorized, ca }) => {
    const options = compiled({ clientAuth: { caFiles: ['/certs/ca.pem'], clientAuthType: type } }, [authority.ca.cert])
    expect(options.clientAuth).toEqual({ type, requestCert, rejectUnauthorized })
    expect(options.context.ca).toEqual(ca ? [new X509Certificate(authority.ca.cert).toString()] : undefined)
  })

  it.each([
    { type: 'NoClientCert', requestCert: false, rejectUnauthorized: false },
    { type: 'RequestClientCert', requestCert: true, rejectUnauthorized: false },
    { type: 'RequireAnyClientCert', requestCert: true, rejectUnauthorized: false },
  ] as const)('compiles $type without a CA', ({ type, requestCert, rejectUnauthorized }) => {
    const options = compiled({ clientAuth: { clientAuthType: type } })
    expect(options.clientAuth).toEqual({ type, requestCert, rejectUnauthorized })
    expect(options.context.ca).toBeUndefined()
  })

  it.each(['VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'] as const)('refuses %s without a CA', (type) => {
    expect(compile({ clientAuth: { clientAuthType: type } })).toEqual({
      errors: [`${prefix}clientAuth.clientAuthType: ${type} verifies client certificates, which needs clientAuth.caFiles`],
      warnings: [],
    })
  })

  it('requires and verifies a certificate when CA files are given without a type, as Traefik does', () => {
    const options = compiled({ clientAuth: { caFiles: ['/certs/ca.pem'] } }, [authority.ca.cert])
    expect(options.clientAuth).toEqual({ type: 'RequireAndVerifyClientCert', requestCert: true, rejectUnauthorized: true })
  })

  it('takes every certificate of every CA file, in order', () => {
    const options = compiled({ clientAuth: { caFiles: ['/certs/both.pem', '/certs/one.pem'] } }, [`${authority.ca.cert}\n${otherAuthority.ca.cert}`, authority.ca.cert])
    const pem = (cert: string): string => new X509Certificate(cert).toString()
    expect(options.context.ca).toEqual([pem(authority.ca.cert), pem(otherAuthority.ca.cert), pem(authority.ca.cert)])
  })

  it('names a CA file that holds no certificate, or one that does not parse', () => {
    const broken = authority.ca.cert.replace(/^(-----BEGIN CERTIFICATE-----\n)..../, '$1AAAA')
    const unterminated = authority.ca.cert.replace('-----END CERTIFICATE-----', '')
    const result = compile({ clientAuth: { caFiles: ['/certs/ca.pem', '/certs/broken.pem', '-----BEGIN CERTIFICATE-----'] } }, ['not PEM', broken, unterminated])
    expect(result).toEqual({
      errors: [
        `${prefix}clientAuth.caFiles: /certs/ca.pem holds no PEM certificate`,
        `${prefix}clientAuth.caFiles: certificate 1 of /certs/broken.pem does not parse`,
        `${prefix}clientAuth.caFiles: certificate 1 of entry 3 does not parse`,
      ],
      warnings: [],
    })
  })

  it('names an unknown client auth type that skipped validation', () => {
    expect(compile({ clientAuth: { clientAuthType: 'RequireSomething' } } as unknown as TlsOptionsInput)).toEqual({
      errors: [`${prefix}clientAuth.clientAuthType: unknown client auth type "RequireSomething"`],
      warnings: [],
    })
  })
})

describe('clientAuthSatisfied', () => {
  const none = { present: false, authorized: false }
  const unverified = { present: true, authorized: false }
  const verified = { present: true, authorized: true }
  it.each([
    { type: 'NoClientCert', none: true, unverified: true, verified: true },
    { type: 'RequestClientCert', none: true, unverified: true, verified: true },
    { type: 'RequireAnyClientCert', none: false, unverified: true, verified: true },
    { type: 'VerifyClientCertIfGiven', none: true, unverified: false, verified: true },
    { type: 'RequireAndVerifyClientCert', none: false, unverified: false, verified: true },
  ] as const)('$type: none $none, present but unverified $unverified, verified $verified', (row) => {
    const type: ClientAuthType = row.type
    expect(clientAuthSatisfied(type, none)).toBe(row.none)
    expect(clientAuthSatisfied(type, unverified)).toBe(row.unverified)
    expect(clientAuthSatisfied(type, verified)).toBe(row.verified)
  })
})

describe('compileTlsOptions alpnProtocols', () => {
  const dropped = (protocol: string): string => `${prefix}alpnProtocols: ${protocol} is not served by Junction and is not offered`

  it.each([
    { listed: ['http/1.1'], offered: ['http/1.1'], warnings: [] },
    { listed: ['h2'], offered: ['h2'], warnings: [] },
    { listed: ['h2', 'http/1.1'], offered: ['h2', 'http/1.1'], warnings: [] },
    { listed: ['http/1.1', 'h2', 'acme-tls/1', 'h2', 'http/1.1'], offered: ['http/1.1', 'h2'], warnings: [] },
    { listed: ['acme-tls/1'], offered: [], warnings: [] },
    { listed: ['spdy/3', 'h2', 'http/1.1'], offered: ['h2', 'http/1.1'], warnings: [dropped('spdy/3')] },
    { listed: ['x'.repeat(255), 'http/1.1'], offered: ['http/1.1'], warnings: [dropped('x'.repeat(255))] },
    { listed: [], offered: [], warnings: [] },
  ])('offers $offered for $listed', ({ listed, offered, warnings }) => {
    const result = compile({ alpnProtocols: listed })
    expect(result.errors).toEqual([])
    expect(result.warnings).toEqual(warnings)
    expect(result.options?.alpnProtocols).toEqual(offered)
  })

  it.each([
    { listed: ['spdy/3'], errors: ['alpnProtocols: none of spdy/3 is served by Junction (it serves h2, http/1.1)'] },
    { listed: ['spdy/3', 'acme-tls/1', 'h3'], errors: ['alpnProtocols: none of spdy/3, h3 is served by Junction (it serves h2, http/1.1)'] },
    {
      listed: ['', 'é'.repeat(128), 'http/1.1'],
      errors: ['alpnProtocols: entry 1 is empty', 'alpnProtocols: entry 2 is 256 bytes long; a protocol name has at most 255'],
    },
  ])('refuses $listed', ({ listed, errors }) => {
    expect(compile({ alpnProtocols: listed })).toEqual({ errors: errors.map((error) => `${prefix}${error}`), warnings: [] })
  })
})

describe('compileTlsOptions other options', () => {
  it('disables session tickets', () => {
    expect(compiled({ disableSessionTickets: true }).context).toEqual({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', secureOptions: constants.SSL_OP_NO_TICKET })
    expect(compiled({ disableSessionTickets: false }).context.secureOptions).toBeUndefined()
  })

  it('takes sniStrict', () => {
    expect(compiled({ sniStrict: true }).sniStrict).toBe(true)
    expect(compiled({ sniStrict: false }).sniStrict).toBe(false)
  })

  it('ignores preferServerCipherSuites, with a warning', () => {
    const result = compile({ preferServerCipherSuites: true })
    expect(result.warnings).toEqual([`${prefix}preferServerCipherSuites: deprecated in Traefik v3 and without effect; ignored`])
    expect(result.options?.key).toBe(defaultKey)
  })

  it('reports every error at once', () => {
    const result = compile({
      minVersion: 'VersionSSL30',
      cipherSuites: ['TLS_FOO', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_BAR'],
      curvePreferences: ['CurveP999'],
      clientAuth: { clientAuthType: 'RequireAndVerifyClientCert' },
      alpnProtocols: ['spdy/3'],
      preferServerCipherSuites: false,
    })
    expect(result).toEqual({
      errors: [
        `${prefix}minVersion: unknown version "VersionSSL30" (expected VersionTLS10, VersionTLS11, VersionTLS12, VersionTLS13)`,
        `${prefix}cipherSuites: unknown cipher suite "TLS_FOO"`,
        `${prefix}cipherSuites: unknown cipher suite "TLS_BAR"`,
        `${prefix}curvePreferences: unknown curve "CurveP999"`,
        `${prefix}clientAuth.clientAuthType: RequireAndVerifyClientCert verifies client certificates, which needs clientAuth.caFiles`,
        `${prefix}alpnProtocols: none of spdy/3 is served by Junction (it serves h2, http/1.1)`,
      ],
      warnings: [`${prefix}preferServerCipherSuites: deprecated in Traefik v3 and without effect; ignored`],
    })
  })
})

describe('compileTlsOptions key', () => {
  const ca = authority.ca.cert

  it.each([
    { desc: 'the default minVersion written out', a: {}, b: { minVersion: 'VersionTLS12', maxVersion: 'VersionTLS13' } },
    { desc: 'a cipher suite alias', a: { cipherSuites: ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305'] }, b: { cipherSuites: ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'] } },
    { desc: 'curve aliases', a: { curvePreferences: ['CurveP256', 'X25519'] }, b: { curvePreferences: ['secp256r1', 'x25519'] } },
    { desc: 'the default ALPN written out', a: {}, b: { alpnProtocols: ['h2', 'http/1.1', 'acme-tls/1'] } },
    { desc: 'false flags', a: {}, b: { sniStrict: false, disableSessionTickets: false } },
    {
      desc: 'one CA from another path',
      a: { clientAuth: { caFiles: ['/a/ca.pem'], clientAuthType: 'RequireAndVerifyClientCert' } },
      b: { clientAuth: { caFiles: ['/b/ca.pem'] } },
    },
  ] as const)('is equal across names for $desc', ({ a, b }) => {
    const caPem = (options: TlsOptionsInput): string[] => (options.clientAuth?.caFiles === undefined ? [] : [ca])
    const first = compileTlsOptions('a@file', a as TlsOptionsInput, caPem(a as TlsOptionsInput))
    const second = compileTlsOptions('b@kv', b as TlsOptionsInput, caPem(b as TlsOptionsInput))
    expect(first.options?.key).toBeDefined()
    expect(first.options?.key).toBe(second.options?.key)
  })

  it('differs whenever the compiled options do', () => {
    const variants: Array<{ options: TlsOptionsInput; caPem?: string[] }> = [
      { options: {} },
      { options: { minVersion: 'VersionTLS13' } },
      { options: { maxVersion: 'VersionTLS12' } },
      { options: { cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] } },
      { options: { cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'] } },
      { options: { cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] } },
      { options: { curvePreferences: ['X25519'] } },
      { options: { curvePreferences: ['X25519', 'CurveP256'] } },
      { options: { clientAuth: { clientAuthType: 'RequestClientCert' } } },
      { options: { clientAuth: { clientAuthType: 'RequireAnyClientCert' } } },
      { options: { clientAuth: { caFiles: ['/ca.pem'] } }, caPem: [ca] },
      { options: { clientAuth: { caFiles: ['/ca.pem'] } }, caPem: [otherAuthority.ca.cert] },
      { options: { clientAuth: { caFiles: ['/ca.pem'], clientAuthType: 'VerifyClientCertIfGiven' } }, caPem: [ca] },
      { options: { sniStrict: true } },
      { options: { alpnProtocols: [] } },
      { options: { disableSessionTickets: true } },
    ]
    const keys = variants.map(({ options, caPem }) => compiled(options, caPem).key)
    expect(new Set(keys).size).toBe(variants.length)
  })

  it('holds a digest of each CA, not its text', () => {
    const key = compiled({ clientAuth: { caFiles: ['/ca.pem'] } }, [ca]).key
    expect(key).not.toContain('BEGIN')
    expect(key).toMatch(/"ca":\["[0-9a-f]{64}"\]/)
  })
})

// Real handshakes on 127.0.0.1, with a server made from compiled options.

const server = testCertificate({ cn: 'localhost', san: ['DNS:localhost'] })

interface Handshake {
  /** The server's secureConnection fired. */
  readonly served: boolean
  /** What the client read: the server writes `hello` once connected. */
  readonly received: string
  readonly protocol: string | null
  readonly cipher?: string
  /** Whether the client resumed the session it was given. */
  readonly reused: boolean
  /** The last session the server gave the client, to resume. */
  readonly session?: Buffer
  /** The client's certificate state as the server saw it. */
  readonly peer?: { readonly present: boolean; readonly authorized: boolean }
  readonly serverError?: string
}

type Connect = (client?: tls.ConnectionOptions) => Promise<Handshake>

/** Serves `options` (with the test server certificate) to `run`'s connections, and closes everything before returning. */
async function serving<T>(options: CompiledTlsOptions, run: (connect: Connect) => Promise<T>): Promise<T> {
  let peer: Handshake['peer']
  let serverError: string | undefined
  const { requestCert, rejectUnauthorized } = options.clientAuth
  const listener = tls.createServer({ ...options.context, ...server, requestCert, rejectUnauthorized, ALPNProtocols: [...options.alpnProtocols] }, (socket) => {
    peer = { present: Object.keys(socket.getPeerCertificate()).length > 0, authorized: socket.authorized }
    socket.end('hello')
  })
  listener.on('tlsClientError', (error) => {
    serverError ??= error.message
  })
  listener.listen(0, '127.0.0.1')
  await once(listener, 'listening')
  const { port } = listener.address() as AddressInfo
  const connect: Connect = async (client = {}) => {
    peer = undefined
    serverError = undefined
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: server.cert, ...client })
    let received = ''
    let protocol: string | null = null
    let cipher: string | undefined
    let reused = false
    let session: Buffer | undefined
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      received += chunk
    })
    socket.on('secureConnect', () => {
      protocol = socket.getProtocol()
      cipher = socket.getCipher().name
      reused = socket.isSessionReused()
    })
    socket.on('session', (ticket: Buffer) => {
      session = ticket
    })
    // Not events.once: it rejects on the 'error' that the refusals under test end with.
    await new Promise<void>((resolve) => {
      socket.on('error', () => {})
      socket.on('close', () => resolve())
    })
    return {
      served: peer !== undefined,
      received,
      protocol,
      reused,
      ...(cipher !== undefined && { cipher }),
      ...(session !== undefined && { session }),
      ...(peer !== undefined && { peer }),
      ...(serverError !== undefined && { serverError }),
    }
  }
  try {
    return await run(connect)
  } finally {
    listener.close()
    await once(listener, 'close')
  }
}

/** One connection to a server of `options`. */
function handshake(options: CompiledTlsOptions, client: tls.ConnectionOptions = {}): Promise<Handshake> {
  return serving(options, (connect) => connect(client))
}

describe('handshakes with compiled options', () => {
  it('refuses a TLS 1.2 client under minVersion VersionTLS13', async () => {
    const options = compiled({ minVersion: 'VersionTLS13' })
    const refused = await handshake(options, { maxVersion: 'TLSv1.2' })
    expect(refused).toMatchObject({ served: false, received: '' })
    expect(refused.serverError).toContain('unsupported protocol')
    expect(await handshake(options)).toMatchObject({ served: true, received: 'hello', protocol: 'TLSv1.3' })
  })

  it('serves a TLS 1.0 client under minVersion VersionTLS10, which needs the lowered security level', async () => {
    const legacyClient = { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' } as const
    const options = compiled({ minVersion: 'VersionTLS10' })
    expect(await handshake(options, legacyClient)).toMatchObject({ served: true, received: 'hello', protocol: 'TLSv1' })
    const { ciphers: _lowered, ...unlowered } = options.context
    const refused = await handshake({ ...options, context: unlowered }, legacyClient)
    expect(refused).toMatchObject({ served: false, received: '' })
    expect(refused.serverError).toContain('unsupported protocol')
  })

  it('keeps TLS 1.3 with a list of TLS 1.2 suites, and offers only those to TLS 1.2', async () => {
    const options = compiled({ cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'] })
    expect(await handshake(options)).toMatchObject({ served: true, protocol: 'TLSv1.3' })
    expect(await handshake(options, { maxVersion: 'TLSv1.2' })).toMatchObject({ served: true, protocol: 'TLSv1.2', cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256' })
    const refused = await handshake(options, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384' })
    expect(refused).toMatchObject({ served: false, received: '' })
    expect(refused.serverError).toContain('no shared cipher')
  })

  it.each([
    { disableSessionTickets: false, maxVersion: 'VersionTLS12', reused: true },
    { disableSessionTickets: false, maxVersion: 'VersionTLS13', reused: true },
    { disableSessionTickets: true, maxVersion: 'VersionTLS12', reused: false },
    { disableSessionTickets: true, maxVersion: 'VersionTLS13', reused: false },
  ])('resumes a session up to $maxVersion: $reused with disableSessionTickets $disableSessionTickets', async ({ disableSessionTickets, maxVersion, reused }) => {
    await serving(compiled({ disableSessionTickets, maxVersion }), async (connect) => {
      const first = await connect()
      expect(first).toMatchObject({ served: true, reused: false })
      expect(first.session).toBeDefined()
      expect(await connect(first.session === undefined ? {} : { session: first.session })).toMatchObject({ served: true, reused })
    })
  })

  describe('RequireAndVerifyClientCert', () => {
    const options = compiled({ clientAuth: { caFiles: ['/certs/ca.pem'], clientAuthType: 'RequireAndVerifyClientCert' } }, [authority.ca.cert])

    it('serves a client with a certificate the CA signed', async () => {
      const result = await handshake(options, authority.client)
      expect(result).toMatchObject({ served: true, received: 'hello', peer: { present: true, authorized: true } })
      expect(result.peer !== undefined && clientAuthSatisfied(options.clientAuth.type, result.peer)).toBe(true)
    })

    it('refuses a client without a certificate', async () => {
      const refused = await handshake(options)
      expect(refused).toMatchObject({ served: false, received: '' })
      expect(refused.serverError).toContain('peer did not return a certificate')
    })

    it('refuses a client with a certificate another CA signed', async () => {
      // Node completes this handshake, then destroys the socket before secureConnection: no alert names the reason.
      expect(await handshake(options, otherAuthority.client)).toMatchObject({ served: false, received: '' })
    })
  })

  it('leaves VerifyClientCertIfGiven to clientAuthSatisfied after the handshake', async () => {
    const options = compiled({ clientAuth: { caFiles: ['/certs/ca.pem'], clientAuthType: 'VerifyClientCertIfGiven' } }, [authority.ca.cert])
    const cases = [
      { client: {}, peer: { present: false, authorized: false }, satisfied: true },
      { client: authority.client, peer: { present: true, authorized: true }, satisfied: true },
      { client: otherAuthority.client, peer: { present: true, authorized: false }, satisfied: false },
    ]
    for (const { client, peer, satisfied } of cases) {
      const result = await handshake(options, client)
      expect(result).toMatchObject({ served: true, peer })
      expect(clientAuthSatisfied(options.clientAuth.type, peer)).toBe(satisfied)
    }
  })
})
