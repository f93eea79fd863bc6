import { STATUS_CODES, type ServerResponse } from 'node:http'
import { errorCatalogue, type ErrorCode } from '../errors.ts'

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
