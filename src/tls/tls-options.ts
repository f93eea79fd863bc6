/**
 * Traefik's `tls.options.<name>` compiled into what Node's TLS needs: the
 * options of `tls.createSecureContext` (merged with each certificate's cert
 * and key by the caller), what the TLS socket is created with, and what to
 * check once its handshake is done. Pure: no file I/O (the caller has read
 * the CA files) and no state beyond a cache of what this Node's OpenSSL
 * accepts.
 */
import { constants, createHash, X509Certificate } from 'node:crypto'
import { createSecureContext, DEFAULT_CIPHERS, type SecureContextOptions, type SecureVersion } from 'node:tls'
import type { TlsOptions } from '../config/dynamic.ts'
import { acmeTlsAlpn } from './acme/contracts.ts'
import { fallbackScsv, goCipherSuites, isTls13Suite } from './cipher-names.ts'
import { certificateBlocks, isInlinePem } from './pem.ts'

/** Traefik's (and Go's) client authentication types. */
export type ClientAuthType = 'NoClientCert' | 'RequestClientCert' | 'RequireAnyClientCert' | 'VerifyClientCertIfGiven' | 'RequireAndVerifyClientCert'

/** One set of TLS options, compiled. */
export interface CompiledTlsOptions {
  readonly name: string
  /** Options for tls.createSecureContext, merged with the certificate's cert/key by the caller: minVersion, maxVersion, ciphers, ecdhCurve, ca, secureOptions (SSL_OP_NO_TICKET when disableSessionTickets), honorCipherOrder. */
  readonly context: Readonly<Pick<SecureContextOptions, 'minVersion' | 'maxVersion' | 'ciphers' | 'ecdhCurve' | 'ca' | 'secureOptions' | 'honorCipherOrder'>>
  /** What the TLSSocket must be created with, and what to check once the handshake is done. */
  readonly clientAuth: { readonly type: ClientAuthType; readonly requestCert: boolean; readonly rejectUnauthorized: boolean }
  readonly sniStrict: boolean
  /** ALPN protocols to offer, in preference order. */
  readonly alpnProtocols: readonly string[]
  /** A key that is equal for options that compile to the same thing (for caching secure contexts per certificate × options). */
  readonly key: string
}

/**
 * A `tls.options.<name>` object as the dynamic configuration holds it. Its
 * `clientAuth.caFiles` (paths, or inline PEM) only name the CAs in
 * messages: their text comes in `compileTlsOptions`'s `caPem`.
 */
export type TlsOptionsInput = TlsOptions

/** What compiling gives: the options when there is no error, and every problem found. */
export interface TlsOptionsResult {
  readonly options?: CompiledTlsOptions
  readonly errors: string[]
  readonly warnings: string[]
}

/**
 * The ALPN protocols Junction serves HTTP on, in the order it prefers them.
 * Never `acme-tls/1`: that one is negotiated only with a CA validating
 * TLS-ALPN-01, which gets the challenge certificate instead of these
 * options (src/tls/acme/tls-alpn-01.ts).
 */
export const servedAlpn: readonly string[] = Object.freeze(['h2', 'http/1.1'])

/** Traefik's default ALPN protocols (`DefaultTLSOptions`, and every options set's default). */
const traefikAlpn: readonly string[] = ['h2', 'http/1.1', acmeTlsAlpn]

/** Traefik's version names, to Node's, in protocol order. */
const versions: ReadonlyMap<string, { readonly node: SecureVersion; readonly rank: number }> = new Map([
  ['VersionTLS10', { node: 'TLSv1', rank: 0 }],
  ['VersionTLS11', { node: 'TLSv1.1', rank: 1 }],
  ['VersionTLS12', { node: 'TLSv1.2', rank: 2 }],
  ['VersionTLS13', { node: 'TLSv1.3', rank: 3 }],
])
const tls12Rank = 2
const tls13Rank = 3

