import type { CertificateInput } from '../certificate.ts'

/** Something about a router's certificate, for its runtime report (always a warning: the router is served, with the default store's certificates). */
export interface RouterNote {
  readonly router: string
  readonly message: string
}

/** What the certificate resolvers give a generation's TLS model (`resolveTls`). */
export interface AcmeTls {
  /** Every certificate the resolvers hold, for the stores they are for. */
  readonly certificates: readonly CertificateInput[]
  /** The certificate `tls.stores.default.defaultGeneratedCert` names, once held. */
  readonly defaultCertificate?: { readonly name: string; readonly cert: string; readonly key: string }
  /** The resolvers that exist, for messages about those that do not. */
  readonly resolvers: ReadonlySet<string>
  /** Per router: what keeps it from its certificate. */
  readonly notes: readonly RouterNote[]
}
