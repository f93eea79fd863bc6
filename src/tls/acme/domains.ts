/**
 * Domain names as certificate resolvers handle them, by Traefik's rules
 * (`pkg/types/domains.go`, `sanitizeDomains` in `pkg/provider/acme`): one
 * certificate per domain set, main name first.
 */

/** A certificate's names as Traefik writes them: `{ main, sans }`. */
export interface DomainSet {
  readonly main: string
  readonly sans: readonly string[]
}

/** Main first, then the SANs. */
export function domainList(set: DomainSet): string[] {
  return [set.main, ...set.sans].filter((name) => name !== '')
}

/** The set a list makes: its first name is the main one. */
export function domainSet(domains: readonly string[]): DomainSet {
  return { main: domains[0] ?? '', sans: domains.slice(1) }
}

/** One key per set of names whatever their order, to tell two orders for the same names apart from two for different ones. */
export function domainKey(domains: readonly string[]): string {
  return [...domains].sort().join(',')
}

/**
 * Lower-cased, trimmed and without a trailing dot (a warning-free
 * equivalent of Traefik's "FQDN detected"), duplicates dropped; an error
 * for what no CA issues: no name, or `*.*` (ACME allows one leading
 * wildcard label, RFC 8555 §7.1.3).
 */
export function sanitizeDomains(domains: readonly string[]): { domains: string[] } | { error: string } {
  const clean = [...new Set(domains.map((domain) => domain.trim().toLowerCase().replace(/\.+$/, '')).filter((domain) => domain !== ''))]
  if (clean.length === 0) return { error: 'no domain is given' }
  const doubled = clean.find((domain) => domain.startsWith('*.*'))
  if (doubled !== undefined) return { error: `${doubled}: ACME does not allow a '*.*' wildcard` }
  const inner = clean.find((domain) => domain.lastIndexOf('*') > 0)
  if (inner !== undefined) return { error: `${inner}: a wildcard is only allowed as the whole first label` }
  return { domains: clean }
}

/** Whether a certificate name (`a.test`, `*.test`) covers `domain`: equal, or a wildcard for its first labels (Traefik's `MatchDomain`). */
export function matchDomain(domain: string, certDomain: string): boolean {
  if (domain === certDomain) return true
  const labels = domain.split('.')
  for (let i = 0; i < labels.length; i++) {
    labels[i] = '*'
    if (labels.join('.') === certDomain) return true
  }
  return false
}

/** Whether some name of `names` covers `domain`. */
export function covered(domain: string, names: readonly string[]): boolean {
  return names.some((name) => matchDomain(domain, name))
}

export function isWildcard(domain: string): boolean {
  return domain.startsWith('*.')
}
