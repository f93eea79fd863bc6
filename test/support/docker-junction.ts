import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eventually } from './eventually.ts'
import { httpGet } from './http-get.ts'
import { uniqueId } from './docker-containers.ts'
import { spawnJunction, type JunctionProcess } from './process.ts'

/** The real `junction` command with the Docker provider. */
export interface DockerJunction {
  readonly process: JunctionProcess
  /** The `web` entry point's port. */
  readonly port: number
  /**
   * The value of the `junction-test.run` label this Junction routes: its
   * constraints keep it to the containers of its own test, whatever else
   * runs on the daemon.
   */
  readonly run: string
  /** The labels that put a container in this Junction's reach. */
  readonly runLabels: Readonly<Record<string, string>>
  /** What `GET <path>` with `Host: host` gets: the body, trimmed, on 200; else the status. */
  reach(host: string, path?: string): Promise<string | number>
  /** Resolves once the provider has connected to Docker `times` times in all. */
  connected(times?: number): Promise<void>
  stop(): Promise<void>
}

export interface DockerJunctionOptions {
  /** `providers.docker.endpoint`. */
  readonly endpoint: string
  /** More static flags (`--providers.docker.prefix=traefik`). */
  readonly flags?: readonly string[]
  /** A dynamic file for the file provider beside Docker, as YAML. */
  readonly dynamic?: string
}

/**
 * Starts `junction` on 127.0.0.1:0 with `providers.docker` on `endpoint`,
 * a 100 ms throttle, JSON logs at INFO, and a constraint to one test's
 * containers; resolves once its entry point listens (not once Docker
 * answers: see {@link DockerJunction.connected}).
 */
export async function startDockerJunction(options: DockerJunctionOptions): Promise<DockerJunction> {
  const run = uniqueId()
  const dir = await mkdtemp(join(tmpdir(), 'junction-docker-'))
  const args = [
    '--entryPoints.web.address=127.0.0.1:0',
    '--providers.providersThrottleDuration=100ms',
    `--providers.docker.endpoint=${options.endpoint}`,
    `--providers.docker.constraints=Label(\`junction-test.run\`, \`${run}\`)`,
    '--log.format=json',
    '--log.level=INFO',
    ...(options.flags ?? []),
  ]
  if (options.dynamic !== undefined) {
    await writeFile(join(dir, 'dynamic.yml'), options.dynamic)
    args.push(`--providers.file.filename=${join(dir, 'dynamic.yml')}`)
  }
  const process = spawnJunction(args, { cwd: dir })
  const stop = async (): Promise<void> => {
    process.kill()
    await process.exited
    await rm(dir, { recursive: true, force: true })
  }
  let port: number
  try {
    port = await process.port('web')
  } catch (error) {
    await stop()
    throw error
  }
  return {
    process,
    port,
    run,
    runLabels: { 'junction-test.run': run },
    reach: async (host, path = '/') => {
      const { status, body } = await httpGet(port, path, { host })
      return status === 200 ? body.trim() : status
    },
    connected: (times = 1) =>
      eventually(
        () => {
          const count = process.logs.filter((line) => String(line['msg']).startsWith('connected to docker')).length
          if (count < times) throw new Error(`connected to docker ${count} times, not ${times}; stderr: ${process.stderr()}`)
        },
        { timeout: 20_000 },
      ),
    stop,
  }
}

/** The labels of a container serving `host` as router and service `name` of a test's Junction, on `port`. */
export function routeLabels(junction: DockerJunction, name: string, host: string, port: number): Record<string, string> {
  return {
    ...junction.runLabels,
    [`junction.http.routers.${name}.rule`]: `Host(\`${host}\`)`,
    [`junction.http.services.${name}.loadbalancer.server.port`]: String(port),
  }
}
