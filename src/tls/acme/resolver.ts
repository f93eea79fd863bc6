import { X509Certificate } from 'node:crypto'
import type { Logger } from '../../observability/logger.ts'
import { parseCertificate } from '../certificate.ts'
import { certificateBlocks } from '../pem.ts'
import type { Clock } from './clock.ts'
import { covered, domainKey, domainList, domainSet } from './domains.ts'
import { Backoff, renewalDue, type RenewSchedule } from './renewal.ts'
import type { Issued } from './session.ts'
import type { AcmeStorage, StoredCertificate } from './storage.ts'
import type { CertificateWish } from './wishes.ts'
import type { RouterNote } from './acme-tls.ts'

/** A certificate a resolver holds, with what renewal and the report read of it. */
export interface HeldCertificate extends StoredCertificate {
  /** The names it serves (its DNS SANs); its stored domains when it does not parse. */
  readonly names: readonly string[]
  /** Milliseconds since the epoch; 0 when it does not parse (so it is renewed). */
  readonly notAfter: number
  /** The leaf's serial number (hex), '' when it does not parse. */
  readonly serialNumber: string
}

/** What a resolver needs around it. */
export interface ResolverDependencies {
  readonly storage: AcmeStorage
  /** Orders one certificate (see `AcmeSession.order`). */
  readonly order: (domains: readonly string[]) => Promise<Issued>
  readonly schedule: RenewSchedule
  readonly clock: Clock
  readonly logger: Logger
  readonly signal: AbortSignal
  /** Called when what the resolver serves or reports changed: a certificate issued or renewed, an order failed. */
  readonly changed: () => void
}

interface Failure {
  readonly domains: readonly string[]
  readonly message: string
  readonly retryAt: number
}

/**
 * One certificate resolver: the certificates it holds (from storage, then
 * issued), the orders it has out, and when to renew. It orders the names
 * a configuration wants that none of its certificates (nor an order under
 * way) covers — only those names, as Traefik does — and renews a
 * certificate some wish still uses once it is within the schedule's window
 * of expiry. An order that fails waits its backoff before the same names
 * are ordered again; meanwhile the old certificate, or the default one, is
 * served.
 */
export class CertificateResolver {
  readonly name: string
  readonly #deps: ResolverDependencies
  #certificates: HeldCertificate[]
  #wishes: readonly CertificateWish[] = []
  readonly #inFlight = new Map<string, readonly string[]>()
  readonly #failures = new Map<string, Failure>()
  readonly #backoff = new Backoff()
  /** Keys with a retry timer armed, so one failure arms one timer. */
  readonly #retrying = new Set<string>()
  #ticking = false

  constructor(name: string, stored: readonly StoredCertificate[], deps: ResolverDependencies) {
    this.name = name
    this.#deps = deps
    this.#certificates = stored.map(hold)
    for (const certificate of this.#certificates) {
      if (certificate.notAfter === 0) deps.logger.warn({ resolver: name }, `certificate resolver ${name}: the stored certificate for ${domainList(certificate.domain).join(', ')} does not parse; it is ordered again`)
    }
  }

  /** Every certificate held, in storage order. */
  get certificates(): readonly HeldCertificate[] {
    return this.#certificates
  }

