/**
 * The providers' plugin surface: the one module of `src/` that `providers/`
 * imports from. It is the middlewares' surface (`plugin.ts`) plus what only
 * a provider needs: configuration documents, the flat-key decoder, the label
 * model shared by Docker and Consul, and the template engine. Only the
 * control plane loads it; data-plane workers never do.
 */
export * from './plugin.ts'
export type { ListeningAddress, Provider, ProviderContext, ProviderCreateContext, ProviderEntry, Snapshot, SourceProblem } from './core/provider.ts'
export { dynamicSections } from './config/catalogue.ts'
export { onlyDynamicSections } from './config/static-dynamic.ts'
export { decodeFlatKeys, type FlatKeyOptions } from './config/flat-keys.ts'
export { extensionOf, isSupportedExtension, parseConfigFile, type ParseResult, type SourceFile } from './config/parse-document.ts'
export { normalizeName } from './config/labels/normalize.ts'
export { decodeLabels, type DecodedLabels, type LabelOptions } from './config/labels/decode-labels.ts'
export { inferWorkload } from './config/labels/inference.ts'
export { joinHostPort, type LabelProtocol, type ServerAddress, type Workload, type WorkloadResult } from './config/labels/workload.ts'
export { mergeWorkloads, type WorkloadConfig } from './config/labels/merge-workloads.ts'
export { ownEntryPointAt, refuseOwnAddresses, type OwnAddress } from './config/labels/own-addresses.ts'
export { compileExpression, labelMatchers, tagMatchers, type Constraint, type ConstraintMatcher } from './config/labels/constraints.ts'
export { canonicalText, sortedCopy } from './config/labels/canonical.ts'
export { isInlinePem } from './tls/pem.ts'
export {
  compileTemplate,
  templateFunctions,
  TemplateError,
  type RenderLimits,
  type Template,
  type TemplateFunction,
  type TemplateOptions,
} from './config/template/index.ts'
