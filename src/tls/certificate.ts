/**
 * One certificate entry, from PEM text to what a certificate store serves:
 * the leaf's DNS names, its expiry, and a secure context made on first use.
 * No file I/O: the control plane has already read the files.
 */
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto'
import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls'
import { certificateBlocks } from './pem.ts'
import { normaliseServerName } from './sni-index.ts'

/** A `tls.certificates[]` entry, its PEM text already resolved. */
export interface CertificateInput {
  /** Where it came from, for messages: the certFile path, or `#<index>` for inline PEM. */
  readonly name: string
  /** PEM, possibly a chain (leaf first). */
  readonly cert: string
  /** PEM private key. */
  readonly key: string
  /** The stores it is for; none means `['default']`. */
  readonly stores?: readonly string[]
}

/** Something wrong with one entry. A fatal problem leaves the entry out; the others still load. */
export interface CertificateProblem {
  readonly name: string
  readonly message: string
  readonly fatal: boolean
}

/** A certificate as a store serves it. */
export interface LoadedCertificate {
  readonly name: string
  /**
   * The DNS names the certificate carries, lower-cased, without a trailing
   * dot: its SAN DNS entries, or its subject CN when it has no DNS SAN.
   * When two certificates carry one name, the store serves it with the
   * first; the later one still lists it here.
   */
  readonly names: readonly string[]
  readonly notAfter: Date
  /** The secure context with a set of TLS options (Node's defaults without): created on first use, then kept. */
  readonly context: (options?: ContextOptions) => SecureContext
}

/** What parsing a cert and key gives, shared by every entry with the same text. */
export interface ParsedCertificate {
  readonly names: readonly string[]
  readonly notAfter: Date
  readonly context: (options?: ContextOptions) => SecureContext
}

/** A parsed certificate, or why it could not be. */
export type ParseResult = { readonly ok: true; readonly certificate: ParsedCertificate } | { readonly ok: false; readonly reason: string }

/** TLS options a secure context is made with (versions, ciphers, client CAs), and a key that tells two sets apart. */
export interface ContextOptions {
  readonly key: string
  readonly context: Readonly<SecureContextOptions>
}

/** Makes the secure context of a certificate and its key, with a set of TLS options: the one place contexts are made. */
export function createCertificateContext(cert: string, key: string, options?: ContextOptions): SecureContext {
  return createSecureContext({ ...options?.context, cert, key })
}

/**
 * A digest of a cert and key text, to find an unchanged entry in the last
 * generation without keeping both texts as a map key. The cert's length
 * goes first so that no two (cert, key) pairs hash the same text.
 */
export function certificateDigest(cert: string, key: string): string {
  return createHash('sha256').update(`${cert.length}:`).update(cert).update(key).digest('base64')
}

/**
 * Parses a cert (leaf first, then its chain) and its private key: every
 * CERTIFICATE block must parse, the key must parse and match the leaf.
 * `reason` says what failed, without the entry's name.
 */
export function parseCertificate(cert: string, key: string): ParseResult {
  const blocks = certificateBlocks(cert)
  if (blocks.length === 0) return { ok: false, reason: 'the certificate is not PEM: it has no BEGIN CERTIFICATE block' }
  let leaf: X509Certificate | undefined
  for (const [index, block] of blocks.entries()) {
    try {
      const parsed = new X509Certificate(block)
      leaf ??= parsed
    } catch {
      return { ok: false, reason: index === 0 ? 'the certificate does not parse' : `certificate ${index + 1} of the chain does not parse` }
    }
  }
  if (leaf === undefined) return { ok: false, reason: 'the certificate does not parse' }
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey(key)
  } catch {
    return { ok: false, reason: isEncryptedKey(key) ? 'the key is encrypted (only unencrypted keys are read)' : 'the key does not parse' }
  }
  let matches = false
  try {
    matches = leaf.checkPrivateKey(privateKey)
  } catch {
    // A key of another type than the certificate's: no match either.
  }
  if (!matches) return { ok: false, reason: 'the key does not match the certificate' }
  return { ok: true, certificate: { names: certificateNames(leaf), notAfter: leaf.validToDate, context: lazyContext(cert, key) } }
}

