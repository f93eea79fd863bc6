import { answered } from '../core/outcomes.ts'
import { redirectStatus } from '../core/redirect.ts'
import { hostWithoutPort } from '../net/host.ts'
import type { RouteRequest } from '../rules/http-matcher.ts'
import { httpChallengePrefix } from '../tls/acme/contracts.ts'
import type { EntryPointInfo } from './build-context.ts'
import type { RouteEntry } from './router-index.ts'

/** Traefik's rule for the router it adds: ``HostRegexp(`^.+$`)``, so a request with an empty Host is not redirected. */
const anyHost = (req: RouteRequest): boolean => req.host !== ''

/** With `allowACMEByPass`: ``HostRegexp(`^.+$`) && !PathPrefix(`/.well-known/acme-challenge/`)``. */
const anyHostButChallenges = (req: RouteRequest): boolean => req.host !== '' && !req.path.startsWith(httpChallengePrefix)

/**
 * The router that `entryPoints.<n>.http.redirections.entryPoint` adds, as
 * Traefik does: it matches every request with a host on the entry point
 * (but ACME HTTP-01 challenges when the entry point sets `allowACMEByPass`,
 * which then reach the routers that serve them) and sends the client to the
 * same host and path on the target entry point's port.
 */
export function redirectionRoute(ep: EntryPointInfo): RouteEntry & { priority: number } {
  const redirection = ep.redirection
  if (redirection === undefined) throw new Error(`entry point ${ep.name} has no redirection`)
  const { scheme, port, permanent, priority, allowACMEByPass } = redirection
  const defaultPort = (scheme === 'https' && port === 443) || (scheme === 'http' && port === 80)
  const portSuffix = defaultPort ? '' : `:${port}`
  return {
    name: `${ep.name}-to-${redirection.to}@internal`,
    priority,
    rule: { match: allowACMEByPass ? anyHostButChallenges : anyHost, priority, hosts: null },
    handler: (req, res, ctx) => {
      const host = hostWithoutPort(req.headers.host ?? '')
      const location = `${scheme}://${host}${portSuffix}${req.url ?? '/'}`
      // Traefik adds a redirectScheme middleware here: the same statuses as the middleware's.
      res.writeHead(redirectStatus(req.method, permanent), { location, 'content-length': 0 })
      res.end()
      return Promise.resolve(answered(res, ctx))
    },
  }
}