/**
 * The curve names Traefik accepts (`pkg/tls/certificate.go`: Go's CurveID
 * names and the RFC 8446 group names), plus OpenSSL's `P-256` style ones,
 * to the group names Node's `ecdhCurve` takes. The post-quantum hybrids are
 * probed before use: an OpenSSL before 3.5 lacks them.
 */
export const goCurves: ReadonlyMap<string, string> = new Map([
  ['CurveP256', 'P-256'],
  ['secp256r1', 'P-256'],
  ['P-256', 'P-256'],
  ['CurveP384', 'P-384'],
  ['secp384r1', 'P-384'],
  ['P-384', 'P-384'],
  ['CurveP521', 'P-521'],
  ['secp521r1', 'P-521'],
  ['P-521', 'P-521'],
  ['X25519', 'X25519'],
  ['x25519', 'X25519'],
  ['X25519MLKEM768', 'X25519MLKEM768'],
  ['x25519mlkem768', 'X25519MLKEM768'],
  ['SecP256r1MLKEM768', 'SecP256r1MLKEM768'],
  ['secp256r1mlkem768', 'SecP256r1MLKEM768'],
  ['SecP384r1MLKEM1024', 'SecP384r1MLKEM1024'],
  ['secp384r1mlkem1024', 'SecP384r1MLKEM1024'],
])

/** requestCert and rejectUnauthorized per type; the rest is {@link clientAuthSatisfied}'s. */
const clientAuthFlags: Readonly<Record<ClientAuthType, { readonly requestCert: boolean; readonly rejectUnauthorized: boolean }>> = {
  NoClientCert: { requestCert: false, rejectUnauthorized: false },
  RequestClientCert: { requestCert: true, rejectUnauthorized: false },
  RequireAnyClientCert: { requestCert: true, rejectUnauthorized: false },
  VerifyClientCertIfGiven: { requestCert: true, rejectUnauthorized: false },
  RequireAndVerifyClientCert: { requestCert: true, rejectUnauthorized: true },
}

/**
 * OpenSSL 3 refuses TLS 1.0 and 1.1 at security level 1 and above (their
 * handshakes sign with SHA-1 or MD5+SHA-1), and Node's default level is 1:
 * a server asked for them must lower it, or a TLS 1.0 client is refused
 * with "unsupported protocol" whatever minVersion says.
 */
const lowestSecurityLevel = '@SECLEVEL=0'

/** Node's default TLS 1.3 suites: what Go offers too, whatever cipherSuites says. */
const defaultTls13Suites = DEFAULT_CIPHERS.split(':').filter(isTls13Suite)

/**
 * Compiles one options set. `caPem` holds the text of each
 * `clientAuth.caFiles` entry, in order. Every problem is reported, each
 * message starting `tls options <name>: <option>: `; `options` is there
 * only when there is no error. Warnings are options accepted but not
 * served as written.
 */
