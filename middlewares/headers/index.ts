import { httpMiddlewareTypes, onResponseHead, type Middleware, type MiddlewareEntry, type ResponseHead } from '../../src/plugin.ts'
import { parseHeadersOptions, type HeadersOptions } from './options.ts'

/**
 * Adds, replaces or removes (empty value) request and response headers.
 * The entry point sets the forwarded headers before any middleware runs, so
 * a value here replaces Junction's and an empty one removes it for good;
 * `X-Forwarded-For: ""` also stops the forwarder from adding the client
 * address, as in Traefik.
 *
 * @example
 * ```yaml
 * http:
 *   middlewares:
 *     tag:
 *       headers:
 *         customRequestHeaders:
 *           X-Script-Name: test
 *           X-Remove-Me: ""
 *         customResponseHeaders:
 *           X-Served-By: junction
 * ```
 */
export function headers({ request, response }: HeadersOptions): Middleware {
  const rewrite = response.length > 0 ? onResponseHead((head) => applyResponseHeaders(head, response)) : undefined
  return (next) => (req, res, ctx) => {
    for (const [name, value] of request) {
      if (value !== '') req.headers[name] = value
      // The name stays, with no value: the forwarder then appends no client address (Traefik's nil X-Forwarded-For).
      else if (name === 'x-forwarded-for') req.headers[name] = undefined
      else delete req.headers[name]
    }
    // Whoever answers (the server, the error responder, another middleware), the response passes the seam.
    if (rewrite !== undefined) ctx.response.intercept(rewrite)
    return next(req, res, ctx)
  }
}

function applyResponseHeaders(head: ResponseHead, changes: HeadersOptions['response']): void {
  for (const [name, value] of changes) {
    if (value === '') delete head.headers[name]
    else head.headers[name] = value
  }
}

export const headersEntry: MiddlewareEntry = {
  type: 'headers',
  schema: httpMiddlewareTypes.headers,
  create: (options, { name }) => headers(parseHeadersOptions(options, name)),
}
