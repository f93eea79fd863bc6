import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import type { RequestContext } from './context.ts'
import type { Outcome } from './outcome.ts'
import { answered } from './outcomes.ts'

/**
 * The status of a redirect, as Traefik's redirect middlewares choose it:
 * 302 (301 when permanent) for GET, 307 (308) for every other method, HEAD
 * included, so the method and body are kept.
 */
export function redirectStatus(method: string | undefined, permanent: boolean): number {
  const get = method === 'GET'
  if (permanent) return get ? 301 : 308
  return get ? 302 : 307
}

/**
 * Answers a redirect as Traefik does: the status, `Location`, and the
 * status text as a plain-text body.
 *
 * @example
 * return sendRedirect(req, res, ctx, 'https://example.com/', true)
 */
export function sendRedirect(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, location: string, permanent: boolean): Promise<Outcome> {
  const status = redirectStatus(req.method, permanent)
  const body = STATUS_CODES[status] ?? ''
  res.writeHead(status, { location, 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) })
  res.end(body)
  return Promise.resolve(answered(res, ctx, req.method === 'HEAD' ? 0 : Buffer.byteLength(body)))
}
