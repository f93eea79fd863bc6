import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach } from 'vitest'
import { eventually } from '../../support/eventually.ts'
import { spawnJunction, type JunctionProcess } from '../../support/process.ts'
import { renderFixture } from './fixture.ts'

/** A `junction` process started on a rendered fixture. */
export interface FixtureRun {
  readonly junction: JunctionProcess
  /** The rendered fixture's path. */
  readonly file: string
  /** The port an entry point bound (fixtures listen on 127.0.0.1:0). */
  port(entryPoint: string): Promise<number>
  /**
   * Waits until the configuration generation `generation` (default 1: the
   * first the file provider produced) is live. This stands where Traefik's
   * tests poll `/api/rawdata`: it waits without sending a request the test
   * counts (a weighted round robin must start its count on a clean state).
   */
  live(generation?: number): Promise<void>
  /** Every log line (JSON) whose message contains `text`. */
  logsContaining(text: string): Array<Record<string, unknown>>
}

/**
 * Registers an `afterEach` that undoes, in reverse order, what each test
 * added: processes, servers, rendered fixtures. Call once per test file.
 */
export function cleanupAfterEach(): (undo: () => unknown) => void {
  const stack: Array<() => unknown> = []
  afterEach(async () => {
    const errors: unknown[] = []
    for (const undo of stack.splice(0).reverse()) {
      try {
        await undo()
      } catch (error) {
        errors.push(error)
      }
    }
    if (errors.length > 0) throw errors[0]
  })
  return (undo) => void stack.push(undo)
}

/**
 * Renders `fixture` with `values` and runs the real `junction` command on it
 * (`--configFile=<rendered file>`), as Traefik's suite runs `traefik` on its
 * adapted fixture. Logs come as JSON at `logLevel` (default INFO: the level
 * that says which port each entry point bound), whatever the fixture says.
 */
export async function runFixture(
  defer: (undo: () => unknown) => void,
  fixture: string,
  values: Readonly<Record<string, string>> = {},
  options: { logLevel?: string; args?: readonly string[] } = {},
): Promise<FixtureRun> {
  const rendered = await renderFixture(fixture, values)
  defer(() => rendered.remove())
  const junction = spawnJunction([
    `--configFile=${rendered.path}`,
    `--log.level=${options.logLevel ?? 'INFO'}`,
    '--log.format=json',
    ...(options.args ?? []),
  ])
  defer(async () => {
    junction.kill()
    await junction.exited
  })
  const logsContaining = (text: string): Array<Record<string, unknown>> => junction.logs.filter((log) => String(log['msg']).includes(text))
  return {
    junction,
    file: rendered.path,
    port: (entryPoint) => junction.port(entryPoint),
    live: async (generation = 1) => {
      await eventually(
        () => {
          if (!junction.logs.some((log) => log['generation'] === generation)) {
            throw new Error(`generation ${generation} is not live yet; stderr: ${junction.stderr()}`)
          }
        },
        { timeout: 15_000 },
      )
    },
    logsContaining,
  }
}

/**
 * Starts `server` on 127.0.0.1:0 (where Traefik's tests start an
 * `httptest.Server`), closes it after the test, and gives its base URL.
 */
export async function listenLocal(defer: (undo: () => unknown) => void, server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  defer(() => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeAllConnections()
    return closed
  })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}
