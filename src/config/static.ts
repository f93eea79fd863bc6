import type { Domain, ServersTransport, TcpServersTransport } from './dynamic.ts'

/**
 * The static configuration, as `loadStaticConfig` returns it: Traefik v3
 * names, defaults applied, deeply frozen. Durations are milliseconds, except
 * in `serversTransport` / `tcpServersTransport`, which share the dynamic
 * shapes (and their readers) and keep durations as written.
 */

/** Traefik's log levels. */
export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL' | 'PANIC'

/** The loaded static configuration. */
export interface StaticConfig {
  readonly entryPoints: Readonly<Record<string, EntryPoint>>
  readonly providers: Providers
  readonly log: Log
  readonly accessLog?: AccessLog
  readonly api?: Api
  readonly ping?: Ping
  readonly metrics?: Metrics
  readonly certificatesResolvers?: Readonly<Record<string, CertificatesResolver>>
  /** Defaults for services without a named serversTransport (durations as written). */
  readonly serversTransport?: Readonly<ServersTransport>
  /** Defaults for TCP services without a named serversTransport (durations as written). */
  readonly tcpServersTransport?: Readonly<TcpServersTransport>
  readonly global?: { readonly checkNewVersion: boolean; readonly sendAnonymousUsage: boolean }
  readonly core: { readonly defaultRuleSyntax: 'v3' | 'v2' }
  /** Directory of the configuration file (or the working directory): relative paths were resolved against it. */
  readonly configDir: string
}

/** An entry point: a listener that outlives every reload. */
export interface EntryPoint {
  /** As written: `[host]:port[/tcp|/udp]`. */
  readonly address: string
  /** '' listens on every interface; IPv6 without brackets. */
  readonly host: string
  /** 0 picks a free port. */
  readonly port: number
  readonly protocol: 'tcp' | 'udp'
  readonly asDefault: boolean
  readonly allowACMEByPass: boolean
  readonly reusePort: boolean
  readonly transport: {
    readonly respondingTimeouts: { readonly readTimeout: number; readonly writeTimeout: number; readonly idleTimeout: number }
    readonly lifeCycle: { readonly requestAcceptGraceTimeout: number; readonly graceTimeOut: number }
    readonly keepAliveMaxTime: number
    readonly keepAliveMaxRequests: number
  }
  readonly forwardedHeaders: { readonly trustedIPs: readonly string[]; readonly insecure: boolean; readonly connection: readonly string[] }
  readonly proxyProtocol?: { readonly trustedIPs: readonly string[]; readonly insecure: boolean }
  readonly http: {
    readonly redirections?: { readonly entryPoint: EntryPointRedirection }
    readonly middlewares: readonly string[]
    readonly tls?: { readonly options?: string; readonly certResolver?: string; readonly domains?: readonly Domain[] }
    readonly encodeQuerySemicolons: boolean
    readonly sanitizePath: boolean
    readonly maxHeaderBytes: number
  }
  readonly http2: { readonly maxConcurrentStreams: number; readonly maxDecoderHeaderTableSize: number; readonly maxEncoderHeaderTableSize: number }
  readonly http3?: { readonly advertisedPort?: number }
  readonly udp: { readonly timeout: number }
  readonly observability?: { readonly accessLogs?: boolean; readonly metrics?: boolean; readonly tracing?: boolean; readonly traceVerbosity?: 'minimal' | 'detailed' }
}

/** Redirects every request of an entry point to another one. */
export interface EntryPointRedirection {
  /** An entry point name, or a port written `:443`. */
  readonly to: string
  readonly scheme: string
  readonly permanent: boolean
  readonly priority: number
}

/** One provider's options, as its own schema validated them (`ProviderEntry.schema`): defaults applied, paths absolute. */
export type ProviderOptions = Readonly<Record<string, unknown>>

/**
 * Which providers run, and how often their snapshots are applied. The
 * options of each provider are its own business: read them with
 * `providerOptions(providers, 'file')` from `static-providers.ts`.
 */
export interface Providers {
  readonly providersThrottleDuration: number
  /** Each configured provider's options, by its key under `providers` (`file`). */
  readonly [provider: string]: ProviderOptions | number | undefined
}

/** The process log. */
export interface Log {
  readonly level: LogLevel
  readonly format: 'common' | 'json'
  /** Absolute. */
  readonly filePath?: string
  readonly noColor?: boolean
  /** Rotation, as Traefik: megabytes, days, files. */
  readonly maxSize?: number
  readonly maxAge?: number
  readonly maxBackups?: number
  readonly compress?: boolean
}

/** The access log (one line per request). */
export interface AccessLog {
  /** Absolute. */
  readonly filePath?: string
  readonly format: 'common' | 'genericCLF' | 'json'
  readonly bufferingSize: number
  readonly addInternals?: boolean
  readonly filters?: { readonly statusCodes?: readonly string[]; readonly retryAttempts?: boolean; readonly minDuration?: number }
  readonly fields?: {
    readonly defaultMode?: string
    readonly names?: Readonly<Record<string, string>>
    readonly headers?: { readonly defaultMode?: string; readonly names?: Readonly<Record<string, string>> }
  }
}

/** The API and dashboard. */
export interface Api {
  readonly dashboard: boolean
  readonly insecure: boolean
  readonly debug: boolean
  readonly basePath: string
  readonly disableDashboardAd?: boolean
}

/** The health endpoint `/ping`. */
export interface Ping {
  readonly entryPoint: string
  readonly manualRouting: boolean
  readonly terminatingStatusCode: number
}

/** Metrics exporters. */
export interface Metrics {
  readonly addInternals?: boolean
  readonly prometheus?: {
    readonly buckets: readonly number[]
    readonly addEntryPointsLabels: boolean
    readonly addRoutersLabels: boolean
    readonly addServicesLabels: boolean
    readonly entryPoint: string
    readonly manualRouting: boolean
    readonly headerLabels?: Readonly<Record<string, string>>
  }
}

/** An ACME certificate resolver. */
export interface CertificatesResolver {
  readonly acme?: {
    readonly email?: string
    readonly caServer: string
    /** Absolute. */
    readonly storage: string
    readonly keyType: string
    readonly certificatesDuration: number
    readonly preferredChain?: string
    readonly caCertificates?: readonly string[]
    readonly caSystemCertPool?: boolean
    readonly caServerName?: string
    readonly eab?: { readonly kid?: string; readonly hmacEncoded?: string }
    readonly httpChallenge?: { readonly entryPoint?: string; readonly delay?: number }
    readonly tlsChallenge?: { readonly delay?: number }
    readonly dnsChallenge?: {
      readonly provider?: string
      readonly resolvers?: readonly string[]
      readonly delayBeforeCheck?: number
      readonly disablePropagationCheck?: boolean
    }
  }
}
