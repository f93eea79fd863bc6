import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A certificate and its private key, as PEM text. */
export interface TestCertificate {
  readonly cert: string
  readonly key: string
}

/** What to put in a test certificate. */
export interface CertificateSpec {
  /** The subject CN; none gives a subject of `O=Junction test` alone. */
  readonly cn?: string
  /** subjectAltName entries in openssl's form: `DNS:a.test`, `IP:127.0.0.1`. None: no SAN extension. */
  readonly san?: readonly string[]
  /** Another certificate (and key) for the same names: a distinct variant makes a distinct certificate. */
  readonly variant?: string
}

// Per test file: vitest loads this module once per file.
const made = new Map<string, TestCertificate>()

/**
 * A self-signed P-256 certificate valid for one day, made by the system
 * `openssl` in a temporary folder that is removed again. Made once per
 * spec within a test file (about 10 ms each).
 */
export function testCertificate(spec: CertificateSpec): TestCertificate {
  const id = JSON.stringify([spec.cn ?? null, spec.san ?? null, spec.variant ?? null])
  const cached = made.get(id)
  if (cached !== undefined) return cached
  const dir = mkdtempSync(join(tmpdir(), 'junction-tls-'))
  try {
    const keyFile = join(dir, 'key.pem')
    const certFile = join(dir, 'cert.pem')
    const subject = spec.cn === undefined ? '/O=Junction test' : `/CN=${spec.cn}`
    const san = spec.san === undefined ? [] : ['-addext', `subjectAltName=${spec.san.join(',')}`]
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', subject, ...san],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    const certificate = { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') }
    made.set(id, certificate)
    return certificate
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A test CA and a client certificate it signed. */
export interface TestClientCertificate {
  /** The CA's self-signed certificate (CA:TRUE, keyCertSign) and key. */
  readonly ca: TestCertificate
  /** The client's certificate (CA:FALSE, clientAuth) and key. */
  readonly client: TestCertificate
}

const madeClients = new Map<string, TestClientCertificate>()

/**
 * A P-256 CA and a client certificate signed by it, both valid for one day,
 * made by the system `openssl` in a temporary folder that is removed again.
 * Made once per `variant` within a test file; a distinct variant makes a
 * distinct CA.
 */
export function testClientCertificate(variant = ''): TestClientCertificate {
  const cached = madeClients.get(variant)
  if (cached !== undefined) return cached
  const dir = mkdtempSync(join(tmpdir(), 'junction-tls-ca-'))
  try {
    const file = (name: string): string => join(dir, name)
    const run = (args: readonly string[]): void => void execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] })
    const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
    const caSubject = `/CN=Junction test CA${variant === '' ? '' : ` ${variant}`}`
    const caExtensions = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']
    run(['req', '-x509', ...newKey, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '1', '-subj', caSubject, ...caExtensions])
    run(['req', '-new', ...newKey, '-keyout', file('client.key'), '-out', file('client.csr'), '-subj', '/CN=client.test'])
    // x509 -req takes its extensions from this file alone, not from the system openssl.cnf.
    writeFileSync(file('client.ext'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n')
    const serial = `0x${randomBytes(15).toString('hex')}`
    const signer = ['-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-set_serial', serial]
    run(['x509', '-req', '-in', file('client.csr'), ...signer, '-days', '1', '-extfile', file('client.ext'), '-out', file('client.pem')])
    const read = (name: string): string => readFileSync(file(name), 'utf8')
    const pair = { ca: { cert: read('ca.pem'), key: read('ca.key') }, client: { cert: read('client.pem'), key: read('client.key') } }
    madeClients.set(variant, pair)
    return pair
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * A TLS-ALPN-01 challenge certificate (RFC 8737 §3): self-signed for
 * `domain` alone, with the critical acmeIdentifier extension
 * (1.3.6.1.5.5.7.1.31) holding the SHA-256 of `keyAuthorization` as a DER
 * OCTET STRING. Made by the system `openssl`, as the other test
 * certificates are.
 */
export function testAlpnChallengeCertificate(domain: string, keyAuthorization: string): TestCertificate {
  const digest = createHash('sha256').update(keyAuthorization).digest('hex')
  const dir = mkdtempSync(join(tmpdir(), 'junction-tls-alpn-'))
  try {
    const keyFile = join(dir, 'key.pem')
    const certFile = join(dir, 'cert.pem')
    const extensions = ['-addext', `subjectAltName=DNS:${domain}`, '-addext', `1.3.6.1.5.5.7.1.31=critical,DER:0420${digest}`]
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', `/CN=${domain}`, ...extensions],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
