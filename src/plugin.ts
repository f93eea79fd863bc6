/**
 * The middlewares' plugin surface: the one module of `src/` that
 * `middlewares/` imports from, and the common part of the providers' surface
 * (`provider-plugin.ts`, which re-exports this one). Everything a middleware
 * needs is exported here, and nothing else is reachable from its folder.
 *
 * Every data-plane worker loads this module with the middlewares, so what it
 * exports is what a worker pays for in memory: the providers' machinery
 * (configuration documents, labels, templates) stays in `provider-plugin.ts`,
 * which only the control plane loads.
 */
export type { ConnectionInfo, Handler, Middleware, RequestContext } from './core/context.ts'
export type { ExchangeFailure, FailureKind, Outcome } from './core/outcome.ts'
export { answered, failed } from './core/outcomes.ts'
export { onResponseHead, transformBody, type ResponseHead, type ResponseInterceptor, type ResponseSeam, type ResponseWriter, type SeamControl } from './core/response-seam.ts'
export { respondError } from './core/responder.ts'
export { appendHeader, isHeaderValue, isPrintableAscii, requestUri, splitUrl } from './core/request-url.ts'
export { sendRedirect } from './core/redirect.ts'
export type { MiddlewareContext, MiddlewareEntry } from './core/middleware.ts'
export { httpMiddlewareTypes } from './config/middleware-schema.ts'
export type * from './config/dynamic.ts'
export type { ObjectSchema, Schema } from './config/schema.ts'
export type { Infer, InferStatic } from './config/infer.ts'
export { bool, dur, int, list, map, num, obj, str, strings } from './config/schema.ts'
export { isPlainObject, setOwn } from './config/plain-data.ts'
export { JunctionError, type ErrorCode } from './errors.ts'
export { compileRegexp, type LinearRegexp, type RememberingRegexp } from './rules/regexp.ts'
export { GoReplacement, type Span } from './rules/go-replacement.ts'
export { canonicalRulePath, escapedPrefixLength, routingPath } from './rules/sanitize-path.ts'
export { checkRewrittenPath } from './rules/rewritten-path.ts'
export { splitHost } from './net/host.ts'
export type { Logger } from './observability/logger.ts'
