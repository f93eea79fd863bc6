import type { InstanceChannels } from '../core/instance.ts'
import { answered } from '../core/outcomes.ts'
import { respondError } from '../core/responder.ts'
import { rulePriority } from '../rules/priority.ts'
import { httpChallengeKey, httpChallengePrefix } from '../tls/acme/contracts.ts'
import type { RouteEntry } from './router-index.ts'

/** Traefik's name for the router that serves HTTP-01 challenges. */
const name = 'acme-http@internal'

/** Traefik's rule for it; with `allowACMEByPass` its length is the router's priority, as for any router. */
const rule = 'PathPrefix(`/.well-known/acme-challenge/`)'

/** An ACME token is base64url without padding (RFC 8555 §8.3): anything else cannot have been published. */
const token = /^[A-Za-z0-9_-]+$/

/**
 * The router that answers ACME HTTP-01 challenges on an entry point some
 * resolver's `httpChallenge.entryPoint` names, as Traefik's `acme-http`
 * does: `GET` (or `HEAD`) `/.well-known/acme-challenge/<token>` is
 * answered with the key authorization the control plane published for the
 * token (every worker has it), or 404; a challenge path is never proxied.
 *
 * It is the entry point's first route (Traefik gives it the highest
 * priority), so it comes before every router and before the
 * `http.redirections` one: a CA that validates over plain HTTP is never
 * sent to HTTPS. Only with `allowACMEByPass` does it take a router's
 * place among the others, by the length of its rule, as Traefik's
 * `acme-http-bypass` does, so a router of higher priority may take the
 * challenges instead. Either way a request for another path pays one
 * prefix check on this entry point, and none elsewhere. The entry point's
 * `http.middlewares` are not put in front of it (as for the redirection):
 * an authentication middleware there must not fail the CA's validation.
 */
export function httpChallengeRoute(channels: InstanceChannels, byPass: boolean): RouteEntry & { priority: number } {
  const priority = byPass ? rulePriority(rule) : Number.MAX_SAFE_INTEGER
  return {
    name,
    priority,
    rule: { match: (req) => req.path.startsWith(httpChallengePrefix), priority, hosts: null },
    handler: (req, res, ctx) => {
      const url = req.url ?? '/'
      const query = url.indexOf('?')
      const asked = url.slice(httpChallengePrefix.length, query === -1 ? url.length : query)
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD')
        respondError(res, 'JCT_ERR_METHOD_NOT_ALLOWED')
        return Promise.resolve(answered(res, ctx))
      }
      const answer = token.test(asked) ? channels.value(httpChallengeKey(asked)) : undefined
      if (answer === undefined) {
        respondError(res, 'JCT_ERR_ACME_CHALLENGE')
        return Promise.resolve(answered(res, ctx))
      }
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(answer) })
      res.end(answer)
      return Promise.resolve(answered(res, ctx))
    },
  }
}
