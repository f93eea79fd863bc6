import { STATUS_CODES, type ServerResponse } from 'node:http'
import { errorCatalogue, type ErrorCode } from '../errors.ts'
import type { Outcome } from './outcome.ts'

/**
 * The one place request-path errors are rendered: the status from the
 * catalogue and its status text as body. Never a stack, a backend address or
 * the underlying error's message, which can name internal hosts.
 */
export function respondError(res: ServerResponse, code: ErrorCode): void {
  if (res.headersSent) {
    // The status line is gone; the only honest signal left is a broken stream.
    res.destroy()
    return
  }
  if (res.destroyed) return
  const status = errorCatalogue[code].status || 500
  const body = STATUS_CODES[status] ?? 'Error'
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-junction-error': code,
  })
  res.end(body)
}

/**
 * Ends an exchange as its outcome says: a failure before any response head
 * is answered with its code (a 502, 503, 504...); one after it breaks the
 * client connection, if the forwarder has not already. Returns the outcome
 * as the client saw it.
 *
 * @example
 * const outcome = settle(res, await handler(req, res, ctx))
 */
export function settle(res: ServerResponse, outcome: Outcome): Outcome {
  const failure = outcome.failure
  // headersSent with a failure before headers: the handler answered it itself (on an upgrade socket).
  if (failure === undefined || (failure.phase === 'before-headers' && outcome.headersSent)) return outcome
  if (failure.phase === 'after-headers' || failure.kind === 'client-closed') {
    if (!res.destroyed) res.destroy()
    return outcome
  }
  respondError(res, failure.code)
  if (!res.headersSent) return outcome
  const now = performance.now()
  return { ...outcome, status: res.statusCode, headersSent: true, headersAt: now, end: now }
}
