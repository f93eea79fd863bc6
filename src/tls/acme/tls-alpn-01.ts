import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls'
import type { Socket } from 'node:net'
import type { ClientHello } from '../../connection/client-hello.ts'
import type { InstanceChannels } from '../../core/instance.ts'
import type { Logger } from '../../observability/logger.ts'
import { normaliseServerName } from '../sni-index.ts'
import { acmeTlsAlpn, tlsAlpnChallengeKey, type TlsAlpnAnswer } from './contracts.ts'

/**
 * How many domains' challenge contexts a worker keeps. An order validates a
 * handful of domains at a time; past this, the oldest is parsed again if
 * its CA comes back.
 */
const cachedDomains = 64

/**
 * Whether a ClientHello asks for a TLS-ALPN-01 validation: the CA offers
 * `acme-tls/1` and nothing else (RFC 8737 §3). A client that offers it
 * among others is an ordinary client, and never gets it (no ordinary
 * connection is offered `acme-tls/1`).
 */
export function asksTlsAlpnChallenge(hello: ClientHello): boolean {
  return hello.alpn.length === 1 && hello.alpn[0] === acmeTlsAlpn
}

/**
 * The TLS-ALPN-01 answers a worker presents: the challenge certificate the
 * control plane published for a domain (`tlsAlpnChallengeKey`), as a
 * secure context. A CA opens several validation connections, from several
 * places, for one challenge: the context is made once per published answer
 * and made again when the answer changes.
 */
export class TlsAlpnAnswers {
  readonly #channels: InstanceChannels
  readonly #logger: Logger
  readonly #contexts = new Map<string, { readonly answer: string; readonly context: SecureContext | string }>()

  constructor(channels: InstanceChannels, logger: Logger) {
    this.#channels = channels
    this.#logger = logger
  }

  /**
   * The context answering the challenge for `serverName`, or why there is
   * none (no SNI, nothing published, an answer that does not load).
   */
  context(serverName: string | undefined): SecureContext | string {
    if (serverName === undefined) return 'a TLS-ALPN-01 validation without SNI'
    const domain = normaliseServerName(serverName)
    const answer = this.#channels.value(tlsAlpnChallengeKey(domain))
    const cached = this.#contexts.get(domain)
    if (answer === undefined) {
      this.#contexts.delete(domain)
      return `no TLS-ALPN-01 answer is published for ${domain}`
    }
    if (cached?.answer === answer) return cached.context
    const context = load(domain, answer)
    // The control plane made this answer: one that does not load is its bug, said once per answer.
    if (typeof context === 'string') this.#logger.error({ domain }, context)
    this.#contexts.delete(domain)
    this.#contexts.set(domain, { answer, context })
    if (this.#contexts.size > cachedDomains) this.#contexts.delete(this.#contexts.keys().next().value as string)
    return context
  }
}

/** The secure context of a published answer, or why it does not load (a bad answer is kept as such: it is not parsed again per connection). */
function load(domain: string, answer: string): SecureContext | string {
  try {
    const { cert, key } = JSON.parse(answer) as TlsAlpnAnswer
    // RFC 8737 §4: the validation runs on TLS 1.2 or later.
    return createSecureContext({ cert, key, minVersion: 'TLSv1.2' })
  } catch (error) {
    return `the TLS-ALPN-01 answer published for ${domain} does not load: ${(error as Error).message}`
  }
}

/**
 * Completes a TLS-ALPN-01 validation handshake on `raw` (its ClientHello
 * still unread) with the challenge context, negotiating `acme-tls/1`, and
 * closes the connection once the handshake is done: RFC 8737 §3 has no
 * application data on it. A handshake that does not finish within
 * `timeoutMs` is cut off; `failed` is told why a handshake failed.
 */
export function answerTlsAlpnChallenge(raw: Socket, context: SecureContext, timeoutMs: number, failed: (error: Error) => void): void {
  const socket = new TLSSocket(raw, { isServer: true, secureContext: context, ALPNProtocols: [acmeTlsAlpn] })
  const timer = setTimeout(() => socket.destroy(), timeoutMs)
  timer.unref()
  socket.once('close', () => clearTimeout(timer))
  const fail = (error: Error): void => {
    failed(error)
    socket.destroy()
  }
  raw.on('error', fail)
  socket.on('error', fail)
  socket.once('secure', () => socket.end())
}