  /** Takes the wishes of a new configuration (this resolver's alone) and orders or renews what they need. */
  want(wishes: readonly CertificateWish[]): void {
    this.#wishes = wishes
    const keys = new Set(wishes.map((wish) => domainKey(wish.domains)))
    this.#backoff.keep(new Set([...keys, ...this.#certificates.map((held) => domainKey(domainList(held.domain)))]))
    // Renewals wait for the schedule's checks (the first one now), as Traefik's: a CA that issues
    // certificates shorter than the renewal window is asked again once per interval, not at every generation.
    this.#reconcile(!this.#ticking)
    if (!this.#ticking) this.#tick()
  }

  /** The certificate that covers every name of `domains`, if one is held. */
  find(domains: readonly string[]): HeldCertificate | undefined {
    return this.#certificates.find((held) => domains.every((domain) => covered(domain, held.names)))
  }

  /** Why the routers that want a certificate are still served without it: each failed order, on the routers whose names it held. */
  notes(): RouterNote[] {
    const notes: RouterNote[] = []
    for (const failure of this.#failures.values()) {
      const retry = new Date(failure.retryAt).toISOString()
      for (const wish of this.#wishes) {
        if (!failure.domains.some((domain) => wish.domains.includes(domain))) continue
        for (const router of wish.routers) {
          notes.push({
            router,
            message: `router ${router}: certificate resolver ${this.name}: ordering a certificate for ${failure.domains.join(', ')} failed (${failure.message}); next attempt at ${retry}, until then it is served with the default store's certificates`,
          })
        }
      }
    }
    return notes
  }

  /** Orders what the wishes lack, and with `renewals` renews what is due. */
  #reconcile(renewals: boolean): void {
    const now = this.#deps.clock.now()
    for (const held of renewals ? this.#certificates : []) {
      if (renewalDue(held.notAfter, now, this.#deps.schedule) && this.#wishes.some((wish) => wish.domains.some((domain) => covered(domain, held.names)))) {
        this.#order(domainList(held.domain), 'renew')
      }
    }
    for (const wish of this.#wishes) {
      const pending = [...this.#inFlight.values()].flat()
      const unchecked = wish.domains.filter((domain) => !this.#certificates.some((held) => covered(domain, held.names)) && !covered(domain, pending))
      if (unchecked.length > 0) this.#order(unchecked, 'new')
    }
  }

  /** Renewal checks on the schedule's interval, for as long as the control plane runs. */
  #tick(): void {
    this.#ticking = true
    this.#deps.clock.timer(this.#deps.schedule.every, () => {
      this.#reconcile(true)
      this.#tick()
    }, this.#deps.signal)
  }

  #order(domains: readonly string[], why: 'new' | 'renew'): void {
    const { clock, logger, signal } = this.#deps
    const key = domainKey(domains)
    if (this.#inFlight.has(key) || signal.aborted) return
    const wait = this.#backoff.nextAttempt(key) - clock.now()
    if (wait > 0) {
      if (!this.#retrying.has(key)) {
        this.#retrying.add(key)
        clock.timer(wait, () => {
          this.#retrying.delete(key)
          this.#reconcile(true)
        }, signal)
      }
      return
    }
    this.#inFlight.set(key, domains)
    const names = domains.join(', ')
    logger.info({ resolver: this.name, domains }, `certificate resolver ${this.name}: ${why === 'renew' ? 'renewing' : 'ordering'} a certificate for ${names}`)
    untilAborted(this.#deps.order(domains), signal)
      .then(
        (issued) => {
          this.#inFlight.delete(key)
          return this.#issued(domains, issued, why)
        },
        (error: unknown) => {
          this.#inFlight.delete(key)
          this.#failed(domains, error as Error)
        },
      )
      .catch((error: unknown) => logger.error({ resolver: this.name }, `certificate resolver ${this.name}: ${(error as Error).message}`))
  }

  async #issued(domains: readonly string[], issued: Issued, why: 'new' | 'renew'): Promise<void> {
    const key = domainKey(domains)
    const held = hold({ domain: domainSet(domains), cert: issued.cert, key: issued.key, store: 'default' })
    if (held.notAfter === 0) return this.#failed(domains, new Error('the CA sent a certificate that does not parse or does not match its key'))
    const index = this.#certificates.findIndex((certificate) => domainKey(domainList(certificate.domain)) === key)
    this.#certificates = index === -1 ? [...this.#certificates, held] : this.#certificates.map((certificate, i) => (i === index ? held : certificate))
    this.#backoff.succeeded(key)
    this.#failures.delete(key)
    const until = new Date(held.notAfter).toISOString()
    this.#deps.logger.info({ resolver: this.name, domains }, `certificate resolver ${this.name}: certificate for ${domains.join(', ')} ${why === 'renew' ? 'renewed' : 'issued'}, valid until ${until}`)
    this.#deps.changed()
    try {
      await this.#deps.storage.saveCertificates(this.name, this.#certificates.map(({ domain, cert, key: pem, store }) => ({ domain, cert, key: pem, store })))
    } catch (error) {
      this.#deps.logger.error({ resolver: this.name }, `certificate resolver ${this.name}: storing the certificate for ${domains.join(', ')}: ${(error as Error).message}; it is served, but ordered again after a restart`)
    }
  }

  #failed(domains: readonly string[], error: Error): void {
    if (this.#deps.signal.aborted) return
    const key = domainKey(domains)
    const retryAt = this.#backoff.failed(key, this.#deps.clock.now())
    const message = error.message
    this.#failures.set(key, { domains, message, retryAt })
    this.#deps.logger.error({ resolver: this.name, domains }, `certificate resolver ${this.name}: ordering a certificate for ${domains.join(', ')} failed: ${message}; next attempt at ${new Date(retryAt).toISOString()}`)
    this.#deps.changed()
    // Arms the retry (the backoff keeps the same names from being ordered now).
    this.#reconcile(true)
  }
}

/** A stored certificate with its names, expiry and serial read from its leaf (the key checked against it). */
function hold(stored: StoredCertificate): HeldCertificate {
  const parsed = parseCertificate(stored.cert, stored.key)
  if (!parsed.ok) return { ...stored, names: domainList(stored.domain), notAfter: 0, serialNumber: '' }
  const leaf = new X509Certificate(certificateBlocks(stored.cert)[0] as string)
  return { ...stored, names: parsed.certificate.names, notAfter: parsed.certificate.notAfter.getTime(), serialNumber: leaf.serialNumber }
}

/** The promise, or a rejection as soon as the signal aborts (the order is left to end on its own, see `transport.ts`). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