export function compileTlsOptions(name: string, options: TlsOptionsInput, caPem: readonly string[]): TlsOptionsResult {
  const errors: string[] = []
  const warnings: string[] = []
  const report: Report = {
    error: (option, message) => void errors.push(`tls options ${name}: ${option}: ${message}`),
    warn: (option, message) => void warnings.push(`tls options ${name}: ${option}: ${message}`),
  }
  const range = compileVersions(options.minVersion, options.maxVersion, report)
  const legacy = range !== undefined && range.min.rank < tls12Rank
  const ciphers = compileCiphers(options.cipherSuites, range, report)
  const ecdhCurve = compileCurves(options.curvePreferences, report)
  const clientAuth = compileClientAuth(options.clientAuth, caPem, report)
  const alpnProtocols = compileAlpn(options.alpnProtocols, report)
  if (options.preferServerCipherSuites !== undefined) {
    report.warn('preferServerCipherSuites', 'deprecated in Traefik v3 and without effect; ignored')
  }
  if (errors.length > 0 || range === undefined || clientAuth === undefined) return { errors, warnings }

  // A list of TLS 1.3 suites alone refuses TLS 1.2 and older anyway (compileCiphers warns): nothing to lower.
  const lowered = legacy && (ciphers.list === undefined || ciphers.tls12)
  const cipherList = lowered ? `${ciphers.list ?? DEFAULT_CIPHERS}:${lowestSecurityLevel}` : ciphers.list
  if (lowered) {
    report.warn('minVersion', `${range.min.name} needs OpenSSL's security level 0 for these options, which also accepts weak keys and digests; TLS 1.0 and 1.1 are deprecated (RFC 8996)`)
  }
  const context: CompiledTlsOptions['context'] = {
    minVersion: range.min.node,
    maxVersion: range.max.node,
    ...(cipherList !== undefined && { ciphers: cipherList }),
    ...(ciphers.list !== undefined && { honorCipherOrder: true }),
    ...(ecdhCurve !== undefined && { ecdhCurve }),
    ...(clientAuth.ca !== undefined && { ca: clientAuth.ca }),
    ...(options.disableSessionTickets === true && { secureOptions: constants.SSL_OP_NO_TICKET }),
  }
  const compiled = {
    context: Object.freeze(context),
    clientAuth: Object.freeze({ type: clientAuth.type, ...clientAuthFlags[clientAuth.type] }),
    sniStrict: options.sniStrict ?? false,
    alpnProtocols: Object.freeze(alpnProtocols),
  }
  return { options: Object.freeze({ name, ...compiled, key: keyOf(compiled) }), errors, warnings }
}

/**
 * Whether the peer's certificate state after the handshake satisfies the
 * client auth type. Node's handshake enforces RequireAndVerifyClientCert
 * alone (`rejectUnauthorized`); the others complete and are checked here,
 * where Go would have failed the handshake.
 */
export function clientAuthSatisfied(type: ClientAuthType, peer: { readonly present: boolean; readonly authorized: boolean }): boolean {
  switch (type) {
    case 'NoClientCert':
    case 'RequestClientCert':
      return true
    case 'RequireAnyClientCert':
      return peer.present
    case 'VerifyClientCertIfGiven':
      return !peer.present || peer.authorized
    case 'RequireAndVerifyClientCert':
      return peer.present && peer.authorized
  }
}

interface Report {
  error(option: string, message: string): void
  warn(option: string, message: string): void
}

interface Version {
  readonly name: string
  readonly node: SecureVersion
  readonly rank: number
}

/** The version range; undefined when a name is unknown or the range is empty. */
function compileVersions(min: string | undefined, max: string | undefined, report: Report): { min: Version; max: Version } | undefined {
  const lowest = versionOf('minVersion', min ?? 'VersionTLS12', report)
  const highest = versionOf('maxVersion', max ?? 'VersionTLS13', report)
  if (lowest === undefined || highest === undefined) return undefined
  if (lowest.rank > highest.rank) {
    report.error('maxVersion', `${highest.name} is below ${min === undefined ? 'the default minVersion' : 'minVersion'} ${lowest.name}`)
    return undefined
  }
  return { min: lowest, max: highest }
}

function versionOf(option: string, name: string, report: Report): Version | undefined {
  const version = versions.get(name)
  if (version === undefined) {
    report.error(option, `unknown version ${JSON.stringify(name)} (expected ${[...versions.keys()].join(', ')})`)
    return undefined
  }
  return { name, ...version }
}

/**
 * The `ciphers` string for Go's suite names, in their order. Go ignores
 * cipherSuites for TLS 1.3; here TLS 1.3 names, when listed, choose the
 * TLS 1.3 suites, and Node's defaults are kept when none is listed so that
 * TLS 1.3 works as it does in Go. `tls12` says whether any suite for TLS
 * 1.2 and older is in the list.
 */
