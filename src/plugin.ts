/**
 * The plugin surface: the one module of `src/` that `providers/` and
 * `middlewares/` import from. Everything a provider or middleware needs is
 * exported here, and nothing else is reachable from their folders.
 */
export type { ConnectionInfo, Handler, Middleware, RequestContext } from './core/context.ts'
export type { ExchangeFailure, FailureKind, Outcome } from './core/outcome.ts'
export { answered, failed } from './core/outcomes.ts'
export { onResponseHead, transformBody, type ResponseHead, type ResponseInterceptor, type ResponseSeam, type ResponseWriter, type SeamControl } from './core/response-seam.ts'
export { respondError } from './core/responder.ts'
export type { MiddlewareContext, MiddlewareEntry } from './core/middleware.ts'
export { httpMiddlewareTypes } from './config/middleware-schema.ts'
export type { ListeningAddress, Provider, ProviderContext, ProviderCreateContext, ProviderEntry, Snapshot, SourceProblem } from './core/provider.ts'
export type * from './config/dynamic.ts'
export type { ObjectSchema, Schema } from './config/schema.ts'
export type { Infer, InferStatic } from './config/infer.ts'
export { bool, dur, int, list, map, num, obj, str, strings } from './config/schema.ts'
export { dynamicSections } from './config/catalogue.ts'
export { onlyDynamicSections } from './config/static-dynamic.ts'
export { isPlainObject, setOwn } from './config/plain-data.ts'
export { decodeFlatKeys, type FlatKeyOptions } from './config/flat-keys.ts'
export { JunctionError, type ErrorCode } from './errors.ts'
export { extensionOf, isSupportedExtension, parseConfigFile, type ParseResult, type SourceFile } from './config/parse-document.ts'
export type { Logger } from './observability/logger.ts'
export { normalizeName } from './config/labels/normalize.ts'
export { decodeLabels, type DecodedLabels, type LabelOptions } from './config/labels/decode-labels.ts'
export { inferWorkload } from './config/labels/inference.ts'
export { joinHostPort, type LabelProtocol, type ServerAddress, type Workload, type WorkloadResult } from './config/labels/workload.ts'
export { mergeWorkloads, type WorkloadConfig } from './config/labels/merge-workloads.ts'
export { ownEntryPointAt, refuseOwnAddresses, type OwnAddress } from './config/labels/own-addresses.ts'
export { compileExpression, labelMatchers, tagMatchers, type Constraint, type ConstraintMatcher } from './config/labels/constraints.ts'
export { canonicalText, sortedCopy } from './config/labels/canonical.ts'
export {
  compileTemplate,
  templateFunctions,
  TemplateError,
  type RenderLimits,
  type Template,
  type TemplateFunction,
  type TemplateOptions,
} from './config/template/index.ts'
