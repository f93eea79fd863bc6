/**
 * A worker's certificate store for one configuration generation, by
 * Traefik v3's rules: `tls.certificates[]` for the default store, chosen by
 * SNI (exact name, then a one-label wildcard, then the store's default
 * certificate; never another site's certificate for an unknown name).
 */
import { JunctionError } from '../errors.ts'
import { certificateDigest, parseCertificate, type CertificateInput, type CertificateProblem, type LoadedCertificate, type ParsedCertificate } from './certificate.ts'
import { SniIndex } from './sni-index.ts'

export type { CertificateInput, CertificateProblem, LoadedCertificate } from './certificate.ts'

/** Traefik v3 serves one store; certificates for any other are left out. */
const defaultStore = 'default'

/** What a build found: the store, and every problem of its entries. */
export interface CertificateStoreBuild {
  readonly store: CertificateStore
  readonly problems: CertificateProblem[]
}

/** The certificates of one generation, indexed by the names they serve. */
export class CertificateStore {
  /** The store's default certificate: an unknown or absent server name gets it. */
  readonly default: LoadedCertificate
  /** How many entries of `tls.certificates` loaded (the default not counted). */
  readonly size: number
  readonly #certificates: readonly LoadedCertificate[]
  readonly #index: SniIndex<LoadedCertificate>
  /** Parsed certificates by {@link certificateDigest}, for the next generation to reuse. */
  readonly #parsed: ReadonlyMap<string, ParsedCertificate>

  private constructor(defaultCertificate: LoadedCertificate, certificates: readonly LoadedCertificate[], index: SniIndex<LoadedCertificate>, parsed: ReadonlyMap<string, ParsedCertificate>) {
    this.default = defaultCertificate
    this.size = certificates.length
    this.#certificates = certificates
    this.#index = index
    this.#parsed = parsed
  }

  /**
   * Builds the index; `defaultCertificate` is the store's default
   * (configured or generated). `previous` lets secure contexts be reused
   * across generations when cert+key text is unchanged: such an entry is
   * not parsed again either. `now` is the clock expiry is checked against.
   *
   * An entry that does not parse, or whose key does not parse or match, is
   * a fatal problem and left out; the others still load. The default
   * certificate must load: the control plane checks a configured one with
   * {@link parseCertificate} and passes a generated one when it fails, as
   * Traefik does.
   *
   * @throws JunctionError JCT_ERR_DYNAMIC_CONFIG when the default certificate does not load
   */
  static build(
    inputs: readonly CertificateInput[],
    defaultCertificate: { readonly cert: string; readonly key: string },
    previous?: CertificateStore,
    now: Date = new Date(),
  ): CertificateStoreBuild {
    const problems: CertificateProblem[] = []
    const parsed = new Map<string, ParsedCertificate>()
    const reusable = previous === undefined ? undefined : previous.#parsed

    const load = (name: string, subject: string, cert: string, key: string): LoadedCertificate | string => {
      const digest = certificateDigest(cert, key)
      let certificate = parsed.get(digest) ?? reusable?.get(digest)
      if (certificate === undefined) {
        const result = parseCertificate(cert, key)
        if (!result.ok) return `${subject}: ${result.reason}`
        certificate = result.certificate
      }
      parsed.set(digest, certificate)
      if (certificate.notAfter.getTime() < now.getTime()) {
        // Traefik serves an expired certificate rather than none; say so.
        problems.push({ name, message: `${subject}: the certificate expired on ${certificate.notAfter.toISOString()} (it is still served)`, fatal: false })
      }
      return { name, names: certificate.names, notAfter: certificate.notAfter, context: certificate.context }
    }

    const fallback = load('default', 'tls default certificate', defaultCertificate.cert, defaultCertificate.key)
    if (typeof fallback === 'string') throw new JunctionError('JCT_ERR_DYNAMIC_CONFIG', fallback)

    const certificates: LoadedCertificate[] = []
    const index = new SniIndex<LoadedCertificate>()
    for (const input of inputs) {
      const subject = `tls certificate ${input.name}`
      const stores = input.stores !== undefined && input.stores.length > 0 ? input.stores : [defaultStore]
      const others = stores.filter((store) => store !== defaultStore)
      const served = others.length < stores.length
      if (others.length > 0) {
        const named = `${others.length === 1 ? 'store' : 'stores'} ${others.join(', ')}`
        const message = served ? `only the default store is served; ${named} ignored` : `only the default store is served; the certificate is for ${named} and is left out`
        problems.push({ name: input.name, message: `${subject}: ${message}`, fatal: false })
      }
      if (!served) continue

      const loaded = load(input.name, subject, input.cert, input.key)
      if (typeof loaded === 'string') {
        problems.push({ name: input.name, message: loaded, fatal: true })
        continue
      }
      certificates.push(loaded)
      if (loaded.names.length === 0) {
        problems.push({ name: input.name, message: `${subject}: the certificate names no DNS host, so no server name selects it`, fatal: false })
      }
      // Names an earlier certificate holds, grouped by that certificate: one warning per pair.
      const shadowed = new Map<LoadedCertificate, string[]>()
      for (const name of loaded.names) {
        const holder = index.claim(name, loaded)
        if (holder === loaded) continue
        const names = shadowed.get(holder)
        if (names === undefined) shadowed.set(holder, [name])
        else names.push(name)
      }
      for (const [holder, names] of shadowed) {
        const verb = names.length === 1 ? 'is' : 'are'
        problems.push({
          name: input.name,
          message: `${subject}: ${names.join(', ')} ${verb} already served by tls certificate ${holder.name}, which comes first and is kept`,
          fatal: false,
        })
      }
    }
    return { store: new CertificateStore(fallback, certificates, index, parsed), problems }
  }

  /** The certificate for an SNI server name (undefined or '' → default). */
  select(serverName: string | undefined): LoadedCertificate {
    if (serverName === undefined || serverName === '') return this.default
    return this.#index.find(serverName) ?? this.default
  }

  /** For the runtime report / observability: every loaded entry of `tls.certificates`, in configuration order, with names and expiry (the default is {@link CertificateStore.default}). */
  certificates(): readonly LoadedCertificate[] {
    return this.#certificates
  }
}
