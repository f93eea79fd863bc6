import { bool, dur, obj, str, type InferStatic, type Provider, type ProviderEntry } from '../../src/provider-plugin.ts'
import { buildDockerSnapshot, compileConstraints, type DockerBuildOptions } from './builder.ts'
import { createDockerApi } from './client.ts'
import { compileDefaultRule, defaultRuleTemplate } from './default-rule.ts'
import { parseEndpoint, resolveEndpoint, type ResolvedEndpoint } from './endpoint.ts'
import { watchDocker } from './watch.ts'

/** `providers.docker` in the static configuration: Traefik v3's names and defaults, and Junction's `prefix`. */
export const dockerProviderSchema = obj({
  endpoint: str({ doc: 'the Docker API: unix:///var/run/docker.sock (default, or DOCKER_HOST when set), tcp://host:port, http://, https://' }),
  username: str({ doc: 'basic authentication towards an endpoint behind a proxy, with password' }),
  password: str({ doc: 'basic authentication towards an endpoint behind a proxy, with username' }),
  tls: obj({
    ca: str({ doc: 'a CA file (or PEM) to verify the daemon with; default: the system roots' }),
    cert: str({ doc: 'a client certificate file (or PEM), with key' }),
    key: str({ doc: 'its private key file (or PEM), with cert' }),
    insecureSkipVerify: bool({ default: false, doc: 'accept any certificate from the daemon' }),
  }),
  httpClientTimeout: dur({ default: 0, doc: 'deadline of each list, inspect and version call; 0 = none; never cuts the event stream' }),
  exposedByDefault: bool({ default: true, doc: 'route every container; false: only those labelled <prefix>.enable=true' }),
  defaultRule: str({ default: defaultRuleTemplate, doc: 'the rule of a router without a rule label, a Go template' }),
  network: str({ doc: 'the Docker network to reach containers on, unless a container says (<prefix>.docker.network)' }),
  useBindPortIP: bool({ default: false, doc: 'reach a container at the host address and port its port is published on' }),
  constraints: str({ doc: 'an expression over labels: only containers that match are routed' }),
  watch: bool({ default: true, doc: 'follow Docker events; false: read the containers once' }),
  allowEmptyServices: bool({ default: false, doc: 'keep the service of a container that is not healthy (or not running), with no server' }),
  prefix: str({ default: 'junction', doc: "Junction's own: the label prefix; traefik reads containers labelled for Traefik unchanged" }),
})

/** `providers.docker` after the static loader: defaults applied, durations in ms. */
export type DockerOptions = InferStatic<typeof dockerProviderSchema>

/**
 * The Docker provider: routes from container labels, read from the Docker
 * API (list, inspect, events, version: it never changes anything), with
 * Traefik's options. Options a schema cannot judge are checked before the
 * start: the endpoint's scheme, `tls` on a socket endpoint, `cert` without
 * `key`, `username` without `password`, a `constraints` expression or a
 * `defaultRule` template that does not compile.
 *
 * @example
 * // junction.yml
 * // providers:
 * //   docker:
 * //     exposedByDefault: false
 * //     prefix: traefik
 */
export const dockerProviderEntry: ProviderEntry = {
  key: 'docker',
  schema: dockerProviderSchema,
  check: (options) => checkDockerOptions(options as DockerOptions, process.env),
  create: (options, context) => createDockerProvider(options as DockerOptions, { configDir: context.configDir, listening: context.listening ?? [], env: process.env }),
}

