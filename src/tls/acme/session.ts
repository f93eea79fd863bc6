import { generateKeyPair } from 'node:crypto'
import { promisify } from 'node:util'
import { Client, crypto as acmeCrypto } from 'acme-client'
import type { Logger } from '../../observability/logger.ts'
import { challengeHandlers, type ChallengeOptions, type ChallengeType } from './challenges.ts'
import type { AcmeAccount, AcmeStorage } from './storage.ts'
import { useTransport } from './transport.ts'

/** A resolver's settings, from `certificatesResolvers.<name>.acme`. */
export interface SessionSettings {
  readonly resolver: string
  readonly email: string
  readonly caServer: string
  readonly keyType: string
  readonly preferredChain?: string
  readonly eab?: { readonly kid: string; readonly hmacEncoded: string }
  /** PEM certificates that sign the CA's HTTPS certificate, and the name it carries. */
  readonly trust: { readonly ca?: readonly string[]; readonly serverName?: string }
  /** The challenges configured, in the order they are preferred. */
  readonly challenges: readonly ChallengeType[]
  readonly challengeOptions: Omit<ChallengeOptions, 'signal'>
}

/** An issued certificate, PEM. */
export interface Issued {
  readonly cert: string
  readonly key: string
}

const generate = promisify(generateKeyPair)

/**
 * How acme-client polls a pending challenge or order: first after half a
 * second, doubling up to 10 s, for about a minute and a half in all
 * (acme-client's 5 s first wait would make every order take 5 s more).
 */
const polling = { backoffAttempts: 12, backoffMin: 500, backoffMax: 10_000 }

/**
 * One resolver's conversation with its CA: the acme-client `Client`, made
 * with the first order (a restart with valid certificates makes no request
 * at all), and the account it signs with — reused from storage when the CA
 * is the one it was made with, else registered (with the EAB when
 * configured) and stored.
 */
export class AcmeSession {
  readonly #settings: SessionSettings
  readonly #storage: AcmeStorage
  readonly #logger: Logger
  readonly #signal: AbortSignal
  #stored: AcmeAccount | undefined
  #client: Promise<Client> | undefined
  #close: (() => Promise<void>) | undefined

  constructor(settings: SessionSettings, stored: AcmeAccount | undefined, storage: AcmeStorage, logger: Logger, signal: AbortSignal) {
    this.#settings = settings
    this.#storage = storage
    this.#logger = logger
    this.#signal = signal
    this.#stored = stored !== undefined && sameCa(stored, settings.caServer) ? stored : undefined
    if (stored !== undefined && this.#stored === undefined) {
      logger.info({ resolver: settings.resolver }, `certificate resolver ${settings.resolver}: the stored account belongs to another CA than ${settings.caServer}; a new account is registered`)
    }
  }

  /** Orders a certificate for `domains` (main first); rejects with why it failed. */
  async order(domains: readonly string[]): Promise<Issued> {
    const client = await this.#connect()
    const settings = this.#settings
    const key = await certificateKey(settings.keyType)
    // A CN holds at most 64 characters (RFC 5280's ub-common-name); the names are in the SANs anyway.
    const main = domains[0] as string
    const [, csr] = await acmeCrypto.createCsr({ ...(main.length <= 64 && { commonName: main }), altNames: [...domains] }, key)
    const handlers = challengeHandlers(client, { ...settings.challengeOptions, signal: this.#signal })
    const cert = await client.auto({
      csr,
      termsOfServiceAgreed: true,
      // acme-client's own check asks the system's DNS and reaches the challenge from here; the CA's check is the one that counts.
      skipChallengeVerification: true,
      challengePriority: [...settings.challenges],
      challengeCreateFn: handlers.create,
      challengeRemoveFn: handlers.remove,
      ...(settings.preferredChain !== undefined && { preferredChain: settings.preferredChain }),
    })
    return { cert, key: key.toString() }
  }

  /** Closes the connections to the CA. */
  async close(): Promise<void> {
    await this.#close?.()
  }

  #connect(): Promise<Client> {
    if (this.#client === undefined) {
      const opening = this.#open()
      // A failed registration is tried again with the next order.
      opening.catch(() => {
        if (this.#client === opening) this.#client = undefined
      })
      this.#client = opening
    }
    return this.#client
  }

  async #open(): Promise<Client> {
    const settings = this.#settings
    const stored = this.#stored
    const accountKey = stored?.privateKey ?? (await accountKeyPem())
    const client = new Client({
      directoryUrl: settings.caServer,
      accountKey,
      ...(stored?.registration !== undefined && { accountUrl: stored.registration.uri }),
      ...(settings.eab !== undefined && { externalAccountBinding: { kid: settings.eab.kid, hmacKey: settings.eab.hmacEncoded } }),
      ...polling,
    })
    await this.#close?.()
    this.#close = useTransport(client, { ...settings.trust, signal: this.#signal })
    const contact = settings.email === '' ? [] : [`mailto:${settings.email}`]
    if (stored?.registration === undefined || stored.email !== settings.email) {
      // With an account URL acme-client updates the contact instead of registering again.
      const body = await client.createAccount({ termsOfServiceAgreed: true, contact })
      const account: AcmeAccount = { email: settings.email, registration: { body, uri: client.getAccountUrl() }, privateKey: accountKey, keyType: settings.keyType }
      await this.#storage.saveAccount(settings.resolver, account)
      this.#stored = account
      this.#logger.info({ resolver: settings.resolver }, `certificate resolver ${settings.resolver}: ACME account ${account.registration?.uri} ${stored?.registration === undefined ? 'registered' : 'updated'} at ${settings.caServer}`)
    }
    return client
  }
}

/** Traefik resets an account whose URL is on another host than the CA server (the CA changed). */
function sameCa(account: AcmeAccount, caServer: string): boolean {
  if (account.registration === undefined) return true
  try {
    return new URL(account.registration.uri).hostname === new URL(caServer).hostname
  } catch {
    return false
  }
}

/**
 * A new account key: RSA, so Traefik reads it back (it stores PKCS#1);
 * 2048 bits as certbot makes them, rather than Traefik's 4096, which take
 * seconds to generate for no gain an account needs.
 */
async function accountKeyPem(): Promise<string> {
  const { privateKey } = await generate('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
  return privateKey
}

/** The certificate's own key, of the resolver's `keyType`. */
function certificateKey(keyType: string): Promise<Buffer> {
  switch (keyType) {
    case 'EC256':
      return acmeCrypto.createPrivateEcdsaKey('P-256')
    case 'EC384':
      return acmeCrypto.createPrivateEcdsaKey('P-384')
    case 'RSA2048':
      return acmeCrypto.createPrivateRsaKey(2048)
    case 'RSA8192':
      return acmeCrypto.createPrivateRsaKey(8192)
    default:
      return acmeCrypto.createPrivateRsaKey(4096)
  }
}
