import type { ServerResponse } from 'node:http'
import { respondError } from '../engine/responder.ts'
import { JunctionError, type ErrorCode } from '../errors.ts'

/** Error codes that mean "the server accepted the request but sent no headers in time". */
const headerTimeouts: ReadonlySet<string> = new Set(['UND_ERR_HEADERS_TIMEOUT', 'JCT_ERR_GATEWAY_TIMEOUT'])

/**
 * The answer owed to the client for a failed exchange: 504 when the server
 * sent no response headers within `responseHeaderTimeout`, 502 for everything
 * else (refused, DNS, dial timeout, TLS, reset). A dial timeout is a 502, not
 * a 504: the server was never reached.
 */
export function forwardErrorCode(error: unknown): ErrorCode {
  const code = (error as { code?: unknown } | undefined)?.code
  return typeof code === 'string' && headerTimeouts.has(code) ? 'JCT_ERR_GATEWAY_TIMEOUT' : 'JCT_ERR_BAD_GATEWAY'
}

/**
 * Ends a failed exchange. Before the status line: a 502/504 body from the
 * responder. After it: the client connection is destroyed, the only honest
 * signal left (respondError does that). A client that left gets nothing.
 */
export function failForward(res: ServerResponse, error: unknown): void {
  respondError(res, forwardErrorCode(error))
}

/** The error a forwarder raises itself when `responseHeaderTimeout` expires. */
export function headerTimeoutError(timeout: number): JunctionError {
  return new JunctionError('JCT_ERR_GATEWAY_TIMEOUT', `server sent no response headers within ${timeout}ms`)
}