function compileCiphers(listed: readonly string[] | undefined, range: { min: Version; max: Version } | undefined, report: Report): { list?: string; tls12: boolean } {
  if (listed === undefined || listed.length === 0) return { tls12: false }
  const tls12: string[] = []
  const tls13: string[] = []
  let unknown = 0
  let unavailable = 0
  for (const goName of listed) {
    if (goName === fallbackScsv) {
      report.warn('cipherSuites', `${fallbackScsv} is a signalling value, not a cipher suite: OpenSSL answers it on its own; ignored`)
      continue
    }
    const openssl = goCipherSuites.get(goName)
    if (openssl === undefined) {
      unknown++
      report.error('cipherSuites', `unknown cipher suite ${JSON.stringify(goName)}`)
      continue
    }
    if (!nodeAccepts('ciphers', openssl)) {
      unavailable++
      report.warn('cipherSuites', `${goName} is not available in this Node (OpenSSL ${process.versions.openssl} has no ${openssl}) and is not offered`)
      continue
    }
    const suites = isTls13Suite(openssl) ? tls13 : tls12
    if (!suites.includes(openssl)) suites.push(openssl)
  }
  if (tls12.length === 0 && tls13.length === 0) {
    if (unknown === 0 && unavailable > 0) report.error('cipherSuites', `none of the listed cipher suites is available in this Node (OpenSSL ${process.versions.openssl})`)
    return { tls12: false }
  }
  if (tls12.length === 0 && range !== undefined && range.min.rank < tls13Rank) {
    if (range.max.rank < tls13Rank) {
      report.error('cipherSuites', `only TLS 1.3 suites are listed, but maxVersion is ${range.max.name}: no connection could be made`)
    } else {
      report.warn('cipherSuites', 'only TLS 1.3 suites are listed: TLS 1.2 and older connections have no cipher suite and are refused')
    }
  }
  return { list: [...tls12, ...(tls13.length > 0 ? tls13 : defaultTls13Suites)].join(':'), tls12: tls12.length > 0 }
}

/** The `ecdhCurve` list for curve names, in their order; undefined keeps Node's default. */
function compileCurves(listed: readonly string[] | undefined, report: Report): string | undefined {
  if (listed === undefined || listed.length === 0) return undefined
  const groups: string[] = []
  for (const goName of listed) {
    const group = goCurves.get(goName)
    if (group === undefined) {
      report.error('curvePreferences', `unknown curve ${JSON.stringify(goName)}`)
    } else if (!nodeAccepts('ecdhCurve', group)) {
      report.error('curvePreferences', `${goName} is not available in this Node (OpenSSL ${process.versions.openssl})`)
    } else if (!groups.includes(group)) {
      groups.push(group)
    }
  }
  return groups.join(':')
}

/**
 * The client auth type and the CA certificates to verify against. As in
 * Traefik's buildTLSConfig, CA files without a type mean
 * RequireAndVerifyClientCert. The CAs are only given to the context when a
 * certificate is requested: a server context's `ca` replaces Node's root
 * store, which nothing else on the server side needs.
 */
function compileClientAuth(
  clientAuth: TlsOptionsInput['clientAuth'],
  caPem: readonly string[],
  report: Report,
): { type: ClientAuthType; ca?: string[] } | undefined {
  const ca = caCertificates(clientAuth?.caFiles, caPem, report)
  const type = clientAuth?.clientAuthType ?? (caPem.length > 0 ? 'RequireAndVerifyClientCert' : 'NoClientCert')
  if (!Object.hasOwn(clientAuthFlags, type)) {
    report.error('clientAuth.clientAuthType', `unknown client auth type ${JSON.stringify(type)}`)
    return undefined
  }
  if ((type === 'VerifyClientCertIfGiven' || type === 'RequireAndVerifyClientCert') && caPem.length === 0) {
    report.error('clientAuth.clientAuthType', `${type} verifies client certificates, which needs clientAuth.caFiles`)
    return undefined
  }
  if (!clientAuthFlags[type].requestCert || ca.length === 0) return { type }
  Object.freeze(ca)
  return { type, ca }
}

/**
 * Every certificate of the CA texts, one PEM each. Node silently skips a CA
 * it cannot parse (and Go's AppendCertsFromPEM skips a bad block), so a
 * file that is not what it should be is reported here instead of leaving
 * clients unverifiable.
 */
