import { describe, inject, it } from 'vitest'
import { TestContainers } from './docker-containers.ts'
import { dockerAt } from './docker-daemon.ts'
import type { DockerStatus } from './docker-setup.ts'

export { freePort, TestContainers, uniqueId, type HttpdOptions, type TestContainer } from './docker-containers.ts'

/**
 * What tests that need a Docker Engine use: whether one is there (the
 * global setup in docker-setup.ts decides), and test containers on it.
 */

/** The shared daemon's status, from the global setup. */
export function dockerStatus(): DockerStatus {
  return inject('docker')
}

/**
 * `describe` for tests that need Docker. Without a daemon, the block fails
 * under `CI=true` (a missing daemon there is a broken machine, not a pass)
 * and is skipped elsewhere; either way the reason, with the packages to
 * install, is in the test's name.
 *
 * @example
 * describeDocker('docker provider', () => { it('routes a labelled container', async () => { ... }) })
 */
export function describeDocker(name: string, body: () => void): void {
  const status = dockerStatus()
  if (status.available) {
    describe(name, body)
    return
  }
  const reason = `Docker is not available: ${status.reason ?? 'unknown reason'}`
  if (process.env['CI'] === 'true') {
    describe(name, () => {
      it('needs a Docker Engine', () => {
        throw new Error(reason)
      })
    })
    return
  }
  describe.skip(`${name} (skipped: ${reason})`, body)
}

/** Test containers on the shared daemon. */
export function sharedContainers(): TestContainers {
  return new TestContainers(dockerAt(dockerStatus().socketPath))
}
