import type { MiddlewareEntry } from '../core/middleware.ts'

/**
 * The middleware types of `modules` (their `middlewares` export): what each
 * worker adds to its catalogue, and whose schemas the control plane's
 * validator needs.
 */
export async function importMiddlewares(modules: readonly string[]): Promise<MiddlewareEntry[]> {
  const entries: MiddlewareEntry[] = []
  for (const specifier of modules) {
    const loaded = (await import(specifier)) as { middlewares?: readonly MiddlewareEntry[] }
    entries.push(...(loaded.middlewares ?? []))
  }
  return entries
}
