import { answered } from '../core/outcomes.ts'
import { hostWithoutPort } from '../net/host.ts'
import type { EntryPointInfo } from './build-context.ts'
import type { RouteEntry } from './router-index.ts'

/**
 * The router that `entryPoints.<n>.http.redirections.entryPoint` adds, as
 * Traefik does: it matches every request on the entry point and sends the
 * client to the same host and path on the target entry point's port.
 */
export function redirectionRoute(ep: EntryPointInfo): RouteEntry & { priority: number } {
  const redirection = ep.redirection
  if (redirection === undefined) throw new Error(`entry point ${ep.name} has no redirection`)
  const { scheme, port, permanent, priority } = redirection
  const defaultPort = (scheme === 'https' && port === 443) || (scheme === 'http' && port === 80)
  const portSuffix = defaultPort ? '' : `:${port}`
  return {
    name: `${ep.name}-to-${redirection.to}@internal`,
    priority,
    rule: { match: () => true, priority, hosts: null },
    handler: (req, res, ctx) => {
      const host = hostWithoutPort(req.headers.host ?? '')
      const location = `${scheme}://${host}${portSuffix}${req.url ?? '/'}`
      // GET keeps 301/302 for old clients; other methods need 308/307 to keep their body.
      const safe = req.method === 'GET' || req.method === 'HEAD'
      const status = permanent ? (safe ? 301 : 308) : safe ? 302 : 307
      res.writeHead(status, { location, 'content-length': 0 })
      res.end()
      return Promise.resolve(answered(res, ctx))
    },
  }
}
