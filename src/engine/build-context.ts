import type { Dispatcher } from 'undici'
import type { ServersTransport } from '../config/dynamic.ts'
import type { ObjectSchema } from '../config/schema.ts'
import type { InstanceChannels } from '../core/instance.ts'
import type { MiddlewareEntry } from '../core/middleware.ts'
import type { Logger } from '../observability/logger.ts'
import type { RuleSyntax } from '../rules/http-matcher.ts'

/** What the builder needs to know about one static entry point. */
/** What a router's `tls` (or an entry point's `http.tls`) says. */
export interface TlsDefaults {
  readonly options?: string
  readonly certResolver?: string
  readonly domains?: readonly unknown[]
}

export interface EntryPointInfo {
  readonly name: string
  readonly port: number
  readonly asDefault: boolean
  /** `entryPoints.<n>.http.middlewares`, prepended to every router on it. */
  readonly middlewares: readonly string[]
  /** `entryPoints.<n>.http.tls`: the tls of every router on it that sets none (its options qualified by the router's provider). */
  readonly tls?: TlsDefaults
  /**
   * Set when some `certificatesResolvers.<n>.acme.httpChallenge.entryPoint`
   * names this entry point: HTTP-01 challenges are answered on it. `byPass`
   * is its `allowACMEByPass`: a router of higher priority may take them.
   */
  readonly httpChallenge?: { readonly byPass: boolean }
  readonly redirection?: {
    /** `entryPoints.<n>.allowACMEByPass`: ACME HTTP-01 challenge paths are not redirected. */
    readonly allowACMEByPass: boolean
    readonly to: string
    readonly port: number
    readonly scheme: string
    readonly permanent: boolean
    readonly priority: number
  }
}

/** Everything that stays the same from one build to the next. */
export interface BuildDependencies {
  readonly entryPoints: readonly EntryPointInfo[]
  readonly middlewares: ReadonlyMap<string, MiddlewareEntry>
  /** The options schema of each middleware type the catalogue has, for the validator. */
  readonly middlewareTypes: Readonly<Record<string, ObjectSchema>>
  /** The static `serversTransport`: defaults for every service without a named one. */
  readonly serversTransport: ServersTransport | undefined
  /** `core.defaultRuleSyntax`: the syntax of routers that set no `ruleSyntax`. */
  readonly defaultRuleSyntax: RuleSyntax
  /** The HTTP client middlewares call out with (forwardAuth). */
  readonly http: Dispatcher
  /** Where the build's findings go (disabled objects, options not honoured yet): one worker of an instance logs them, the others build silently. */
  readonly logger: Logger
  /** What middlewares log with at run time; `logger` when absent. */
  readonly runtimeLogger?: Logger
  /** The worker's ends of the instance's channels; one worker alone (tests, the builder on its own) when absent. */
  readonly channels?: InstanceChannels
}
