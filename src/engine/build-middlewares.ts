import type { HttpMiddleware } from '../config/dynamic.ts'
import { addError, entryOf, providerOf, type RuntimeReport } from '../config/report.ts'
import type { Middleware } from '../core/context.ts'
import type { MiddlewareContext } from '../core/middleware.ts'
import { standaloneChannels } from './local-channels.ts'
import type { BuildDependencies } from './build-context.ts'
import { Resolver } from './resolver.ts'
import type { BuiltService, Disposable, RoutingTable, StateEntry } from './routing-table.ts'

/** What building the middlewares of a generation produced. */
export interface BuiltMiddlewares {
  /** Builds (once) and returns a middleware; throws why it cannot be used. */
  readonly resolver: Resolver<Middleware>
  /** State each middleware asked for, by middleware name. */
  readonly states: Map<string, StateEntry>
  /** State entries taken over from the previous generation. */
  readonly kept: Set<Disposable>
}

/**
 * Creates every middleware of a generation through the explicit list in
 * `middlewares/index.ts`, in dependency order: a `chain` asks for its
 * members through its context and gets them built first; a reference cycle
 * disables every middleware on it. A middleware whose type is unknown or
 * whose options its factory refuses is disabled alone, with the factory's
 * message, and so are the routers using it.
 */
export function buildMiddlewares(
  definitions: Readonly<Record<string, HttpMiddleware>>,
  services: Resolver<BuiltService>,
  previous: RoutingTable | undefined,
  signal: AbortSignal,
  deps: BuildDependencies,
  report: RuntimeReport,
): BuiltMiddlewares {
  const states = new Map<string, StateEntry>()
  const kept = new Set<Disposable>()
  const resolver: Resolver<Middleware> = new Resolver(
    'middleware',
    (name) => Object.hasOwn(definitions, name),
    (name) => {
      const definition = definitions[name] as HttpMiddleware
      const [type, options] = Object.entries(definition)[0] as [string, Record<string, unknown>]
      const factory = deps.middlewares.get(type)
      if (factory === undefined) throw new Error(`middleware type "${type}" is not supported yet`)
      const context: MiddlewareContext = {
        name,
        logger: deps.runtimeLogger ?? deps.logger,
        instance: deps.channels ?? standaloneChannels(),
        signal,
        http: deps.http,
        middleware: (ref) => resolver.get(qualify(ref, name)),
        service: (ref) => services.get(qualify(ref, name)).instance.handler,
        state: <T>(create: () => T, dispose?: (value: T) => void): T => {
          const own = states.get(name)
          if (own !== undefined) return own.value as T
          const key = JSON.stringify(definition)
          const old = previous?.states.get(name)
          if (old !== undefined && old.key === key) {
            kept.add(old)
            states.set(name, old)
            return old.value as T
          }
          const value = create()
          states.set(name, { key, value, dispose: () => dispose?.(value) })
          return value
        },
      }
      return factory.create(options, context)
    },
  )
  for (const [name, definition] of Object.entries(definitions)) {
    const entry = entryOf(report, 'middlewares', name)
    entry.type = Object.keys(definition)[0] ?? ''
    const result = resolver.settle(name)
    if ('error' in result) {
      const reason = result.error
      const message = reason.startsWith(`middleware ${name}`) ? reason : `middleware ${name}: ${reason}`
      addError(entry, message, true)
      deps.logger.error({ middleware: name }, message)
    }
  }
  return { resolver, states, kept }
}

/** A reference without `@` resolves in the provider of the object that makes it. */
export function qualify(ref: string, from: string): string {
  if (ref.includes('@')) return ref
  const provider = providerOf(from)
  return provider === '' ? ref : `${ref}@${provider}`
}
