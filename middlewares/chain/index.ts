import { httpMiddlewareTypes, JunctionError, type Middleware, type MiddlewareEntry } from '../../src/plugin.ts'

/**
 * Runs other middlewares, in order, as one: a reusable stack (security
 * headers, then auth) that routers name once. Members are built first; a
 * chain that comes back to itself, directly or through other chains,
 * disables every middleware on the cycle.
 *
 * @example
 * ```yaml
 * http:
 *   middlewares:
 *     secured:
 *       chain:
 *         middlewares: ["https-only", "known-ips", "auth@file"]
 * ```
 */
export function chain(members: readonly Middleware[]): Middleware {
  return (next) => members.reduceRight((inner, member) => member(inner), next)
}

export const chainEntry: MiddlewareEntry = {
  type: 'chain',
  schema: httpMiddlewareTypes.chain,
  create(options, context) {
    const names = options['middlewares']
    if (!Array.isArray(names) || names.length === 0 || names.some((name) => typeof name !== 'string' || name === '')) {
      throw new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `middleware ${context.name}: chain: middlewares must be a non-empty list of names`)
    }
    return chain((names as string[]).map((name) => context.middleware(name)))
  },
}
