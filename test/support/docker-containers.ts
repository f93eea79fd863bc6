import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'
import type Dockerode from 'dockerode'
import { testImage } from './docker-daemon.ts'

/**
 * Test containers: `busybox httpd` serving HTTP on 127.0.0.1 from the host
 * network, labelled, removed by ID after. No vitest here: the benchmarks
 * use it too.
 */

/** A port free on 127.0.0.1 right now, for a container to listen on. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  await once(server, 'close')
  return port
}

/** A unique value, for container names and the constraint that keeps a test's Junction to its own containers. */
export function uniqueId(): string {
  return randomBytes(4).toString('hex')
}

/** How to run one test HTTP server. */
export interface HttpdOptions {
  /** Labels besides `junction-test=1`. */
  readonly labels: Readonly<Record<string, string>>
  /** Default: a fresh free port. */
  readonly port?: number
  /** Default: `junction-test-<random>`. The served `/index.html` holds the name, so a test can tell replicas apart. */
  readonly name?: string
  /** Give it a Docker health check (`test -f /tmp/healthy`, every 200 ms, one failure is unhealthy), starting healthy or not. */
  readonly healthy?: boolean
}

/** A started test container. */
export interface TestContainer {
  readonly id: string
  readonly name: string
  readonly port: number
}

/**
 * Test containers on one daemon: `busybox httpd` on the host network,
 * listening on 127.0.0.1 only, labelled `junction-test=1`. Every container
 * it creates is removed by ID in {@link removeAll}.
 */
export class TestContainers {
  readonly docker: Dockerode
  readonly #created: string[] = []

  constructor(docker: Dockerode) {
    this.docker = docker
  }

  /** Creates and starts one server; resolves when the daemon has started it, as `docker run -d` returns. */
  async httpd(options: HttpdOptions): Promise<TestContainer> {
    const name = options.name ?? `junction-test-${uniqueId()}`
    const port = options.port ?? (await freePort())
    const health = options.healthy === undefined ? '' : `${options.healthy ? 'touch' : 'rm -f'} /tmp/healthy && `
    const script = `mkdir -p /www /tmp && echo ${name} > /www/index.html && ${health}exec httpd -f -p 127.0.0.1:${port} -h /www`
    const container = await this.docker.createContainer({
      name,
      Image: testImage,
      Cmd: ['sh', '-c', script],
      Labels: { ...options.labels, 'junction-test': '1' },
      // busybox as PID 1 ignores SIGTERM: `docker stop` would wait its whole grace period.
      StopSignal: 'SIGKILL',
      HostConfig: { NetworkMode: 'host' },
      ...(options.healthy !== undefined && {
        Healthcheck: { Test: ['CMD-SHELL', 'test -f /tmp/healthy'], Interval: 200_000_000, Timeout: 1_000_000_000, Retries: 1 },
      }),
    })
    this.#created.push(container.id)
    await container.start()
    return { id: container.id, name, port }
  }

  /** Starts several at once. */
  many(list: readonly HttpdOptions[]): Promise<TestContainer[]> {
    return Promise.all(list.map((options) => this.httpd(options)))
  }

  /** `docker stop`: resolves when the container has stopped. */
  async stop(id: string): Promise<void> {
    await this.docker.getContainer(id).stop()
  }

  /** Makes a container's health check pass or fail from its next run on. */
  async setHealthy(id: string, healthy: boolean): Promise<void> {
    await this.exec(id, ['sh', '-c', healthy ? 'touch /tmp/healthy' : 'rm -f /tmp/healthy'])
  }

  /** Runs a command in a container and resolves when it has ended. */
  async exec(id: string, cmd: string[]): Promise<void> {
    const exec = await this.docker.getContainer(id).exec({ Cmd: cmd })
    const stream = await exec.start({ Detach: false })
    stream.resume()
    await once(stream, 'end')
  }

  /** Removes (forcibly) every container this instance created, by ID. */
  async removeAll(): Promise<void> {
    const ids = this.#created.splice(0)
    await Promise.all(
      ids.map((id) =>
        this.docker
          .getContainer(id)
          .remove({ force: true })
          .catch((error: { statusCode?: number }) => {
            if (error.statusCode !== 404) throw error
          }),
      ),
    )
  }
}
