import type { Dispatcher } from 'undici'
import type { ObjectSchema } from '../config/schema.ts'
import type { Logger } from '../observability/logger.ts'
import type { Handler, Middleware } from './context.ts'
import type { InstanceChannels } from './instance.ts'

/** What the builder hands a middleware factory. */
export interface MiddlewareContext {
  /** Qualified name of the middleware being built (`strip@file`). */
  readonly name: string
  readonly logger: Logger
  /** Aborts when the generation this middleware was built for is disposed: tie timers and watchers to it. */
  readonly signal: AbortSignal
  /**
   * Another middleware of the same generation (for `chain`), built first if
   * need be. A name without `@` resolves in this middleware's provider.
   *
   * @throws Error naming the middleware when it does not exist, is disabled, or closes a cycle.
   */
  middleware(name: string): Middleware
  /**
   * A service of the same generation (for `errors`), as a handler.
   *
   * @throws Error naming the service when it does not exist or is disabled.
   */
  service(name: string): Handler
  /** An HTTP client for calls a middleware makes itself (`forwardAuth`); shared, keep-alive. */
  readonly http: Dispatcher
  /**
   * State that survives reloads while this middleware's definition stays the
   * same (a rate-limit bucket, a circuit breaker's window): the first build
   * calls `create`, later builds of an unchanged definition get the same
   * value back. A changed or removed definition gets a fresh value; the old
   * one is passed to `dispose` once the generation using it is gone.
   */
  state<T>(create: () => T, dispose?: (value: T) => void): T
  /**
   * The instance this worker belongs to: counters shared by every worker (a
   * limit that holds for the instance), published values, health verdicts.
   */
  readonly instance: InstanceChannels
}

/**
 * One line of `middlewares/index.ts`: the configuration key it answers to
 * (`stripPrefix`), the schema of its options (what the validator checks and
 * coerces before the factory sees them; a Traefik type reuses its schema
 * from the catalogue), and a factory that checks what a schema cannot say
 * and returns the middleware, or throws a JunctionError naming the bad option.
 */
export interface MiddlewareEntry {
  readonly type: string
  readonly schema: ObjectSchema
  create(options: Record<string, unknown>, context: MiddlewareContext): Middleware
}
