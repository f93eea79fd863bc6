import type { RuntimeReport } from '../config/report.ts'
import type { ServiceInstance } from '../services/service-kind.ts'
import type { RouterIndex } from './router-index.ts'
import type { CertificateStore } from '../tls/certificate-store.ts'
import { fallbackCertificates } from './build-certificates.ts'
import { defaultTlsOptions, type CompiledTlsOptions } from '../tls/tls-options.ts'

/** Something a generation owns and stops when it is gone. */
export interface Disposable {
  dispose(): Promise<void> | void
}

/** A service built for a generation, with the key that decides whether the next one can keep it. */
export interface BuiltService {
  /** The definition, its transport and its children's keys: equal keys mean the instance can be kept. */
  readonly key: string
  readonly instance: ServiceInstance
}

/** Middleware state that outlives a generation while the middleware's definition stays the same. */
export interface StateEntry extends Disposable {
  readonly key: string
  readonly value: unknown
}

/** The routers of one entry point, one index per protocol: TLS connections use `https`, others `http`. */
export interface EntryPointRoutes {
  readonly http: RouterIndex
  readonly https: RouterIndex
  /** The TLS options a connection gets by its SNI name, for the hosts whose routers ask other than `default`. */
  readonly tlsOptions?: ReadonlyMap<string, string>
}

/**
 * One generation of the routing model: immutable once built. The engine
 * holds a reference to the current one; requests take a reference for their
 * lifetime, so a retired generation is disposed only when its last request
 * has finished.
 */
export class RoutingTable {
  readonly generation: number
  readonly report: RuntimeReport
  /** Routers per entry point name. */
  readonly entryPoints: ReadonlyMap<string, EntryPointRoutes>
  /** Services by qualified name. */
  readonly services: ReadonlyMap<string, BuiltService>
  /** Middleware state by qualified middleware name. */
  readonly states: ReadonlyMap<string, StateEntry>
  /** The certificates TLS connections are served with, selected by SNI when the handshake starts. */
  readonly certificates: CertificateStore
  /** Every set of TLS options that compiled, by the name routers use (`default`, `mtls@file`). */
  readonly tlsOptions: ReadonlyMap<string, CompiledTlsOptions>
  readonly #owned: Set<Disposable>
  readonly #abort: AbortController
  #references = 0
  #retired = false
  #disposed: Promise<void> | undefined

  constructor(init: {
    generation: number
    report: RuntimeReport
    entryPoints: ReadonlyMap<string, EntryPointRoutes>
    services: ReadonlyMap<string, BuiltService>
    states?: ReadonlyMap<string, StateEntry>
    /** Aborted when the generation is disposed; the builder gives its signal to middlewares. */
    abort?: AbortController
    /** Only the generated default certificate unless told. */
    certificates?: CertificateStore
    /** Compiled TLS options by the name routers use; Traefik's default set unless told. */
    tlsOptions?: ReadonlyMap<string, CompiledTlsOptions>
  }) {
    this.generation = init.generation
    this.report = init.report
    this.entryPoints = init.entryPoints
    this.services = init.services
    this.states = init.states ?? new Map()
    this.certificates = init.certificates ?? fallbackCertificates()
    this.tlsOptions = init.tlsOptions ?? new Map([['default', defaultTlsOptions]])
    this.#abort = init.abort ?? new AbortController()
    this.#owned = new Set<Disposable>([...[...this.services.values()].map((service) => service.instance), ...this.states.values()])
  }

  /** Aborts when this generation is disposed. */
  get signal(): AbortSignal {
    return this.#abort.signal
  }

  /** A request enters this generation. */
  acquire(): void {
    this.#references++
  }

  /** A request that entered this generation has finished. */
  release(): void {
    this.#references--
    if (this.#retired && this.#references === 0) void this.dispose()
  }

  /**
   * The next generation took over `kept` (services and middleware state whose
   * definition did not change): those are no longer this table's to dispose.
   */
  retire(kept: ReadonlySet<Disposable>): void {
    for (const item of kept) this.#owned.delete(item)
    this.#retired = true
    if (this.#references === 0) void this.dispose()
  }

  /** Stops what this generation alone owns, and aborts its signal. */
  dispose(): Promise<void> {
    this.#disposed ??= (async () => {
      this.#abort.abort()
      await Promise.allSettled([...this.#owned].map(async (item) => item.dispose()))
    })()
    return this.#disposed
  }
}
