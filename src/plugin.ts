/**
 * The plugin surface: the one module of `src/` that `providers/` and
 * `middlewares/` import from. Everything a provider or middleware needs is
 * exported here, and nothing else is reachable from their folders.
 */
export type { Handler, Middleware, Provider, ProviderContext, RequestContext, Snapshot, SourceProblem } from './engine/types.ts'
export type * from './config/dynamic.ts'
export { JunctionError, type ErrorCode } from './errors.ts'
export { respondError } from './engine/responder.ts'
export { extensionOf, isSupportedExtension, parseConfigFile, type ParseResult, type SourceFile } from './config/parse-document.ts'
export type { Logger } from './observability/logger.ts'
export type { MiddlewareContext, MiddlewareEntry } from './engine/middleware-entry.ts'
