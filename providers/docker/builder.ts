import {
  bool,
  compileExpression,
  decodeLabels,
  inferWorkload,
  labelMatchers,
  mergeWorkloads,
  obj,
  refuseOwnAddresses,
  sortedCopy,
  str,
  type OwnAddress,
  type Snapshot,
  type SourceProblem,
  type Workload,
  type WorkloadConfig,
} from '../../src/provider-plugin.ts'
import { containerName, isHealthy, isRunning, serviceName, type DockerContainer } from './container.ts'
import { serverAddress, type AddressContext } from './network.ts'

export type { DockerContainer, DockerNetwork, DockerPortBinding } from './container.ts'

/** The provider's options, as the builder reads them. */
export interface DockerBuildOptions {
  /** The label prefix: `junction`, or `traefik` to read Traefik-labelled containers as they are. */
  readonly prefix: string
  /** Route containers without `<prefix>.enable=true`. */
  readonly exposedByDefault: boolean
  /** Renders the default rule for one container; throws Error with a message on failure (the provider compiles `defaultRule` with the template engine). */
  readonly defaultRule: (data: { readonly Name: string; readonly ContainerName: string; readonly Labels: Readonly<Record<string, string>> }) => string
  /** The network to reach containers on, unless their `<prefix>.docker.network` label names another. */
  readonly network?: string
  /** Reach containers at the host address and port their port is published on. */
  readonly useBindPortIP: boolean
  /** Keep the services of unhealthy containers, with no server (they answer 503). */
  readonly allowEmptyServices: boolean
  /** Compiled `constraints`, absent when none. */
  readonly constraints?: (labels: Readonly<Record<string, string>>) => boolean
  /** Junction's own bound entry points (ProviderCreateContext.listening in src/core/provider.ts): servers there are refused. */
  readonly listening: readonly OwnAddress[]
}

/** The provider's own labels: `<prefix>.enable` and `<prefix>.docker.*`. */
const dockerLabels = obj({
  enable: bool(),
  docker: obj({ network: str(), allowNonRunning: bool(), lbSwarm: bool() }),
})

interface DockerOwnLabels {
  readonly enable?: boolean
  readonly docker?: { readonly network?: string; readonly allowNonRunning?: boolean; readonly lbSwarm?: boolean }
}

/**
 * Pure builder: every container (running or not, as `docker inspect`
 * describes it) in, one whole snapshot out. Containers are read one by one
 * (labels decoded, Traefik's inference rules applied, servers addressed),
 * then merged in Traefik's order (by service name, then ID): replicas
 * declaring the same service become one load balancer, and an object two
 * containers define differently is left out and reported for both. A
 * container with a label that does not decode is not routed at all, and a
 * problem names it and the label; the others are unaffected. The snapshot is
 * sorted, so the same containers always give the same snapshot.
 *
 * @example
 * buildDockerSnapshot(containers, { prefix: 'junction', exposedByDefault: true, defaultRule: ({ Name }) => `Host(\`${Name}.test\`)`, useBindPortIP: false, allowEmptyServices: false, listening: [] })
 * // { config: { http: { routers: { web: … }, services: { web: … } } }, problems: [] }
 */
export function buildDockerSnapshot(containers: readonly DockerContainer[], options: DockerBuildOptions): Snapshot {
  const named = containers.map((container) => ({ container, name: serviceName(container) }))
  named.sort((a, b) => compare(`${a.name}-${a.container.Id}`, `${b.name}-${b.container.Id}`))
  const find = finder(containers)
  const problems: SourceProblem[] = []
  const workloads: WorkloadConfig[] = []
  for (const { container, name } of named) {
    const source = `container ${containerName(container)}`
    const notes: string[] = []
    let config: Record<string, unknown> | undefined
    try {
      config = buildContainer(container, name, options, find, notes)
    } catch (error) {
      // Whatever one container holds must not take the others' routes down with it.
      notes.push(`the container could not be read: ${(error as Error).message}; the container is not routed`)
    }
    for (const message of notes) problems.push({ source, message })
    if (config !== undefined) workloads.push({ source, config })
  }
  const merged = mergeWorkloads(workloads)
  return { config: sortedCopy(merged.config) as Record<string, unknown>, problems: [...problems, ...merged.problems] }
}

