import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
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
