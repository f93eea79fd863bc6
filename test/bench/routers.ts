/**
 * The routers scenario: does Junction's cost per request stay flat from 10 to
 * 10,000 `Host()` routers (DESIGN.md: rule matching is indexed), and how long
 * does applying a 10,000-router file take while Junction runs?
 */
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import type { Backend } from './lib/backend.ts'
import { hostRoutersDynamicConfig, routerHost } from './lib/configs.ts'
import { errorMessage, log } from './lib/log.ts'
import { measure, runOptions, type Measurement, type MeasureOptions } from './lib/measure.ts'
import { getStatus, waitForStatus } from './lib/processes.ts'
import type { RoutersResult } from './lib/report.ts'
import type { BenchSettings } from './lib/settings.ts'
import { nodeHttp, startJunction, type BenchContext } from './lib/targets.ts'

const smallCount = 10
const applyDeadlineMs = 30_000
const pollMs = 10

/**
 * Measures the minimal node:http proxy under the same load as the large run
 * (`/small`, the last router's Host header), then runs the scenario in one
 * Junction process: measure at 10 routers, apply the large file (timed),
 * measure at the large count, go back to 10 and measure again.
 */
export async function runRoutersScenario(ctx: BenchContext, backend: Backend, s: BenchSettings): Promise<RoutersResult> {
  const backendUrl = `http://127.0.0.1:${backend.port}`
  const files = {
    small: hostRoutersDynamicConfig(smallCount, backendUrl),
    large: hostRoutersDynamicConfig(s.routersLarge, backendUrl),
  }
  const directory = join(ctx.workDir, 'routers-dynamic')
  const staging = join(ctx.workDir, 'routers-staging')
  await mkdir(directory, { recursive: true })
  await mkdir(staging, { recursive: true })
  // A rename lands the whole file at once, so the watcher never sees half of it.
  const install = async (content: string): Promise<void> => {
    await writeFile(join(staging, 'routers.yml'), content)
    await rename(join(staging, 'routers.yml'), join(directory, 'routers.yml'))
  }
  await install(files.small)

  const smallHost = routerHost(smallCount - 1)
  const largeHost = routerHost(s.routersLarge - 1)
  const load = (port: number, proxyPid: number, host: string): MeasureOptions => ({
    url: `http://127.0.0.1:${port}/small`,
    headers: { host },
    proxyPid,
    backendPid: backend.daemon.pid,
    ...runOptions(s, ctx.signal),
  })
  const yardstick = await measureYardstick(ctx, (port, pid) => load(port, pid, largeHost))
  const { port, daemon } = await startJunction(ctx, {
    directory,
    probe: { path: '/small', host: smallHost },
  })
  try {
    const revert = async (): Promise<void> => {
      await install(files.small)
      await waitForStatus(daemon, { port, path: '/small', host: largeHost, status: 404, timeoutMs: applyDeadlineMs })
    }
    const before = await measure(load(port, daemon.pid, smallHost))
    const applyMs: number[] = []
    for (let i = 0; i < s.applyRepeat; i++) {
      if (i > 0) await revert()
      await install(files.large)
      applyMs.push(await timeUntilOk(port, largeHost, ctx.signal))
    }
    const large = await measure(load(port, daemon.pid, largeHost))
    // Measuring 10 routers again after 10,000 brackets the large run, so a
    // process that is still getting faster (JIT, pools) does not favour it.
    await revert()
    const after = await measure(load(port, daemon.pid, smallHost))
    return {
      small: { routers: smallCount, before, after },
      large: { routers: s.routersLarge, measurement: large },
      ...(yardstick ? { yardstick } : {}),
      applyMs,
    }
  } finally {
    await ctx.daemons.stop(daemon)
  }
}

/** The node:http proxy's measurement under `load`, or undefined (logged) when it could not run. */
async function measureYardstick(ctx: BenchContext, load: (port: number, pid: number) => MeasureOptions): Promise<Measurement | undefined> {
  let running
  try {
    running = await nodeHttp.start(ctx)
  } catch (err) {
    log(`routers: node:http proxy: ${errorMessage(err)}`)
    return undefined
  }
  try {
    if (!running.daemon) throw new Error('node:http proxy: started without a process')
    return await measure(load(running.port, running.daemon.pid))
  } catch (err) {
    log(`routers: node:http proxy: ${errorMessage(err)}`)
    return undefined
  } finally {
    if (running.daemon) await ctx.daemons.stop(running.daemon)
  }
}

/** Milliseconds until a request to `host` answers 200, polling every 10 ms. */
async function timeUntilOk(port: number, host: string, signal: AbortSignal): Promise<number> {
  const start = performance.now()
  for (;;) {
    const status = await getStatus(port, '/small', host).catch(() => 0)
    const elapsed = performance.now() - start
    if (status === 200) return elapsed
    if (elapsed > applyDeadlineMs) throw new Error(`applying the large routers file: ${host} still answers ${status} after ${applyDeadlineMs} ms`)
    await delay(pollMs, undefined, { signal })
  }
}
