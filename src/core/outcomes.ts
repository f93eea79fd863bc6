import type { ServerResponse } from 'node:http'
import type { ErrorCode } from '../errors.ts'
import type { RequestContext } from './context.ts'
import type { FailureKind, Outcome } from './outcome.ts'

/**
 * The outcome of a handler that answered locally (a redirect, a 401, a
 * 404) from what it wrote to `res`.
 *
 * @example
 * res.writeHead(301, { location }).end()
 * return answered(res, ctx)
 */
export function answered(res: ServerResponse, ctx: RequestContext, responseBytes = 0): Outcome {
  const now = performance.now()
  return {
    status: res.headersSent ? res.statusCode : 0,
    serverStatus: 0,
    headersSent: res.headersSent,
    failure: undefined,
    requestBytes: 0,
    responseBytes,
    server: '',
    start: ctx.start,
    headersAt: res.headersSent ? now : 0,
    end: now,
    upgraded: false,
  }
}

/**
 * The outcome of an exchange that failed before anything reached a server or
 * the client: no server, a handler that threw.
 *
 * @example
 * if (server === undefined) return failed(ctx, 'no-server', 'JCT_ERR_NO_SERVER')
 */
export function failed(ctx: RequestContext, kind: FailureKind, code: ErrorCode, cause?: unknown): Outcome {
  const now = performance.now()
  return {
    status: 0,
    serverStatus: 0,
    headersSent: false,
    failure: { kind, phase: 'before-headers', code, ...(cause !== undefined && { cause }) },
    requestBytes: 0,
    responseBytes: 0,
    server: ctx.server,
    start: ctx.start,
    headersAt: 0,
    end: now,
    upgraded: false,
  }
}
