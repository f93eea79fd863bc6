import { readFile } from 'node:fs/promises'
import { getCACertificates } from 'node:tls'
import type { DynamicConfig } from '../../config/dynamic.ts'
import { StaticConfigError } from '../../config/load-static.ts'
import type { CertificatesResolver, StaticConfig } from '../../config/static.ts'
import type { Logger } from '../../observability/logger.ts'
import type { RuleSyntax } from '../../rules/http-matcher.ts'
import type { CertificateInput } from '../certificate.ts'
import type { ChallengeOptions, ChallengeType } from './challenges.ts'
import type { Clock } from './clock.ts'
import type { DnsProvider } from './contracts.ts'
import { renewSchedule } from './renewal.ts'
import { CertificateResolver } from './resolver.ts'
import { AcmeSession } from './session.ts'
import { FileStorage, type AcmeStorage } from './storage.ts'
import { certificateWishes } from './wishes.ts'
import type { AcmeTls } from './acme-tls.ts'

/** Makes a DNS-01 provider by name from the environment; throws saying what is wrong (an unknown name, a missing variable). */
export type DnsProviderFactory = (name: string, env: Readonly<Record<string, string | undefined>>) => DnsProvider

/** One certificate, for the API, metrics and the dashboard. */
export interface CertificateStatus {
  readonly resolver: string
  readonly domain: { readonly main: string; readonly sans: readonly string[] }
  /** When it expires; the epoch for a stored certificate that does not parse (it is being ordered again). */
  readonly notAfter: Date
  readonly serialNumber: string
  readonly store: string
}

export interface AcmeOptions {
  readonly config: Pick<StaticConfig, 'certificatesResolvers' | 'entryPoints' | 'core'>
  /** Publishes a challenge answer to every worker (`Junction.setValue`). */
  readonly publish: (key: string, value: string | undefined) => Promise<void>
  readonly dnsProviders?: DnsProviderFactory
  /** Where DNS providers read their credentials: the process environment. */
  readonly env: Readonly<Record<string, string | undefined>>
  readonly clock: Clock
  readonly logger: Logger
  readonly signal: AbortSignal
  /** Called when the certificates or the notes changed: the control plane publishes a new generation. */
  readonly changed: () => void
}

/**
 * The certificate resolvers of the static configuration, in the control
 * plane: each configuration's wishes go to them (`apply`), and what they
 * hold comes back for the generation's TLS model.
 */
export class AcmeManager {
  readonly #resolvers: ReadonlyMap<string, CertificateResolver>
  readonly #wildcards: ReadonlyMap<string, { readonly wildcards: boolean }>
  readonly #options: AcmeOptions
  readonly #sessions: readonly AcmeSession[]

  private constructor(resolvers: Map<string, CertificateResolver>, wildcards: Map<string, { wildcards: boolean }>, sessions: AcmeSession[], options: AcmeOptions) {
    this.#resolvers = resolvers
    this.#wildcards = wildcards
    this.#sessions = sessions
    this.#options = options
  }

  /**
   * Reads each resolver's storage and makes its DNS provider and trust.
   *
   * @throws StaticConfigError listing every resolver that cannot work: an unknown DNS provider or one missing its variables, a `caCertificates` file that cannot be read.
   */
  static async start(options: AcmeOptions): Promise<AcmeManager> {
    const problems: string[] = []
    const storages = new Map<string, AcmeStorage>()
    const resolvers = new Map<string, CertificateResolver>()
    const wildcards = new Map<string, { wildcards: boolean }>()
    const sessions: AcmeSession[] = []
    for (const [name, resolver] of Object.entries(options.config.certificatesResolvers ?? {})) {
      const acme = resolver.acme
      if (acme === undefined) continue
      const at = `certificatesResolvers.${name}.acme`
      const challengeOptions = challengeSettings(acme, options, at, problems)
      const trust = await trustOf(acme, at, problems)
      if (challengeOptions === undefined || trust === undefined) continue
      let storage = storages.get(acme.storage)
      if (storage === undefined) storages.set(acme.storage, (storage = new FileStorage(acme.storage, options.logger)))
      let stored
      try {
        stored = await storage.load(name)
      } catch (error) {
        problems.push(`${at}.storage: ${(error as Error).message}`)
        continue
      }
      const session = new AcmeSession(
        {
          resolver: name,
          email: acme.email ?? '',
          caServer: acme.caServer,
          keyType: acme.keyType,
          ...(acme.preferredChain !== undefined && acme.preferredChain !== '' && { preferredChain: acme.preferredChain }),
          ...(acme.eab?.kid !== undefined && acme.eab.hmacEncoded !== undefined && { eab: { kid: acme.eab.kid, hmacEncoded: acme.eab.hmacEncoded } }),
          trust,
          challenges: challengeOptions.types,
          challengeOptions: challengeOptions.options,
        },
        stored.account,
        storage,
        options.logger,
        options.signal,
      )
      sessions.push(session)
      resolvers.set(
        name,
        new CertificateResolver(name, stored.certificates, {
          storage,
          order: (domains) => session.order(domains),
          schedule: renewSchedule(acme.certificatesDuration),
          clock: options.clock,
          logger: options.logger,
          signal: options.signal,
          changed: options.changed,
        }),
      )
      wildcards.set(name, { wildcards: challengeOptions.types.includes('dns-01') })
    }
    if (problems.length > 0) throw new StaticConfigError(problems)
    return new AcmeManager(resolvers, wildcards, sessions, options)
  }