/**
 * Compiles the `constraints` option: ``Label(`name`, `value`)`` and
 * ``LabelRegex(`name`, `regexp`)`` combined with `&&`, `||`, `!` and
 * parentheses, matched against all of a container's labels.
 *
 * @throws JunctionError `JCT_ERR_STATIC_CONFIG` saying what is wrong and where.
 * @example
 * compileConstraints('Label(`env`, `prod`) && !LabelRegex(`team`, `^qa-`)')({ env: 'prod' }) // true
 */
export function compileConstraints(expression: string): (labels: Readonly<Record<string, string>>) => boolean {
  return compileExpression(expression, labelMatchers)
}

/** One container's configuration, or undefined when it is not routed; `notes` gets what the provider must say about it. */
function buildContainer(container: DockerContainer, name: string, options: DockerBuildOptions, find: AddressContext['find'], notes: string[]): Record<string, unknown> | undefined {
  const labels = container.Config.Labels ?? {}
  const decoded = decodeLabels(labels, { prefix: options.prefix, own: dockerLabels })
  if (decoded.ownErrors.length > 0) return notRouted(decoded.ownErrors, notes)
  const own = decoded.own as DockerOwnLabels
  if (!(own.enable ?? options.exposedByDefault)) return undefined
  if (options.constraints !== undefined && !options.constraints(labels)) return undefined
  const running = isRunning(container)
  const healthy = isHealthy(container)
  // As Traefik: allownonrunning keeps a container whatever its state; otherwise it must run, and be healthy unless allowEmptyServices.
  if (own.docker?.allowNonRunning !== true && (!running || (!healthy && !options.allowEmptyServices))) return undefined
  if (decoded.errors.length > 0) return notRouted(decoded.errors, notes)
  for (const note of decoded.ignored) notes.push(note)
  if (own.docker?.lbSwarm !== undefined) notes.push(`label ${options.prefix}.docker.lbswarm: applies to Docker Swarm services only; ignored`)
  // As Traefik: the label wins over the option even when empty, which asks for no network in particular.
  const network = own.docker?.network !== undefined ? blankToUndefined(own.docker.network) : blankToUndefined(options.network)
  const context: AddressContext = {
    useBindPortIP: options.useBindPortIP,
    find,
    labelNetwork: (other) => labelNetwork(other, options.prefix),
    network: blankToUndefined(options.network),
    notes,
  }
  const workload: Workload = {
    name,
    serving: running && healthy,
    defaultRule: () => options.defaultRule({ Name: name, ContainerName: containerName(container), Labels: labels }),
    address: (protocol, port) => serverAddress(container, network, protocol, port, context),
  }
  const result = inferWorkload(decoded.config, { workload, prefix: options.prefix })
  if (result.errors.length > 0) return notRouted(result.errors, notes)
  for (const note of [...result.warnings, ...refuseOwnAddresses(result.config, options.listening)]) notes.push(note)
  return result.config
}

function notRouted(errors: readonly string[], notes: string[]): undefined {
  // A loop, not push(...): a container may carry more labels than a call takes arguments.
  for (const error of errors) notes.push(`${error}; the container is not routed`)
  return undefined
}

/** Finds a container by ID or name, for `container:<id>` network modes. */
function finder(containers: readonly DockerContainer[]): AddressContext['find'] {
  const index = new Map<string, DockerContainer>()
  for (const container of containers) {
    index.set(container.Id, container)
    index.set(containerName(container), container)
  }
  return (reference) => index.get(reference) ?? index.get(reference.replace(/^\//, ''))
}

/** `<prefix>.docker.network` on another container, read as its decoder would (case-insensitively). */
function labelNetwork(container: DockerContainer, prefix: string): string | undefined {
  const wanted = `${prefix}.docker.network`.toLowerCase()
  const labels = container.Config.Labels ?? {}
  const key = Object.keys(labels).find((candidate) => candidate.toLowerCase() === wanted)
  return key === undefined ? undefined : blankToUndefined(labels[key])
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
