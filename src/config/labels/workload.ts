/**
 * What the label model needs to know of one workload (a Docker container, a
 * Consul service instance) to apply Traefik's inference rules to its
 * labels: its default name, its default rule, whether it takes traffic, and
 * where a server on one of its ports is.
 */

/** The three routing sections labels may configure. */
export type LabelProtocol = 'http' | 'tcp' | 'udp'

/**
 * Where a server is, or why it cannot be found; `missingPort` when the
 * workload has no default port, so the message can say which label to set.
 */
export type ServerAddress = { readonly host: string; readonly port: number } | { readonly message: string; readonly missingPort?: boolean }

/** One workload, as the inference rules see it. */
export interface Workload {
  /**
   * The name of the router and service made for it when its labels declare
   * none (Docker: the container's name, or `<service>_<project>` for
   * Compose, normalised).
   */
  readonly name: string
  /** Renders the provider's `defaultRule` for this workload; throws an Error saying why it cannot. */
  defaultRule(): string
  /**
   * False when its services get no server: a container that is not running
   * (kept by `allownonrunning`) or not healthy (kept by `allowEmptyServices`).
   * Such a service answers 503 until a server comes.
   */
  readonly serving: boolean
  /**
   * Where a server of this workload listens: on `port` (the label's), or on
   * the workload's default port for the protocol when `port` is undefined.
   */
  address(protocol: LabelProtocol, port: number | undefined): ServerAddress
}

/**
 * What inference makes of one workload's labels. `errors` mean the workload
 * is not routed at all (its configuration is left out); `warnings` name what
 * was left out of a configuration that still goes live. Each message says
 * which label or object it is about.
 */
export interface WorkloadResult {
  readonly config: Record<string, unknown>
  readonly errors: readonly string[]
  readonly warnings: readonly string[]
}

/** `host:port`, with an IPv6 host in brackets, as Go's `net.JoinHostPort`. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/**
 * Names for a message, at most `shown` of them and a count of the rest:
 * messages list names workloads chose, and must not grow with their square
 * (20,000 replicas in conflict make 20,000 messages).
 *
 * @example
 * someOf(['a', 'b', 'c', 'd', 'e', 'f', 'g']) // 'a, b, c, d, e and 2 more'
 */
export function someOf(names: readonly string[], shown = 5): string {
  if (names.length <= shown) return names.join(', ')
  return `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`
}
