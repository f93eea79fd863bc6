import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { pebblePackages, startPebble, type Pebble, type PebbleFacts } from './pebble-daemon.ts'

/**
 * vitest global setup: one Pebble ACME server and one pebble-challtestsrv
 * (its DNS server) for the whole run, shared by both projects through the
 * main process's global object, stopped by PID after the last teardown.
 * Test files read it with `inject('pebble')` (test/support/pebble.ts).
 *
 * One Pebble serves every test although each Junction under test binds its
 * own address: Pebble validates a challenge at its fixed `httpPort` /
 * `tlsPort` on the address the name resolves to, so each test names its
 * domains after a loopback address of its own (127.x.y.z, which Linux
 * answers without configuration), tells challtestsrv (`/add-a`), and binds
 * its entry points there on those two ports. Tests in both projects and
 * several files run at once without sharing a listener.
 */

/** What every test file learns about Pebble. */
export type PebbleStatus = ({ readonly available: true } & PebbleFacts) | { readonly available: false; readonly reason: string }

declare module 'vitest' {
  export interface ProvidedContext {
    pebble: PebbleStatus
  }
}

interface Shared {
  readonly prepared: Promise<{ readonly status: PebbleStatus; readonly pebble?: Pebble; readonly dir?: string }>
  users: number
}
const key = Symbol.for('junction.test.pebble-setup')
const registry = globalThis as { [key]?: Shared }

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = (registry[key] ??= { prepared: prepare(), users: 0 })
  shared.users++
  project.provide('pebble', (await shared.prepared).status)
  return async () => {
    shared.users--
    if (shared.users > 0) return
    delete registry[key]
    const { pebble, dir } = await shared.prepared
    await pebble?.stop()
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  }
}

async function prepare(): Promise<{ status: PebbleStatus; pebble?: Pebble; dir?: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'junction-pebble-'))
  try {
    const pebble = await startPebble(dir)
    const { directoryUrl, managementUrl, challtestsrvUrl, dnsServer, caPem, httpPort, tlsPort } = pebble
    return { status: { available: true, directoryUrl, managementUrl, challtestsrvUrl, dnsServer, caPem, httpPort, tlsPort }, pebble, dir }
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    return { status: { available: false, reason: `${(error as Error).message}; install with: ${pebblePackages}` } }
  }
}