function caCertificates(caFiles: readonly string[] | undefined, caPem: readonly string[], report: Report): string[] {
  const certificates: string[] = []
  for (const [index, text] of caPem.entries()) {
    const file = caFiles?.[index]
    const label = file !== undefined && !isInlinePem(file) ? file : `entry ${index + 1}`
    const blocks = certificateBlocks(text)
    if (blocks.length === 0) report.error('clientAuth.caFiles', `${label} holds no PEM certificate`)
    for (const [position, block] of blocks.entries()) {
      try {
        certificates.push(new X509Certificate(block).toString())
      } catch {
        report.error('clientAuth.caFiles', `certificate ${position + 1} of ${label} does not parse`)
      }
    }
  }
  return certificates
}

/**
 * The ALPN protocols offered to a connection: the listed ones (or
 * Traefik's default) that Junction serves HTTP on, in their order. An
 * empty list offers none, as in Go. `acme-tls/1` is never offered to a
 * connection that asks for HTTP: the TLS-ALPN-01 challenge (RFC 8737)
 * answers a ClientHello that offers it alone, with a certificate of its
 * own, before these options are used; listing it (Traefik's default does)
 * is not an error.
 */
function compileAlpn(listed: readonly string[] | undefined, report: Report): string[] {
  if (listed === undefined) return traefikAlpn.filter((protocol) => servedAlpn.includes(protocol))
  const kept: string[] = []
  const dropped: string[] = []
  for (const [index, protocol] of listed.entries()) {
    const bytes = Buffer.byteLength(protocol)
    if (bytes === 0) {
      report.error('alpnProtocols', `entry ${index + 1} is empty`)
    } else if (bytes > 255) {
      report.error('alpnProtocols', `entry ${index + 1} is ${bytes} bytes long; a protocol name has at most 255`)
    } else if (protocol === acmeTlsAlpn) {
      continue
    } else if (!servedAlpn.includes(protocol)) {
      if (!dropped.includes(protocol)) dropped.push(protocol)
    } else if (!kept.includes(protocol)) {
      kept.push(protocol)
    }
  }
  if (kept.length === 0 && dropped.length > 0) {
    report.error('alpnProtocols', `none of ${dropped.join(', ')} is served by Junction (it serves ${servedAlpn.join(', ')})`)
  } else {
    for (const protocol of dropped) report.warn('alpnProtocols', `${protocol} is not served by Junction and is not offered`)
  }
  return kept
}

// What this Node's OpenSSL accepts, by option and value: probed once per process.
const accepted = new Map<string, boolean>()

/** Whether `tls.createSecureContext` takes one cipher or curve name. */
function nodeAccepts(option: 'ciphers' | 'ecdhCurve', value: string): boolean {
  const id = `${option} ${value}`
  let ok = accepted.get(id)
  if (ok === undefined) {
    try {
      createSecureContext({ [option]: value })
      ok = true
    } catch {
      ok = false
    }
    accepted.set(id, ok)
  }
  return ok
}

/**
 * The cache key: canonical JSON (keys sorted) of everything compiled but
 * the name, with each CA as the sha256 of its PEM rather than its text.
 */
function keyOf(compiled: Omit<CompiledTlsOptions, 'name' | 'key'>): string {
  const { ca, ...context } = compiled.context
  const caDigests = Array.isArray(ca) ? ca.map((pem) => createHash('sha256').update(pem).digest('hex')) : undefined
  return JSON.stringify(sorted({ ...compiled, context: { ...context, ...(caDigests !== undefined && { ca: caDigests }) } }))
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted)
  if (value === null || typeof value !== 'object') return value
  const record = value as Record<string, unknown>
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, sorted(record[key])]))
}

/** Traefik's implicit `default` options when none are configured. */
export const defaultTlsOptions: CompiledTlsOptions = defaultOptions()

function defaultOptions(): CompiledTlsOptions {
  const { options, errors } = compileTlsOptions('default', {}, [])
  if (options === undefined) throw new Error(`tls options default: ${errors.join('; ')}`)
  return options
}
