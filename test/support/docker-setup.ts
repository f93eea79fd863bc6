import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { answers, dockerAt, dockerPackages, ensureTestImage, findExecutable, startDockerd, testImage, type Dockerd } from './docker-daemon.ts'

/**
 * vitest global setup: makes sure a Docker Engine answers on Docker's
 * default socket and holds the test image, and tells the test files
 * whether it does (`inject('docker')`, read through test/support/docker.ts).
 * When no daemon answers, it starts `dockerd --iptables=false` (as root,
 * logging to a temporary file) and stops that one, by its PID, once the
 * run ends; a daemon it found running is left alone.
 */

/** What every test file learns about Docker. */
export interface DockerStatus {
  readonly available: boolean
  /** Why not, with the packages to install. */
  readonly reason?: string
  readonly socketPath: string
  readonly image: string
}

declare module 'vitest' {
  export interface ProvidedContext {
    docker: DockerStatus
  }
}

export const sharedSocketPath = '/var/run/docker.sock'

/**
 * Every project of the run calls this setup; they share one check and one
 * daemon through the main process's global object, and the last teardown
 * stops a daemon the setup started.
 */
interface Shared {
  readonly prepared: Promise<{ readonly status: DockerStatus; readonly started?: Dockerd }>
  users: number
}
const key = Symbol.for('junction.test.docker-setup')
const registry = globalThis as { [key]?: Shared }

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = (registry[key] ??= { prepared: prepare(), users: 0 })
  shared.users++
  project.provide('docker', (await shared.prepared).status)
  return async () => {
    shared.users--
    if (shared.users > 0) return
    delete registry[key]
    await (await shared.prepared).started?.stop()
  }
}

async function prepare(): Promise<{ status: DockerStatus; started?: Dockerd }> {
  const unavailable = (reason: string): { status: DockerStatus } => ({
    status: { available: false, reason: `${reason}; install with: ${dockerPackages}`, socketPath: sharedSocketPath, image: testImage },
  })
  let started: Dockerd | undefined
  if (!(await answers(sharedSocketPath))) {
    if ((await findExecutable('dockerd')) === undefined) return unavailable(`no Docker Engine answers on ${sharedSocketPath} and dockerd is not installed`)
    if (process.getuid?.() !== 0) return unavailable(`no Docker Engine answers on ${sharedSocketPath}, and only root may start one`)
    const logFile = join(await mkdtemp(join(tmpdir(), 'junction-dockerd-log-')), 'dockerd.log')
    try {
      started = await startDockerd(['--iptables=false'], sharedSocketPath, logFile)
    } catch (error) {
      return unavailable(`starting dockerd: ${(error as Error).message}`)
    }
  }
  const status: DockerStatus = { available: true, socketPath: sharedSocketPath, image: testImage }
  try {
    await ensureTestImage(dockerAt(sharedSocketPath))
  } catch (error) {
    return { ...unavailable(`importing ${testImage}: ${(error as Error).message}`), ...(started && { started }) }
  }
  return { status, ...(started && { started }) }
}
