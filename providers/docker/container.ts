import { normalizeName } from '../../src/provider-plugin.ts'

/**
 * The subset of `docker inspect` (GET /containers/{id}/json) the builder
 * reads; dockerode's `ContainerInspectInfo` is assignable to it, and so is
 * the JSON `docker inspect` prints (where absent maps are `null`).
 */
export interface DockerContainer {
  readonly Id: string
  /** As Docker reports it, with a leading `/`: `/web-1`. */
  readonly Name: string
  readonly Config: {
    readonly Labels?: Readonly<Record<string, string>> | null | undefined
    /** `{ "80/tcp": {} }`: the ports the image or `--expose` declares. */
    readonly ExposedPorts?: Readonly<Record<string, unknown>> | null | undefined
  }
  readonly State: {
    /** `created`, `running`, `paused`, `restarting`, `removing`, `exited`, `dead`. */
    readonly Status: string
    readonly Running: boolean
    /** Present when the container has a health check: `starting`, `healthy`, `unhealthy`. */
    readonly Health?: { readonly Status: string } | null | undefined
  }
  readonly HostConfig: {
    /** `bridge`, `host`, `none`, a network name, or `container:<id>`. */
    readonly NetworkMode?: string | undefined
  }
  readonly NetworkSettings: {
    readonly Networks?: Readonly<Record<string, DockerNetwork>> | null | undefined
    /** `{ "80/tcp": [{ "HostIp": "0.0.0.0", "HostPort": "8080" }] }`; `null` for a port exposed but not published. */
    readonly Ports?: Readonly<Record<string, readonly DockerPortBinding[] | null>> | null | undefined
  }
}

/** A container's endpoint on one network. */
export interface DockerNetwork {
  readonly IPAddress?: string | undefined
  readonly GlobalIPv6Address?: string | undefined
}

/** Where a container port is published on the host. */
export interface DockerPortBinding {
  readonly HostIp: string
  readonly HostPort: string
}

const composeProject = 'com.docker.compose.project'
const composeService = 'com.docker.compose.service'

/** The name Docker shows, without the leading `/`: `web-1`. */
export function containerName(container: DockerContainer): string {
  return container.Name.startsWith('/') ? container.Name.slice(1) : container.Name
}

/**
 * The name of the router and service made for a container, as Traefik's
 * `getServiceName`: for a Compose container, `<service>_<project>`,
 * otherwise the container's name; normalised (`web_shop` → `web-shop`).
 *
 * @example
 * serviceName({ ...container, Name: '/shop-web-1', Config: { Labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'web' } } }) // 'web-shop'
 */
export function serviceName(container: DockerContainer): string {
  const labels = container.Config.Labels ?? {}
  const project = own(labels, composeProject)
  const service = own(labels, composeService)
  const name = project !== '' && service !== '' ? `${service}_${project}` : container.Name
  return normalizeName(name)
}

/** Running, as Traefik counts it: Docker says `running` (or nothing). */
export function isRunning(container: DockerContainer): boolean {
  return container.State.Status === '' || container.State.Status === 'running'
}

/**
 * Healthy, or without a health check. Docker reports `none` for an image
 * whose health check is disabled, which Traefik would count as unhealthy;
 * it has no health check, so it counts as healthy here.
 */
export function isHealthy(container: DockerContainer): boolean {
  const status = container.State.Health?.Status ?? ''
  return status === '' || status === 'none' || status === 'healthy'
}

function own(labels: Readonly<Record<string, string>>, key: string): string {
  return Object.hasOwn(labels, key) ? (labels[key] ?? '') : ''
}
