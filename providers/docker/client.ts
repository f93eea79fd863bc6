import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Agent as HttpsAgent } from 'node:https'
import { isAbsolute, resolve } from 'node:path'
import type { Readable } from 'node:stream'
import type Dockerode from 'dockerode'
import { isInlinePem } from '../../src/provider-plugin.ts'
import type { DockerEndpoint, DockerTls } from './endpoint.ts'
import { parseEventStream, type DockerEvent } from './event-stream.ts'

/** A container as `GET /containers/{id}/json` answers (the builder reads a subset). */
export type ContainerInspect = Dockerode.ContainerInspectInfo

/** One row of `GET /containers/json?all=1`: enough to know which containers exist, whether one changed state, and its labels. */
export interface ContainerRow {
  readonly Id: string
  readonly State: string
  readonly Labels?: Readonly<Record<string, string>> | null
}

/**
 * The four read-only calls the provider makes, each bound to a signal. The
 * watch loop sees only this, so its tests drive it without a daemon.
 */
export interface DockerApi {
  /** The endpoint, as configured, for messages. */
  readonly endpoint: string
  version(signal: AbortSignal): Promise<{ readonly Version: string; readonly ApiVersion: string }>
  listContainers(signal: AbortSignal): Promise<readonly ContainerRow[]>
  /** Undefined when the container is gone (removed since it was listed). */
  inspect(id: string, signal: AbortSignal): Promise<ContainerInspect | undefined>
  /** Resolves once the daemon has accepted the subscription, so nothing after it is missed. */
  events(signal: AbortSignal): Promise<AsyncIterable<DockerEvent>>
}

/** How to reach the daemon. */
export interface ClientOptions {
  readonly endpoint: DockerEndpoint
  readonly tls?: DockerTls
  /** Relative `tls` paths resolve against it (the static configuration's folder). */
  readonly configDir: string
  readonly username?: string
  readonly password?: string
  /**
   * `httpClientTimeout` in ms, 0 for none: a deadline for each list, inspect
   * and version call. The events stream is long-lived by design and never
   * gets it (Traefik's client applies it there too, cutting the stream).
   */
  readonly timeout: number
}

/**
 * The Docker API over dockerode, reading only: version, list, inspect,
 * events. Errors name the call and the endpoint
 * (`listing containers at unix:///var/run/docker.sock: connect ENOENT /var/run/docker.sock`).
 *
 * @throws Error when a `tls` file cannot be read, naming the field and the file.
 * @example
 * const api = createDockerApi({ endpoint: parseEndpoint('unix:///var/run/docker.sock', false), configDir: process.cwd(), timeout: 0 })
 * const rows = await api.listContainers(signal)
 */
export function createDockerApi(options: ClientOptions): DockerApi {
  const url = options.endpoint.url
  const docker = construct(options)
  const call = async <T>(what: string, signal: AbortSignal, run: (abortSignal: AbortSignal) => Promise<T>): Promise<T> => {
    const abortSignal = options.timeout > 0 ? AbortSignal.any([signal, AbortSignal.timeout(options.timeout)]) : signal
    try {
      return await run(abortSignal)
    } catch (error) {
      if (signal.aborted) throw error
      const reason = abortSignal.aborted ? `no answer within httpClientTimeout (${options.timeout}ms)` : messageOf(error)
      throw new Error(`${what} at ${url}: ${reason}`, { cause: error })
    }
  }
  return {
    endpoint: url,
    version: (signal) => call('reading the docker version', signal, (abortSignal) => versionOf(docker, abortSignal)),
    listContainers: (signal) => call('listing containers', signal, (abortSignal) => docker.listContainers({ all: true, abortSignal })),
    inspect: (id, signal) =>
      call(`inspecting container ${id.slice(0, 12)}`, signal, async (abortSignal) => {
        try {
          return await docker.getContainer(id).inspect({ abortSignal })
        } catch (error) {
          // Removed between the list and the inspect: it is simply not there any more.
          if ((error as { statusCode?: unknown }).statusCode === 404) return undefined
          throw error
        }
      }),
    events: async (signal) => {
      try {
        const stream = (await docker.getEvents({ filters: { type: ['container', 'network'] }, abortSignal: signal } as Dockerode.GetEventsOptions)) as Readable
        // The request's signal ends the request; the response must not outlive it either.
        if (signal.aborted) stream.destroy()
        else signal.addEventListener('abort', () => stream.destroy(), { once: true })
        return parseEventStream(stream, url)
      } catch (error) {
        if (signal.aborted) throw error
        throw new Error(`subscribing to events at ${url}: ${messageOf(error)}`, { cause: error })
      }
    },
  }
}

