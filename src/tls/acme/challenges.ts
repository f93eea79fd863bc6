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

/** How long a TXT record may take to show in DNS (lego's default propagation timeout), and how often it is looked up. */
const propagationTimeout = 60_000
const propagationInterval = 2_000

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
          await dns.provider.present(record, signal)
          await pause(dns.delayBeforeCheck, signal)
          if (!dns.disablePropagationCheck) await waitForTxt(record, dns.resolvers, signal)
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
        return dns.provider.cleanup(await dnsRecord(client, domain, challenge, keyAuthorization), signal)
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
async function waitForTxt(record: DnsChallengeRecord, servers: readonly string[], signal: AbortSignal): Promise<void> {
  const resolver = new Resolver({ timeout: 2_000, tries: 2 })
  // Node takes `1.1.1.1`, `1.1.1.1:53` and `[::1]:53`, as Traefik's `dnsChallenge.resolvers` are written.
  if (servers.length > 0) resolver.setServers([...servers])
  const name = record.fqdn.slice(0, -1)
  const deadline = Date.now() + propagationTimeout
  let last = 'no answer yet'
  for (;;) {
    try {
      const found = (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''))
      if (found.includes(record.value)) return
      last = found.length === 0 ? 'no TXT record' : `TXT ${found.join(', ')}`
    } catch (error) {
      last = (error as Error).message
    }
    if (Date.now() + propagationInterval > deadline) throw new Error(`${record.fqdn}: the TXT record did not show in DNS within ${propagationTimeout / 1000} s (${last})`)
    await sleep(propagationInterval, undefined, { signal })
  }
}

async function pause(ms: number | undefined, signal: AbortSignal): Promise<void> {
  if (ms !== undefined && ms > 0) await sleep(ms, undefined, { signal })
}
