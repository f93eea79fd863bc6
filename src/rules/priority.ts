/**
 * The priority of a router: an explicit priority above 0 wins; otherwise the
 * length of the rule in bytes (Go's `len`), so longer, more specific rules
 * are tried first.
 */
export function rulePriority(rule: string, explicit?: number): number {
  if (explicit !== undefined && explicit > 0) return explicit
  return Buffer.byteLength(rule, 'utf8')
}

/**
 * Routing order: higher priority first. Traefik leaves routers of equal
 * priority in no defined order; Junction breaks the tie by name, ascending
 * in code-unit order, so a reload never reshuffles them.
 *
 * @example
 * routes.sort(compareRouters)
 */
export function compareRouters(a: { readonly priority: number; readonly name: string }, b: { readonly priority: number; readonly name: string }): number {
  if (a.priority !== b.priority) return b.priority - a.priority
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}
