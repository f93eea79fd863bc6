import type { IncomingHttpHeaders } from 'node:http'
import { normaliseHost, type RouteRequest } from '../../src/rules/http-matcher.ts'
import { sanitizePath } from '../../src/rules/sanitize-path.ts'

export interface RequestInput {
  host?: string
  path?: string
  method?: string
  headers?: IncomingHttpHeaders
  query?: string
  clientIp?: string
}

/** Builds the request view the way the engine does: normalised host, sanitised path, lazy query. */
export function routeRequest(input: RequestInput, defaultHost = 'example.test'): RouteRequest {
  let params: URLSearchParams | undefined
  return {
    host: normaliseHost(input.host ?? defaultHost),
    path: sanitizePath(input.path ?? '/') ?? '',
    method: input.method ?? 'GET',
    headers: input.headers ?? {},
    query: () => (params ??= new URLSearchParams(input.query ?? '')),
    clientIp: input.clientIp ?? '127.0.0.1',
  }
}
