import type { HttpMiddleware } from '../config/dynamic.ts'
import type { BuildDependencies } from './build-context.ts'
import { addError, entryOf, type RuntimeReport } from '../config/report.ts'
import type { Middleware } from './types.ts'

/**
 * Creates every middleware of a generation through the explicit list in
 * `middlewares/index.ts`. A middleware whose type is unknown or whose options
 * its factory refuses is disabled alone, with the factory's message.
 */
export function buildMiddlewares(
  definitions: Record<string, HttpMiddleware>,
  deps: BuildDependencies,
  report: RuntimeReport,
): Map<string, Middleware> {
  const built = new Map<string, Middleware>()
  for (const [name, definition] of Object.entries(definitions)) {
    const types = Object.keys(definition)
    const type = types[0]
    const entry = entryOf(report, 'middlewares', name)
    if (type !== undefined) entry.type = type
    try {
      if (type === undefined || types.length !== 1) {
        throw new Error(`expected exactly one middleware type, got ${types.length}`)
      }
      const factory = deps.middlewares.get(type)
      if (factory === undefined) throw new Error(`middleware type "${type}" is not supported yet`)
      built.set(name, factory.create(definition[type] ?? {}, { name, logger: deps.logger }))
    } catch (error) {
      const reason = (error as Error).message
      const message = reason.startsWith(`middleware ${name}`) ? reason : `middleware ${name}: ${reason}`
      addError(entry, message, true)
      deps.logger.error({ middleware: name }, message)
    }
  }
  return built
}
