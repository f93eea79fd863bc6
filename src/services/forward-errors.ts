import type { ExchangeFailure, FailureKind } from '../core/outcome.ts'
import { JunctionError, type ErrorCode } from '../errors.ts'

/** Error codes (Node's, undici's and Junction's own) by what they mean for the exchange. */
const kinds: Readonly<Record<string, FailureKind>> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'refused',
  EAI_AGAIN: 'refused',
  EHOSTUNREACH: 'refused',
  ENETUNREACH: 'refused',
  EADDRNOTAVAIL: 'refused',
  UND_ERR_CONNECT_TIMEOUT: 'dial-timeout',
  // http-proxy-3's connectTimeout, for upgrades.
  ECONNECT_TIMEOUT: 'dial-timeout',
  ETIMEDOUT: 'dial-timeout',
  UND_ERR_HEADERS_TIMEOUT: 'header-timeout',
  JCT_ERR_GATEWAY_TIMEOUT: 'header-timeout',
  JCT_ERR_CLIENT_CLOSED: 'client-closed',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  UND_ERR_ABORTED: 'reset',
  HPE_INVALID_CONSTANT: 'protocol',
  UND_ERR_INVALID_ARG: 'protocol',
  ERR_INVALID_CHAR: 'protocol',
  ERR_HTTP_INVALID_HEADER_VALUE: 'protocol',
  ERR_INVALID_HTTP_TOKEN: 'protocol',
}

/**
 * The answer owed to the client for each kind, as Traefik computes it from
 * Go's error: a timeout (the connection not made within `dialTimeout`, or
 * no response headers within `responseHeaderTimeout`) is a 504; 499
 * (logged, never sent) when the client left; 502 for everything else,
 * refused connections and resets included.
 */
const answers: Readonly<Record<FailureKind, ErrorCode>> = {
  refused: 'JCT_ERR_BAD_GATEWAY',
  'dial-timeout': 'JCT_ERR_GATEWAY_TIMEOUT',
  tls: 'JCT_ERR_BAD_GATEWAY',
  reset: 'JCT_ERR_BAD_GATEWAY',
  'header-timeout': 'JCT_ERR_GATEWAY_TIMEOUT',
  protocol: 'JCT_ERR_BAD_GATEWAY',
  'no-server': 'JCT_ERR_NO_SERVER',
  'client-closed': 'JCT_ERR_CLIENT_CLOSED',
  internal: 'JCT_ERR_INTERNAL',
}

/** What kind of failure an error from a forwarder is. TLS errors have many codes; they share prefixes. */
export function failureKind(error: unknown): FailureKind {
  const code = (error as { code?: unknown } | undefined)?.code
  if (typeof code !== 'string') return 'reset'
  const known = kinds[code]
  if (known !== undefined) return known
  if (code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.includes('CERT') || code.includes('SELF_SIGNED') || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') {
    return 'tls'
  }
  if (code.startsWith('HPE_')) return 'protocol'
  return 'reset'
}

/**
 * Describes a failed exchange. `headForwarded` says whether the server's
 * response head already went to the client: then the phase is
 * `after-headers` and the only signal left is a broken connection.
 *
 * @example
 * exchangeFailure(error, false) // { kind: 'refused', phase: 'before-headers', code: 'JCT_ERR_BAD_GATEWAY', cause: error }
 */
export function exchangeFailure(error: unknown, headForwarded: boolean): ExchangeFailure {
  const kind = failureKind(error)
  return { kind, phase: headForwarded ? 'after-headers' : 'before-headers', code: answers[kind], cause: error }
}

/** The code a failure kind is answered with. */
export function failureCode(kind: FailureKind): ErrorCode {
  return answers[kind]
}

/** The error a connection attempt fails with when `dialTimeout` expires (undici's code for it). */
export function dialTimeoutError(timeout: number): Error {
  return Object.assign(new Error(`no connection to the server within ${timeout}ms`), { code: 'UND_ERR_CONNECT_TIMEOUT' })
}

/** The error a forwarder raises itself when `responseHeaderTimeout` expires. */
export function headerTimeoutError(timeout: number): JunctionError {
  return new JunctionError('JCT_ERR_GATEWAY_TIMEOUT', `server sent no response headers within ${timeout}ms`)
}

/** The error an exchange is aborted with when the client leaves. */
export function clientClosedError(): JunctionError {
  return new JunctionError('JCT_ERR_CLIENT_CLOSED', 'client closed the connection')
}
