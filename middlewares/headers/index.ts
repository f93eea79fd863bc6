import type { OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { Middleware, MiddlewareEntry } from '../../src/plugin.ts'
import { parseHeadersOptions, type HeadersOptions } from './options.ts'

/**
 * Adds, replaces or removes (empty value) request and response headers.
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
  return (next) => (req, res, ctx) => {
    for (const [name, value] of request) {
      if (value === '') delete req.headers[name]
      else req.headers[name] = value
    }
    if (response.length > 0) rewriteResponseHeaders(res, response)
    return next(req, res, ctx)
  }
}

/**
 * Whoever answers (the forwarder, the error responder, another middleware)
 * ends in `writeHead`; rewriting its headers there is the one place that sees
 * the server's headers and can still override them.
 */
function rewriteResponseHeaders(res: ServerResponse, changes: HeadersOptions['response']): void {
  const writeHead = res.writeHead as (...args: unknown[]) => ServerResponse
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    const message = typeof rest[0] === 'string' ? rest[0] : undefined
    const given = (message === undefined ? rest[0] : rest[1]) as OutgoingHttpHeaders | unknown[] | undefined
    const headers = toObject(given)
    for (const [name, value] of changes) {
      if (value === '') {
        delete headers[name]
        this.removeHeader(name)
      } else {
        headers[name] = value
      }
    }
    return message === undefined ? writeHead.call(this, status, headers) : writeHead.call(this, status, message, headers)
  } as ServerResponse['writeHead']
}

/** Lowercased object from either header form `writeHead` accepts. */
function toObject(given: OutgoingHttpHeaders | unknown[] | undefined): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {}
  if (Array.isArray(given)) {
    // Both `[[k, v], ...]` and the flat raw `[k, v, k, v]` forms.
    const pairs = Array.isArray(given[0]) ? (given as unknown[][]).flat() : given
    for (let i = 0; i + 1 < pairs.length; i += 2) appendHeader(headers, String(pairs[i]).toLowerCase(), pairs[i + 1])
  } else if (given) {
    for (const [name, value] of Object.entries(given)) appendHeader(headers, name.toLowerCase(), value)
  }
  return headers
}

function appendHeader(headers: OutgoingHttpHeaders, name: string, value: unknown): void {
  if (value === undefined) return
  const existing = headers[name]
  const incoming = Array.isArray(value) ? value.map(String) : String(value)
  if (existing === undefined) headers[name] = incoming
  else headers[name] = ([] as string[]).concat(existing as string | string[], incoming)
}

export const headersEntry: MiddlewareEntry = {
  type: 'headers',
  create: (options, { name }) => headers(parseHeadersOptions(options, name)),
}
