import { join } from 'node:path'

/**
 * Where the Docker API is and how to speak to it, decided before any
 * connection: the endpoint text (from the configuration, else `DOCKER_HOST`,
 * else Docker's default socket), parsed into a socket path or a host and port.
 */

/** Docker's own default, and Traefik's. */
export const defaultEndpoint = 'unix:///var/run/docker.sock'

/** A parsed endpoint. `url` is the text it came from, for messages. */
export type DockerEndpoint =
  | { readonly kind: 'unix'; readonly url: string; readonly socketPath: string }
  | {
      readonly kind: 'tcp'
      readonly url: string
      /** A name or address; IPv6 in brackets (`[::1]`). */
      readonly host: string
      readonly port: number
      /** `https://`, or any TCP endpoint given `tls`. */
      readonly https: boolean
    }

/** `providers.docker.tls`: each of `ca`, `cert` and `key` is a file path or the PEM itself, as in Traefik. */
export interface DockerTls {
  readonly ca?: string
  readonly cert?: string
  readonly key?: string
  readonly insecureSkipVerify?: boolean
}

const schemes = ['unix', 'tcp', 'http', 'https'] as const

/**
 * Parses an endpoint the way Docker's client does (`scheme://address`):
 * `unix:///var/run/docker.sock`, `tcp://host:2375` (a port is required, as
 * Docker's dialer needs one), `http://host[:port]`, `https://host[:port]`.
 * Traefik also takes `ssh://`; Junction does not connect over SSH, and says so.
 *
 * @param from Where the text came from, for messages: `endpoint` (the configuration) or `DOCKER_HOST`.
 * @throws Error naming the endpoint and what is wrong with it: `endpoint "ssh://host": ...`.
 * @example
 * parseEndpoint('tcp://127.0.0.1:2375', false) // { kind: 'tcp', host: '127.0.0.1', port: 2375, https: false, ... }
 */
export function parseEndpoint(url: string, tls: boolean, from = 'endpoint'): DockerEndpoint {
  const fail = (why: string): never => {
    throw new Error(`${from} ${JSON.stringify(url)}: ${why}`)
  }
  const at = url.indexOf('://')
  if (at <= 0) return fail('expected scheme://address, such as unix:///var/run/docker.sock or tcp://127.0.0.1:2375')
  const scheme = url.slice(0, at).toLowerCase()
  const address = url.slice(at + 3)
  if (scheme === 'ssh') return fail('Junction does not connect to Docker over SSH; use unix://, tcp://, http:// or https://')
  if (!isScheme(scheme)) return fail(`unsupported scheme "${scheme}"; use unix://, tcp://, http:// or https://`)
  if (scheme === 'unix') {
    if (address === '') return fail('no socket path')
    return { kind: 'unix', url, socketPath: address }
  }
  let parsed: URL
  try {
    parsed = new URL(`http://${address}`)
  } catch {
    return fail('not a host[:port] address')
  }
  if (parsed.hostname === '') return fail('no host')
  if (parsed.username !== '' || parsed.password !== '') return fail('credentials belong in providers.docker.username and password')
  // Docker's client takes a base path here; dockerode cannot send one, so it is refused rather than dropped.
  if (parsed.pathname !== '/' || parsed.search !== '' || parsed.hash !== '') return fail('a path after host:port is not supported')
  const https = scheme === 'https' || tls
  let port = Number(parsed.port)
  if (parsed.port === '') {
    // Docker's dialer needs a port on tcp://; http(s):// carry their own.
    if (scheme === 'tcp') return fail('no port (tcp://host:2375)')
    port = scheme === 'https' ? 443 : 80
  }
  // An IPv6 address keeps its brackets: docker-modem builds a URL from it.
  return { kind: 'tcp', url, host: parsed.hostname, port, https }
}

function isScheme(value: string): value is (typeof schemes)[number] {
  return (schemes as readonly string[]).includes(value)
}

/** What the provider connects with: the endpoint text, its source, and the TLS settings that go with it. */
export interface ResolvedEndpoint {
  readonly url: string
  /** `configuration`, `DOCKER_HOST`, or `default`, for the log line that says where Junction looks. */
  readonly from: 'configuration' | 'DOCKER_HOST' | 'default'
  readonly tls?: DockerTls
}

/**
 * The endpoint to use: `providers.docker.endpoint` when set; else
 * `DOCKER_HOST` (with `DOCKER_CERT_PATH` and `DOCKER_TLS_VERIFY` as the
 * Docker CLI reads them, unless `tls` is configured); else Docker's default
 * socket. Traefik applies `DOCKER_HOST` even over a configured endpoint
 * (its Docker client reads the environment last); Junction lets the
 * configuration win, since it is what the user wrote for this router.
 *
 * @example
 * resolveEndpoint({}, { DOCKER_HOST: 'tcp://127.0.0.1:2375' }) // { url: 'tcp://127.0.0.1:2375', from: 'DOCKER_HOST' }
 */
export function resolveEndpoint(options: { endpoint?: string; tls?: DockerTls }, env: Readonly<Record<string, string | undefined>>): ResolvedEndpoint {
  const tls = options.tls === undefined ? {} : { tls: options.tls }
  if (options.endpoint !== undefined && options.endpoint !== '') return { url: options.endpoint, from: 'configuration', ...tls }
  const host = env['DOCKER_HOST']
  if (host === undefined || host === '') return { url: defaultEndpoint, from: 'default', ...tls }
  const certPath = env['DOCKER_CERT_PATH']
  if (options.tls !== undefined || certPath === undefined || certPath === '') return { url: host, from: 'DOCKER_HOST', ...tls }
  return {
    url: host,
    from: 'DOCKER_HOST',
    // The Docker CLI verifies the daemon's certificate only when DOCKER_TLS_VERIFY is set to anything.
    tls: { ca: join(certPath, 'ca.pem'), cert: join(certPath, 'cert.pem'), key: join(certPath, 'key.pem'), insecureSkipVerify: (env['DOCKER_TLS_VERIFY'] ?? '') === '' },
  }
}