/**
 * dockerode and its dependencies (docker-modem, tar-fs, protobufjs…) load
 * with the first client, not with the provider list: a Junction without
 * `providers.docker` never pays their memory.
 */
let dockerode: typeof Dockerode | undefined

function construct(options: ClientOptions): Dockerode {
  const settings = dockerodeOptions(options)
  try {
    dockerode ??= createRequire(import.meta.url)('dockerode') as typeof Dockerode
    return new dockerode(settings)
  } catch (error) {
    // docker-modem reads DOCKER_HOST and DOCKER_CERT_PATH itself first, and throws for a malformed one or a missing file.
    throw new Error(`creating a docker client for ${options.endpoint.url}: ${messageOf(error)}`, { cause: error })
  }
}

/** The typings omit `version`'s options; the library passes `abortSignal` on like every other call's. */
function versionOf(docker: Dockerode, abortSignal: AbortSignal): Promise<{ Version: string; ApiVersion: string }> {
  return (docker.version as (options: { abortSignal: AbortSignal }) => Promise<Dockerode.DockerVersion>).call(docker, { abortSignal })
}

/**
 * Every connection key is given, undefined ones included: docker-modem
 * starts from `DOCKER_HOST`, `DOCKER_CERT_PATH` and `DOCKER_CLIENT_TIMEOUT`
 * and would otherwise let them override the configured endpoint.
 */
function dockerodeOptions(options: ClientOptions): Dockerode.DockerOptions & { agent?: HttpsAgent } {
  const { endpoint } = options
  const headers: Record<string, string> = {}
  // As Traefik: the header goes out only when both are set (check() reports one without the other).
  if (options.username !== undefined && options.username !== '' && options.password !== undefined && options.password !== '') {
    headers['Authorization'] = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`
  }
  const none = { socketPath: undefined, host: undefined, port: undefined, protocol: undefined, ca: undefined, cert: undefined, key: undefined, timeout: undefined }
  if (endpoint.kind === 'unix') return { ...none, socketPath: endpoint.socketPath, headers }
  const base = { ...none, host: endpoint.host, port: endpoint.port, headers }
  if (!endpoint.https) return { ...base, protocol: 'http' }
  const tls = tlsMaterial(options.tls ?? {}, options.configDir)
  // The agent carries what docker-modem cannot say itself: skipping verification, and a CA without a client certificate.
  const agent = new HttpsAgent({ keepAlive: true, rejectUnauthorized: options.tls?.insecureSkipVerify !== true, ...tls })
  return { ...base, protocol: 'https', ...tls, agent }
}

/** Traefik's FileOrContent for `ca`, `cert` and `key`: inline PEM is taken as is, anything else is a file path. */
function tlsMaterial(tls: DockerTls, configDir: string): { ca?: string; cert?: string; key?: string } {
  const out: { ca?: string; cert?: string; key?: string } = {}
  for (const field of ['ca', 'cert', 'key'] as const) {
    const value = tls[field]
    if (value === undefined || value === '') continue
    if (isInlinePem(value)) {
      out[field] = value
      continue
    }
    const path = isAbsolute(value) ? value : resolve(configDir, value)
    try {
      out[field] = readFileSync(path, 'utf8')
    } catch (error) {
      throw new Error(`providers.docker.tls.${field}: reading ${path}: ${messageOf(error)}`, { cause: error })
    }
  }
  return out
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.trim() : String(error)
}
