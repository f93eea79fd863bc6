import type { InferStatic } from './infer.ts'
import type { ParsedAddress } from './static-checks.ts'
import type { entryPoint, logLevels, staticSchema } from './static-schema.ts'

/**
 * The static configuration, as `loadStaticConfig` returns it: Traefik v3
 * names, defaults applied, deeply frozen. The types are inferred from the
 * schema (`static-schema.ts`, see `InferStatic`): a field with a default is
 * always present and durations are milliseconds, except in
 * `serversTransport` / `tcpServersTransport`, which share the dynamic shapes
 * (and their readers) and keep durations as written. What the schema cannot
 * say is written here: what the loader derives (an entry point's host, port
 * and protocol; `configDir`), what its checks guarantee (an entry point's
 * `address`, a redirection's `to`), and the providers' options, which each
 * provider's own schema describes.
 */

type Loaded = InferStatic<typeof staticSchema>
type LoadedEntryPoint = InferStatic<typeof entryPoint>
type LoadedRedirection = NonNullable<LoadedEntryPoint['http']['redirections']>['entryPoint']

/** Traefik's log levels. */
export type LogLevel = (typeof logLevels)[number]

/** The loaded static configuration. */
export interface StaticConfig extends Omit<Loaded, 'entryPoints' | 'providers'> {
  /** Every entry point, the implicit ones (`http` on `:80`, `traefik` on `:8080`) included. */
  readonly entryPoints: Readonly<Record<string, EntryPoint>>
  readonly providers: Providers
  /** Directory of the configuration file (or the working directory): relative paths were resolved against it. */
  readonly configDir: string
  /** The static configuration file, absolute, when one was given (`--configFile`, `JUNCTION_CONFIGFILE`). */
  readonly configFile?: string
  /** Options set but not honoured yet, one message each (`accessLog: not honoured yet, ignored: ...`); logged at start. */
  readonly warnings: readonly string[]
}

/** An entry point: a listener that outlives every reload. `host` '' listens on every interface; `port` 0 picks a free one. */
export interface EntryPoint extends Omit<LoadedEntryPoint, 'address' | 'http'>, ParsedAddress {
  /** As written: `[host]:port[/tcp|/udp]`; the loader refuses an entry point without one. */
  readonly address: string
  readonly http: Omit<LoadedEntryPoint['http'], 'redirections'> & { readonly redirections?: { readonly entryPoint: EntryPointRedirection } }
}

/** Redirects every request of an entry point to another one. */
export interface EntryPointRedirection extends Omit<LoadedRedirection, 'to'> {
  /** An entry point name, or a port written `:443`; the loader refuses a redirection without one. */
  readonly to: string
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

/** The process log; `filePath` is absolute. */
export type Log = StaticConfig['log']
/** The access log (one line per request); `filePath` is absolute. */
export type AccessLog = NonNullable<StaticConfig['accessLog']>
/** The API and dashboard. */
export type Api = NonNullable<StaticConfig['api']>
/** The health endpoint `/ping`. */
export type Ping = NonNullable<StaticConfig['ping']>
/** Metrics exporters. */
export type Metrics = NonNullable<StaticConfig['metrics']>
/** An ACME certificate resolver; `acme.storage` is absolute. */
export type CertificatesResolver = NonNullable<StaticConfig['certificatesResolvers']>[string]