/** Problems with `providers.docker` that its schema cannot express, one message each. */
export function checkDockerOptions(options: DockerOptions, env: Readonly<Record<string, string | undefined>>): string[] {
  const problems: string[] = []
  const endpoint = resolveEndpoint(options, env)
  const from = endpoint.from === 'DOCKER_HOST' ? 'DOCKER_HOST' : 'endpoint'
  try {
    const parsed = parseEndpoint(endpoint.url, endpoint.tls !== undefined, from)
    if (options.tls !== undefined && parsed.kind === 'unix') {
      problems.push(`tls is set, but ${from} ${JSON.stringify(endpoint.url)} is a unix socket; tls applies to tcp://, http:// and https:// endpoints`)
    }
  } catch (error) {
    problems.push((error as Error).message)
  }
  if (isSet(options.tls?.cert) !== isSet(options.tls?.key)) problems.push('tls.cert and tls.key go together: set both, or neither')
  if (isSet(options.username) !== isSet(options.password)) problems.push('username and password go together: set both, or neither')
  if (!/^[^.\s]+(\.[^.\s]+)*$/.test(options.prefix)) problems.push(`prefix ${JSON.stringify(options.prefix)}: expected a label prefix such as junction or traefik`)
  if (isSet(options.constraints)) {
    try {
      compileConstraints(options.constraints)
    } catch (error) {
      // The compiler names the option and the expression: `constraints "Label(`a`": ...`.
      problems.push((error as Error).message)
    }
  }
  try {
    compileDefaultRule(options.defaultRule)
  } catch (error) {
    problems.push((error as Error).message)
  }
  return problems
}

/** What the provider is created with besides its options. */
export interface DockerProviderContext {
  readonly configDir: string
  readonly listening: DockerBuildOptions['listening']
  readonly env: Readonly<Record<string, string | undefined>>
}

/**
 * Builds the provider from checked options.
 *
 * @example
 * const provider = createDockerProvider(options, { configDir: process.cwd(), listening: [], env: process.env })
 * for await (const snapshot of provider.watch(signal, { logger })) apply(snapshot)
 */
export function createDockerProvider(options: DockerOptions, context: DockerProviderContext): Provider {
  const endpoint = resolveEndpoint(options, context.env)
  const build: DockerBuildOptions = {
    prefix: options.prefix,
    exposedByDefault: options.exposedByDefault,
    defaultRule: compileDefaultRule(options.defaultRule),
    useBindPortIP: options.useBindPortIP,
    allowEmptyServices: options.allowEmptyServices,
    listening: context.listening,
    ...(isSet(options.network) && { network: options.network }),
    ...(isSet(options.constraints) && { constraints: compileConstraints(options.constraints) }),
  }
  return {
    name: 'docker',
    watch: (signal, { logger }) => {
      const log = logger.child({ providerName: 'docker' })
      log.info({ endpoint: endpoint.url, from: endpoint.from }, `docker provider: reading containers from ${endpoint.url}${describeSource(endpoint)}`)
      const connect = () => createDockerApi({ ...clientOptions(options, endpoint), configDir: context.configDir })
      const inventory = { wantsCreated: (labels: Readonly<Record<string, string>>) => asksToRunStopped(labels, options.prefix) }
      return watchDocker(
        { endpoint: endpoint.url, connect, build: (containers) => buildDockerSnapshot(containers, build), watch: options.watch, logger: log, inventory },
        signal,
      )
    },
  }
}

function clientOptions(options: DockerOptions, endpoint: ResolvedEndpoint) {
  const from = endpoint.from === 'DOCKER_HOST' ? 'DOCKER_HOST' : 'endpoint'
  return {
    endpoint: parseEndpoint(endpoint.url, endpoint.tls !== undefined, from),
    timeout: Math.max(0, options.httpClientTimeout),
    ...(endpoint.tls !== undefined && { tls: endpoint.tls }),
    ...(isSet(options.username) && { username: options.username }),
    ...(isSet(options.password) && { password: options.password }),
  }
}

/** True when a container has an `<prefix>.docker.allownonrunning` label (whatever its value: the builder reads that), keys matched case-insensitively as labels are. */
function asksToRunStopped(labels: Readonly<Record<string, string>>, prefix: string): boolean {
  const key = `${prefix}.docker.allownonrunning`.toLowerCase()
  return Object.keys(labels).some((label) => label.toLowerCase() === key)
}

function describeSource(endpoint: ResolvedEndpoint): string {
  return endpoint.from === 'configuration' ? '' : endpoint.from === 'DOCKER_HOST' ? ' (DOCKER_HOST)' : ' (the default)'
}

function isSet(value: string | undefined): value is string {
  return value !== undefined && value !== ''
}
