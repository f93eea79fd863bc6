/**
 * What the ACME control-plane side (orders, storage, renewal) and the
 * worker side (answering challenges) agree on. The control plane publishes
 * challenge answers through the values channel (`Junction.setValue`); every
 * worker reads them with `InstanceChannels.value(key)`, so a challenge is
 * answered by whichever worker the CA's connection reaches.
 */

/**
 * Key of an HTTP-01 answer: the value is the key authorization served as
 * the body of `GET /.well-known/acme-challenge/<token>` (RFC 8555 §8.3).
 */
export function httpChallengeKey(token: string): string {
  return `acme/http-01/${token}`
}

/**
 * Key of a TLS-ALPN-01 answer for a domain (lower case, no trailing dot):
 * the value is {@link TlsAlpnAnswer} as JSON, the self-signed certificate
 * with the acmeIdentifier extension (RFC 8737 §3) presented to a ClientHello
 * that offers only `acme-tls/1` for that name.
 */
export function tlsAlpnChallengeKey(domain: string): string {
  return `acme/tls-alpn-01/${domain}`
}

/** A TLS-ALPN-01 challenge certificate and its key, PEM. */
export interface TlsAlpnAnswer {
  readonly cert: string
  readonly key: string
}

/** The ALPN protocol of TLS-ALPN-01 (RFC 8737 §6.2). */
export const acmeTlsAlpn = 'acme-tls/1'

/** Where HTTP-01 challenges are asked for (RFC 8555 §8.3). */
export const httpChallengePrefix = '/.well-known/acme-challenge/'

/**
 * A DNS-01 provider: makes the TXT record `fqdn` (`_acme-challenge.<domain>.`,
 * with the trailing dot) hold `value` (the base64url SHA-256 of the key
 * authorization), and removes it again. `keyAuthorization` and `domain`
 * ride along for providers that want the raw values (lego's exec RAW mode).
 */
export interface DnsProvider {
  /** The provider's name, for messages. */
  readonly name: string
  /**
   * How long to wait for the record to be visible, and how often to look,
   * in ms, when the provider's settings say (lego's
   * `<PROVIDER>_PROPAGATION_TIMEOUT` and `_POLLING_INTERVAL`); the
   * resolver's own when absent.
   */
  readonly propagation?: { readonly timeout: number; readonly interval: number }
  /**
   * Set when the provider's challenges must be solved one at a time: the
   * pause between two, in ms (lego's `Sequential`, `_SEQUENCE_INTERVAL`).
   */
  readonly sequenceInterval?: number
  present(record: DnsChallengeRecord, signal: AbortSignal): Promise<void>
  cleanup(record: DnsChallengeRecord, signal: AbortSignal): Promise<void>
}

export interface DnsChallengeRecord {
  /** The domain being validated, without `*.` (RFC 8555 §8.4). */
  readonly domain: string
  /** `_acme-challenge.<domain>.` */
  readonly fqdn: string
  /** The TXT value: base64url(SHA-256(keyAuthorization)). */
  readonly value: string
  readonly token: string
  readonly keyAuthorization: string
}
