import { addError, entryOf, type RuntimeReport } from '../config/report.ts'
import type { Logger } from '../observability/logger.ts'
import { CertificateStore } from '../tls/certificate-store.ts'
import { defaultGeneratedCertificate } from '../tls/default-certificate.ts'
import type { TlsModel } from '../tls/tls-model.ts'

let fallback: CertificateStore | undefined

/** A store with only the generated default certificate: generation 0, and tables built without a TLS model. */
export function fallbackCertificates(): CertificateStore {
  fallback ??= CertificateStore.build([], defaultGeneratedCertificate()).store
  return fallback
}

/**
 * The generation's certificate store, indexed for SNI. Secure contexts of
 * certificates that did not change are taken over from `previous`, so a
 * reload does not rebuild them. A certificate that cannot be used disables
 * that certificate alone, reported under its file (or `#<index>` when inline).
 */
export function buildCertificates(tls: TlsModel | undefined, previous: CertificateStore | undefined, report: RuntimeReport, logger: Logger): CertificateStore {
  if (tls === undefined) return fallbackCertificates()
  for (const certificate of tls.certificates) entryOf(report, 'tlsCertificates', certificate.name)
  const { store, problems } = CertificateStore.build(tls.certificates, tls.defaultCertificate, previous)
  const all = [...tls.problems, ...problems.map((problem) => ({ section: 'tlsCertificates' as const, ...problem }))]
  for (const problem of all) {
    addError(entryOf(report, problem.section, problem.name), problem.message, problem.fatal)
    logger[problem.fatal ? 'error' : 'warn'](problem.message)
  }
  return store
}
