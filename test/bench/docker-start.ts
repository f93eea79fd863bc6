/**
 * The Docker start burst: `count` labelled containers started at once
 * against a running Junction; how long from the last one's `start` event
 * (the daemon's own timestamp) until every one of them is routed (a request
 * through Junction answered by that container). Needs the Docker Engine on
 * /var/run/docker.sock (the bench imports the test image if missing).
 *
 * Run alone: `node test/bench/docker-start.ts [count]`.
 */
import type { Readable } from 'node:stream'
import { setTimeout as delay } from 'node:timers/promises'
import { freePort, TestContainers } from '../support/docker-containers.ts'
import { dockerAt, ensureTestImage } from '../support/docker-daemon.ts'
import { routeLabels, startDockerJunction, type DockerJunction } from '../support/docker-junction.ts'

const socketPath = '/var/run/docker.sock'
// Only stops a run that hangs.
const deadlineMs = 120_000

/** What one burst measured. */
export interface DockerStartBurst {
  /** From the last container's start event to all of them routed. */
  readonly routedAfterLastStartMs: number
  /** From the first start event to the last: how long the daemon took to start them. */
  readonly startSpanMs: number
}

/**
 * Starts `count` containers at once, each with a router of its own, and
 * measures when the last is routed after the last start event.
 *
 * @example
 * const { routedAfterLastStartMs } = await measureDockerStartBurst(100)
 */
export async function measureDockerStartBurst(count = 100): Promise<DockerStartBurst> {
  const docker = dockerAt(socketPath)
  await ensureTestImage(docker)
  const junction = await startDockerJunction({ endpoint: `unix://${socketPath}` })
  const containers = new TestContainers(docker)
  const abort = new AbortController()
  try {
    await junction.connected()
    const starts = await followStarts(docker, junction.run, abort.signal)
    const ports = await Promise.all(Array.from({ length: count }, () => freePort()))
    const targets = ports.map((port, index) => ({ port, host: hostOf(index), name: `junction-bench-${junction.run}-${index}` }))
    // Polled from the moment the containers are asked for, so each one's routing is seen as soon as it happens.
    const routing = routedTimes(junction, targets, starts, abort.signal)
    await containers.many(targets.map(({ port, host, name }, index) => ({ port, name, labels: routeLabels(junction, `burst${index}`, host, port) })))
    const routedAt = Math.max(...(await routing))
    const times = [...starts.seen.values()]
    const lastStart = Math.max(...times)
    return { routedAfterLastStartMs: Math.round(routedAt - lastStart), startSpanMs: Math.round(lastStart - Math.min(...times)) }
  } finally {
    abort.abort()
    await junction.stop()
    await containers.removeAll()
  }
}

function hostOf(index: number): string {
  return `burst${index}.bench.test`
}

/** The daemon's `start` events for one run's containers: time (ms, the daemon's clock) by container name. */
interface Starts {
  readonly seen: ReadonlyMap<string, number>
}

async function followStarts(docker: ReturnType<typeof dockerAt>, run: string, signal: AbortSignal): Promise<Starts> {
  const seen = new Map<string, number>()
  const filters = { type: ['container'], event: ['start'], label: [`junction-test.run=${run}`] }
  const stream = (await docker.getEvents({ filters, abortSignal: signal } as Parameters<typeof docker.getEvents>[0] & object)) as Readable
  signal.addEventListener('abort', () => stream.destroy(), { once: true })
  let pending = ''
  stream.on('error', () => undefined)
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8')
    for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
      const event = JSON.parse(pending.slice(0, newline)) as { Actor?: { Attributes?: Record<string, string> }; timeNano?: number }
      pending = pending.slice(newline + 1)
      const name = event.Actor?.Attributes?.['name']
      if (name !== undefined && event.timeNano !== undefined) seen.set(name, event.timeNano / 1e6)
    }
  })
  return { seen }
}

/** Requests in flight at once while polling: enough to see each container soon, few enough not to load Junction much. */
const pollConcurrency = 8

/**
 * Polls each target's host through Junction until it answers with that
 * container's name, and resolves with the wall-clock time each first did.
 * Until every start event is in, passes are spaced out to spare the CPU the
 * daemon needs. Stops early when `signal` aborts (the burst failed).
 */
async function routedTimes(junction: DockerJunction, targets: ReadonlyArray<{ host: string; name: string }>, starts: Starts, signal: AbortSignal): Promise<number[]> {
  const routed = new Map<string, number>()
  const deadline = Date.now() + deadlineMs
  while (routed.size < targets.length && !signal.aborted) {
    if (Date.now() > deadline) throw new Error(`docker start burst: ${targets.length - routed.size} containers not routed after ${deadlineMs} ms`)
    const pending = targets.filter((target) => !routed.has(target.name))
    for (let next = 0; next < pending.length; next += pollConcurrency) {
      await Promise.all(
        pending.slice(next, next + pollConcurrency).map(async (target) => {
          if ((await junction.reach(target.host)) === target.name) routed.set(target.name, Date.now())
        }),
      )
    }
    if (starts.seen.size < targets.length) await delay(50)
  }
  return targets.map((target) => routed.get(target.name) ?? 0)
}

if (import.meta.main) {
  const count = Number(process.argv[2] ?? 100)
  const result = await measureDockerStartBurst(count)
  console.log(`${count} containers: all routed ${result.routedAfterLastStartMs} ms after the last start event (the daemon started them over ${result.startSpanMs} ms)`)
}