  /** Hands a merged configuration's wishes to the resolvers (which order what is missing) and returns what the generation serves from them. */
  apply(config: DynamicConfig): AcmeTls {
    const { config: statics } = this.#options
    const { wishes, notes } = certificateWishes(config, {
      entryPoints: statics.entryPoints,
      resolvers: this.#wildcards,
      defaultRuleSyntax: statics.core.defaultRuleSyntax as RuleSyntax,
    })
    for (const [name, resolver] of this.#resolvers) resolver.want(wishes.filter((wish) => wish.resolver === name))
    const certificates: CertificateInput[] = []
    for (const resolver of this.#resolvers.values()) {
      for (const held of resolver.certificates) {
        if (held.notAfter > 0) certificates.push({ name: `${resolver.name}.acme/${held.domain.main}`, cert: held.cert, key: held.key, stores: [held.store] })
      }
    }
    const storeDefault = wishes.find((wish) => wish.storeDefault)
    const held = storeDefault === undefined ? undefined : this.#resolvers.get(storeDefault.resolver)?.find(storeDefault.domains)
    return {
      certificates,
      ...(held !== undefined && held.notAfter > 0 && { defaultCertificate: { name: `${storeDefault?.resolver}.acme/${held.domain.main}`, cert: held.cert, key: held.key } }),
      resolvers: new Set(this.#resolvers.keys()),
      notes: [...notes, ...[...this.#resolvers.values()].flatMap((resolver) => resolver.notes())],
    }
  }

  /** Every certificate the resolvers hold, with its expiry. */
  certificates(): CertificateStatus[] {
    return [...this.#resolvers.values()].flatMap((resolver) =>
      resolver.certificates.map((held) => ({
        resolver: resolver.name,
        domain: { main: held.domain.main, sans: [...held.domain.sans] },
        notAfter: new Date(held.notAfter),
        serialNumber: held.serialNumber,
        store: held.store,
      })),
    )
  }

  /** Closes the connections to the CAs (the signal has already ended every order and timer). */
  async close(): Promise<void> {
    await Promise.all(this.#sessions.map((session) => session.close()))
  }
}

type AcmeSection = NonNullable<CertificatesResolver['acme']>

/** The challenges a resolver answers, in the order it prefers them, and their options; undefined (with problems) when its DNS provider cannot be made. */
function challengeSettings(acme: AcmeSection, options: AcmeOptions, at: string, problems: string[]): { types: ChallengeType[]; options: Omit<ChallengeOptions, 'signal'> } | undefined {
  const types: ChallengeType[] = []
  if (acme.httpChallenge !== undefined) types.push('http-01')
  if (acme.tlsChallenge !== undefined) types.push('tls-alpn-01')
  let dns: ChallengeOptions['dns']
  const dnsChallenge = acme.dnsChallenge
  if (dnsChallenge !== undefined) {
    types.push('dns-01')
    const name = dnsChallenge.provider ?? ''
    if (options.dnsProviders === undefined) {
      problems.push(`${at}.dnsChallenge.provider: no DNS-01 providers were given to this Junction`)
      return undefined
    }
    try {
      dns = {
        provider: options.dnsProviders(name, options.env),
        resolvers: dnsChallenge.resolvers ?? [],
        delayBeforeCheck: dnsChallenge.propagation?.delayBeforeChecks ?? dnsChallenge.delayBeforeCheck ?? 0,
        disablePropagationCheck: dnsChallenge.propagation?.disableChecks ?? dnsChallenge.disablePropagationCheck ?? false,
      }
    } catch (error) {
      problems.push(`${at}.dnsChallenge.provider: ${(error as Error).message}`)
      return undefined
    }
  }
  return {
    types,
    options: {
      publish: options.publish,
      ...(acme.httpChallenge?.delay !== undefined && { httpDelay: acme.httpChallenge.delay }),
      ...(acme.tlsChallenge?.delay !== undefined && { tlsDelay: acme.tlsChallenge.delay }),
      ...(dns !== undefined && { dns }),
    },
  }
}

/** `caCertificates` read (with Node's own roots too under `caSystemCertPool`), and `caServerName`; undefined (with problems) when a file cannot be read. */
async function trustOf(acme: AcmeSection, at: string, problems: string[]): Promise<{ ca?: string[]; serverName?: string } | undefined> {
  const files = acme.caCertificates ?? []
  const ca: string[] = []
  let ok = true
  for (const [index, file] of files.entries()) {
    try {
      ca.push(file.includes('-----BEGIN') ? file : await readFile(file, 'utf8'))
    } catch (error) {
      problems.push(`${at}.caCertificates[${index}]: ${(error as Error).message}`)
      ok = false
    }
  }
  if (!ok) return undefined
  const serverName = acme.caServerName !== undefined && acme.caServerName !== '' ? acme.caServerName : undefined
  return {
    ...(ca.length > 0 && { ca: acme.caSystemCertPool === true ? [...getCACertificates('default'), ...ca] : ca }),
    ...(serverName !== undefined && { serverName }),
  }
}
