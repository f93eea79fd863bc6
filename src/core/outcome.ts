import type { ErrorCode } from '../errors.ts'

/** How an exchange failed. */
export type FailureKind =
  /** The server could not be reached: refused, unknown host, unreachable network. */
  | 'refused'
  /** No connection to the server within `dialTimeout`. */
  | 'dial-timeout'
  /** The TLS handshake with the server failed (certificate, protocol). */
  | 'tls'
  /** The server broke the connection. */
  | 'reset'
  /** The server sent no response headers within `responseHeaderTimeout`. */
  | 'header-timeout'
  /** The server's response could not be relayed (malformed status or headers). */
  | 'protocol'
  /** The service had no server to send the request to. */
  | 'no-server'
  /** The client left before the exchange was over. */
  | 'client-closed'
  /** A handler threw: a bug, logged with its stack. */
  | 'internal'

/** Why an exchange did not end with a complete response. */
export interface ExchangeFailure {
  readonly kind: FailureKind
  /**
   * `before-headers`: nothing of the response reached the client, so the
   * request path may still answer (or a retry may try again); `after-headers`:
   * the client connection had to be broken.
   */
  readonly phase: 'before-headers' | 'after-headers'
  /** The answer owed to the client while the phase is `before-headers`. */
  readonly code: ErrorCode
  readonly cause?: unknown
}

/**
 * How one exchange ended, as the handler that ran it saw it. The forwarder
 * fills in the server's side; the request path completes it with what the
 * client received. Timestamps are `performance.now()` values.
 */
export interface Outcome {
  /** The status the client received; 0 when no response head was sent. */
  readonly status: number
  /** The status the server answered with; 0 when no server answered. */
  readonly serverStatus: number
  /** True once a response head went to the client (or into the response seam). */
  readonly headersSent: boolean
  readonly failure: ExchangeFailure | undefined
  /** Request body bytes sent to the server. */
  readonly requestBytes: number
  /** Response body bytes written towards the client. */
  readonly responseBytes: number
  /** The server URL that took the request; '' when none did. */
  readonly server: string
  readonly start: number
  /** When the response head was sent; 0 when it never was. */
  readonly headersAt: number
  readonly end: number
  /** True when the connection was upgraded (WebSocket); the outcome then comes when the tunnel closes. */
  readonly upgraded: boolean
}
