import { Resolver } from 'node:dns/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Authorization, Client } from 'acme-client'
import { crypto as acmeCrypto } from 'acme-client'
import { httpChallengeKey, tlsAlpnChallengeKey, type DnsChallengeRecord, type DnsProvider, type TlsAlpnAnswer } from './contracts.ts'

/** The challenge types a resolver answers, in the order it prefers them. */
export type ChallengeType = 'http-01' | 'tls-alpn-01' | 'dns-01'

/** A challenge as acme-client hands it over (RFC 8555 §8). */
interface Challenge {
  readonly type: string
  readonly token: string
  readonly url: string
}

/** What answering challenges needs. */
export interface ChallengeOptions {
  /** Publishes a value every worker answers (`Junction.setValue`); resolves once all have it. */
  readonly publish: (key: string, value: string | undefined) => Promise<void>
  /** `httpChallenge.delay` / `tlsChallenge.delay`: a wait between publishing the answer and asking the CA to validate. */
  readonly httpDelay?: number
  readonly tlsDelay?: number
  readonly dns?: {
    readonly provider: DnsProvider
    /** `dnsChallenge.resolvers` (`host[:port]`); none: the system's. */
    readonly resolvers: readonly string[]
    readonly delayBeforeCheck: number
    readonly disablePropagationCheck: boolean
  }
  readonly signal: AbortSignal
}

/** How long a TXT record may take to show in DNS (lego's default propagation timeout), and how often it is looked up, unless the provider says. */
const defaultPropagation = { timeout: 60_000, interval: 2_000 }

/**
 * acme-client's `challengeCreateFn` / `challengeRemoveFn` for a resolver:
 * HTTP-01 and TLS-ALPN-01 answers go to every worker through the values
 * channel (keys of `contracts.ts`), and the CA is asked to validate only
 * once every worker has them, so whichever worker the CA reaches answers;
 * DNS-01 goes through the resolver's DNS provider.
 */
export function challengeHandlers(client: Client, options: ChallengeOptions): {
  create: (authz: Authorization, challenge: Challenge, keyAuthorization: string) => Promise<void>
  remove: (authz: Authorization, challenge: Challenge, keyAuthorization: string) => Promise<void>
} {
  const { publish, signal } = options
  // lego's `Sequential` providers solve one challenge at a time, a pause between two.
  const sequence = options.dns?.provider.sequenceInterval === undefined ? undefined : new Sequence(options.dns.provider.sequenceInterval, signal)
  return {
    async create(authz, challenge, keyAuthorization) {
      const domain = authz.identifier.value
      switch (challenge.type) {
        case 'http-01':
          await publish(httpChallengeKey(challenge.token), keyAuthorization)
          return pause(options.httpDelay, signal)
        case 'tls-alpn-01': {
          // An ECDSA key: acme-client's default is a fresh RSA key per challenge, far slower to make.
          const [key, cert] = await acmeCrypto.createAlpnCertificate(authz, keyAuthorization, await acmeCrypto.createPrivateEcdsaKey())
          const answer: TlsAlpnAnswer = { cert: cert.toString(), key: key.toString() }
          await publish(tlsAlpnChallengeKey(domain), JSON.stringify(answer))
          return pause(options.tlsDelay, signal)
        }
        case 'dns-01': {
          const dns = requireDns(options, domain)
          const record = await dnsRecord(client, domain, challenge, keyAuthorization)
          await sequence?.enter(record)
          await dns.provider.present(record, signal)
          await pause(dns.delayBeforeCheck, signal)
          if (!dns.disablePropagationCheck) await waitForTxt(record, dns.resolvers, dns.provider.propagation ?? defaultPropagation, signal)
          return
        }
        default:
          throw new Error(`challenge type ${challenge.type} is not answered`)
      }
    },
    async remove(authz, challenge, keyAuthorization) {
      const domain = authz.identifier.value
      if (challenge.type === 'http-01') return publish(httpChallengeKey(challenge.token), undefined)
      if (challenge.type === 'tls-alpn-01') return publish(tlsAlpnChallengeKey(domain), undefined)
      if (challenge.type === 'dns-01') {
        const dns = requireDns(options, domain)
        const record = await dnsRecord(client, domain, challenge, keyAuthorization)
        try {
          await dns.provider.cleanup(record, signal)
        } finally {
          sequence?.leave(record)
        }
      }
    },
  }
}

function requireDns(options: ChallengeOptions, domain: string): NonNullable<ChallengeOptions['dns']> {
  if (options.dns === undefined) throw new Error(`${domain}: the CA offers only DNS-01, and this resolver has no dnsChallenge`)
  return options.dns
}

/**
 * The TXT record of a DNS-01 challenge. acme-client hands over the record's
 * value (the digest); the raw key authorization, which lego's exec provider
 * passes in RAW mode, is the HTTP-01 form of the same challenge.
 */
async function dnsRecord(client: Client, domain: string, challenge: Challenge, value: string): Promise<DnsChallengeRecord> {
  const keyAuthorization = await client.getChallengeKeyAuthorization({ ...challenge, type: 'http-01' } as Parameters<Client['getChallengeKeyAuthorization']>[0])
  return { domain, fqdn: `_acme-challenge.${domain}.`, value, token: challenge.token, keyAuthorization }
}

/** Looks the record up until it holds the value, for at most a minute: a CA asked too early fails the order. */
async function waitForTxt(record: DnsChallengeRecord, servers: readonly string[], { timeout, interval }: { timeout: number; interval: number }, signal: AbortSignal): Promise<void> {
  const resolver = new Resolver({ timeout: 2_000, tries: 2 })
  // Node takes `1.1.1.1`, `1.1.1.1:53` and `[::1]:53`, as Traefik's `dnsChallenge.resolvers` are written.
  if (servers.length > 0) resolver.setServers([...servers])
  const name = record.fqdn.slice(0, -1)
  const deadline = Date.now() + timeout
  let last = 'no answer yet'
  for (;;) {
    try {
      const found = (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''))
      if (found.includes(record.value)) return
      last = found.length === 0 ? 'no TXT record' : `TXT ${found.join(', ')}`
    } catch (error) {
      last = (error as Error).message
    }
    if (Date.now() + interval > deadline) throw new Error(`${record.fqdn}: the TXT record did not show in DNS within ${timeout / 1000} s (${last})`)
    await sleep(interval, undefined, { signal })
  }
}

async function pause(ms: number | undefined, signal: AbortSignal): Promise<void> {
  if (ms !== undefined && ms > 0) await sleep(ms, undefined, { signal })
}

/**
 * One DNS-01 challenge at a time: `enter` waits until the one before has
 * left and `interval` has passed since.
 */
class Sequence {
  readonly #interval: number
  readonly #signal: AbortSignal
  #tail: Promise<void> = Promise.resolve()
  readonly #leave = new Map<string, () => void>()

  constructor(interval: number, signal: AbortSignal) {
    this.#interval = interval
    this.#signal = signal
  }

  async enter(record: DnsChallengeRecord): Promise<void> {
    const before = this.#tail
    let left!: () => void
    const done = new Promise<void>((resolve) => (left = resolve))
    this.#tail = done.then(() => pause(this.#interval, this.#signal)).catch(() => undefined)
    await before
    this.#leave.set(record.value, left)
  }

  /** By value: an order for a name and its wildcard has two challenges on one fqdn. */
  leave(record: DnsChallengeRecord): void {
    this.#leave.get(record.value)?.()
    this.#leave.delete(record.value)
  }
}
