import type { Logger } from '../observability/logger.ts'
import type { Middleware } from './types.ts'

/** What the builder hands a middleware factory. */
export interface MiddlewareContext {
  /** Qualified name of the middleware being built (`strip@file`). */
  readonly name: string
  readonly logger: Logger
}

/**
 * One line of `middlewares/index.ts`: the configuration key it answers to
 * (`stripPrefix`) and a factory that validates its own options and returns
 * the middleware, or throws a JunctionError naming the bad option.
 */
export interface MiddlewareEntry {
  readonly type: string
  create(options: Record<string, unknown>, context: MiddlewareContext): Middleware
}
