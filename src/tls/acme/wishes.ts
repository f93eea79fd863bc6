import type { DynamicConfig } from '../../config/dynamic.ts'
import type { EntryPoint } from '../../config/static.ts'
import { ruleDomains } from '../../rules/rule-domains.ts'
import type { RuleSyntax } from '../../rules/http-matcher.ts'
import { isDefaultName } from '../tls-model.ts'
import { domainKey, isWildcard, sanitizeDomains } from './domains.ts'
import type { RouterNote } from './acme-tls.ts'

/** A certificate some routers (or the default store) want from a resolver. */
export interface CertificateWish {
  readonly resolver: string
  /** Main name first. */
  readonly domains: readonly string[]
  /** The routers that want it, for their runtime report; empty for the default store's alone. */
  readonly routers: readonly string[]
  /** `tls.stores.default.defaultGeneratedCert` names it: it becomes the default store's default certificate. */
  readonly storeDefault: boolean
}

/** What the configuration asks of the resolvers. */
export interface Wishes {
  readonly wishes: readonly CertificateWish[]
  readonly notes: readonly RouterNote[]
}

/** What reading the wishes needs to know of the static configuration. */
export interface WishContext {
  readonly entryPoints: Readonly<Record<string, Pick<EntryPoint, 'asDefault' | 'http'>>>
  /** Each resolver by name, and whether it can order wildcards (only DNS-01 can, RFC 8555 §7.1.3). */
  readonly resolvers: ReadonlyMap<string, { readonly wildcards: boolean }>
  readonly defaultRuleSyntax: RuleSyntax
}

/**
 * The certificates a merged configuration wants, by Traefik's rules: each
 * HTTP router whose tls (its own, or its entry point's `http.tls`) names a
 * `certResolver` wants one certificate per `tls.domains` entry, or, without
 * domains, one for every `Host()` of its rule; `tls.stores.default
 * .defaultGeneratedCert` wants its domain. Routers asking the same names of
 * one resolver share one wish. Whatever cannot be ordered is a note on the
 * router (and the router is still served, with the default store's
 * certificates).
 */
export function certificateWishes(config: DynamicConfig, context: WishContext): Wishes {
  const byKey = new Map<string, { resolver: string; domains: string[]; routers: string[]; storeDefault: boolean }>()
  const notes: RouterNote[] = []
  const wish = (resolver: string, domains: string[], router: string | undefined): void => {
    const key = `${resolver}\n${domainKey(domains)}`
    let found = byKey.get(key)
    if (found === undefined) byKey.set(key, (found = { resolver, domains, routers: [], storeDefault: false }))
    if (router === undefined) found.storeDefault = true
    else if (!found.routers.includes(router)) found.routers.push(router)
  }
  const defaults = defaultEntryPoints(context.entryPoints)
  for (const [name, router] of Object.entries(config.http?.routers ?? {})) {
    const on = router.entryPoints?.length ? router.entryPoints : defaults
    const tlsSet = new Set<CertificateTls | undefined>(router.tls !== undefined ? [router.tls] : on.map((ep) => context.entryPoints[ep]?.http.tls))
    for (const tls of tlsSet) {
      if (tls?.certResolver === undefined || tls.certResolver === '') continue
      for (const domains of routerDomains(name, router.rule, router.ruleSyntax, tls, context, notes)) wish(tls.certResolver, domains, name)
    }
  }
  for (const [storeName, store] of Object.entries(config.tls?.stores ?? {})) {
    const generated = store.defaultGeneratedCert
    // The store's own defaultCertificate wins (Traefik); tls-model.ts says so on the store.
    if (!isDefaultName(storeName) || generated === undefined || store.defaultCertificate !== undefined) continue
    const resolver = generated.resolver ?? ''
    const clean = sanitizeDomains([generated.domain?.main ?? '', ...(generated.domain?.sans ?? [])])
    if (!context.resolvers.has(resolver) || 'error' in clean) continue
    if (!context.resolvers.get(resolver)?.wildcards && clean.domains.some(isWildcard)) continue
    wish(resolver, clean.domains, undefined)
  }
  return { wishes: [...byKey.values()], notes }
}

/** The domain sets one router asks its resolver for; what it cannot ask is noted. */
/** A router's tls, or its entry point's `http.tls`, as far as certificates go. */
interface CertificateTls {
  readonly certResolver?: string
  readonly domains?: readonly { readonly main?: string; readonly sans?: readonly string[] }[]
}

function routerDomains(router: string, rule: string | undefined, syntax: string | undefined, tls: CertificateTls, context: WishContext, notes: RouterNote[]): string[][] {
  const resolverName = tls.certResolver as string
  const note = (message: string): void => void notes.push({ router, message: `router ${router}: certificate resolver ${resolverName}: ${message}` })
  const resolver = context.resolvers.get(resolverName)
  if (resolver === undefined) {
    note("no such certificate resolver: the router is served with the default store's certificates")
    return []
  }
  let sets: string[][]
  if (tls.domains !== undefined && tls.domains.length > 0) {
    sets = tls.domains.map((domain) => [domain.main ?? '', ...(domain.sans ?? [])])
  } else {
    let hosts: string[]
    try {
      hosts = ruleDomains(rule ?? '', (syntax as RuleSyntax | undefined) ?? context.defaultRuleSyntax)
    } catch {
      return [] // The builder disables the router and says why.
    }
    if (hosts.length === 0) {
      note('its rule names no Host() and it sets no tls.domains, so no certificate is ordered for it')
      return []
    }
    sets = [hosts]
  }
  const accepted: string[][] = []
  for (const set of sets) {
    const clean = sanitizeDomains(set)
    if ('error' in clean) {
      note(`tls.domains: ${clean.error}: not ordered`)
      continue
    }
    const wildcard = clean.domains.find(isWildcard)
    if (wildcard !== undefined && !resolver.wildcards) {
      note(`${wildcard}: a wildcard certificate needs the DNS-01 challenge (dnsChallenge), which this resolver does not use: not ordered`)
      continue
    }
    accepted.push(clean.domains)
  }
  return accepted
}

/** Routers without entry points listen on those marked `asDefault`, or on all when none is. */
function defaultEntryPoints(entryPoints: WishContext['entryPoints']): string[] {
  const marked = Object.entries(entryPoints).filter(([, ep]) => ep.asDefault)
  return (marked.length > 0 ? marked : Object.entries(entryPoints)).map(([name]) => name)
}