/**
 * The names a certificate serves by SNI: its SAN DNS entries, or its
 * subject CN when it has no DNS SAN (as OpenSSL's and Node's host checks
 * read it: a client would reject a CN-only match on a certificate that has
 * DNS SANs). IP-address SANs are not indexed: SNI carries host names only
 * (RFC 6066), so a client that connects by IP sends none and gets the
 * default certificate.
 */
export function certificateNames(certificate: X509Certificate): string[] {
  const sans = dnsNamesOf(certificate.subjectAltName)
  const names = sans.length > 0 ? sans : commonNamesOf(certificate.subject)
  return [...new Set(names.map(normaliseServerName).filter((name) => name !== ''))]
}

/**
 * The DNS entries of Node's `subjectAltName` text: `TYPE:value` entries
 * joined by `, `. Node writes a value that holds a comma, a quote, a
 * backslash or a control character as a JSON string literal
 * (CVE-2021-44532), so a plain value never holds `, ` and a quoted one is
 * read to its closing quote. One pass, no regular expression.
 *
 * @example dnsNamesOf('DNS:a.test, IP Address:127.0.0.1, DNS:*.b.test') // ['a.test', '*.b.test']
 */
export function dnsNamesOf(subjectAltName: string | undefined): string[] {
  const names: string[] = []
  if (subjectAltName === undefined) return names
  const text = subjectAltName
  let pos = 0
  while (pos < text.length) {
    const colon = text.indexOf(':', pos)
    if (colon === -1) break
    const type = text.slice(pos, colon)
    let value: string | undefined
    let next: number
    if (text.charCodeAt(colon + 1) === 0x22 /* " */) {
      let end = colon + 2
      while (end < text.length && text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c /* \ */ ? 2 : 1
      value = jsonString(text.slice(colon + 1, end + 1))
      next = text.indexOf(', ', end + 1)
    } else {
      next = text.indexOf(', ', colon + 1)
      value = text.slice(colon + 1, next === -1 ? text.length : next)
    }
    if (type === 'DNS' && value !== undefined) names.push(value)
    if (next === -1) break
    pos = next + 2
  }
  return names
}

/** The CN values of Node's multi-line `subject` text (`CN=a.test\nO=Example`). */
function commonNamesOf(subject: string): string[] {
  const names: string[] = []
  let pos = 0
  while (pos <= subject.length) {
    const newline = subject.indexOf('\n', pos)
    const end = newline === -1 ? subject.length : newline
    if (subject.startsWith('CN=', pos)) names.push(subject.slice(pos + 3, end))
    pos = end + 1
  }
  return names
}

/**
 * Whether a PEM key is encrypted: PKCS #8's ENCRYPTED PRIVATE KEY block, or
 * a traditional block with `Proc-Type: 4,ENCRYPTED`. Read from the text, as
 * OpenSSL's error for it (`interrupted or cancelled`) does not say so.
 */
function isEncryptedKey(pem: string): boolean {
  return pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || pem.includes('Proc-Type: 4,ENCRYPTED')
}

/** A JSON string literal's value; undefined when it is not one (a truncated quote). */
function jsonString(literal: string): string | undefined {
  try {
    const value: unknown = JSON.parse(literal)
    return typeof value === 'string' ? value : undefined
  } catch {
    return undefined
  }
}

/**
 * The contexts of one cert and key, one per set of TLS options, each made
 * on first use. The texts stay while the certificate does: another set of
 * options may still ask for a context. A failure is kept and thrown again,
 * so a broken entry does not cost a new attempt at every handshake.
 */
function lazyContext(cert: string, key: string): (options?: ContextOptions) => SecureContext {
  const made = new Map<string, SecureContext | Error>()
  return (options) => {
    const id = options?.key ?? ''
    let entry = made.get(id)
    if (entry === undefined) {
      try {
        entry = createCertificateContext(cert, key, options)
      } catch (error) {
        entry = new Error(`tls secure context: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
      }
      made.set(id, entry)
    }
    if (entry instanceof Error) throw entry
    return entry
  }
}
