import { threadId, type MessagePort } from 'node:worker_threads'
import type { InstanceChannels } from '../core/instance.ts'
import type { FailureKind } from '../core/outcome.ts'
import type { MiddlewareEntry } from '../core/middleware.ts'
import { DataPlane } from '../engine/data-plane.ts'
import type { ExchangeObserver } from '../engine/entry-point.ts'
import { JunctionError } from '../errors.ts'
import { createLogger, silentLogger, type Logger } from '../observability/logger.ts'
import type { FromWorker, ToWorker, WorkerPort, WorkerStart } from './protocol.ts'
import { HealthBoard } from './health-board.ts'
import { SharedCounters } from './shared-counters.ts'
import { importMiddlewares } from './worker-modules.ts'
import { TrafficCounter } from '../engine/traffic-counters.ts'

/** What a worker in the control plane's own thread may take besides its start (functions cannot cross threads). */
export interface InlineExtras {
  readonly middlewares?: readonly MiddlewareEntry[]
  readonly onExchange?: ExchangeObserver
}

/** A server's failures are reported at most once per this many ms: a dead server fails every request sent to it. */
const failureReportInterval = 1000

/**
 * Runs one worker's data plane on `port`: waits for the control plane's
 * state (the current generation, values, verdicts), builds it, binds the
 * entry points, says `ready`, then follows the control plane's messages
 * until it says `drain`. Returns the data plane (its table is what tests
 * of an in-thread worker read).
 */
export async function runWorker(port: WorkerPort, start: WorkerStart, shipped: readonly MiddlewareEntry[], extras: InlineExtras = {}): Promise<DataPlane> {
  // Held from the first moment: a message that arrives while the worker builds or binds waits its turn.
  const inbox = new Inbox(port)
  const logger = forwardingLogger(port, start)
  const middlewares = [...shipped, ...(await importMiddlewares(start.modules)), ...(extras.middlewares ?? [])]
  const values = new Map<string, string>()
  const health = new HealthBoard()
  const alive = new Int32Array(start.alive)
  Atomics.store(alive, start.index, threadId)
  const channels: InstanceChannels = {
    worker: start.index,
    workers: start.count,
    shared: new SharedCounters(start.shared, threadId, (owner) => owner === 0 || alive.includes(owner)),
    value: (key) => values.get(key),
    health,
    reportFailure: failureReporter(port),
  }
  const traffic = new TrafficCounter(start.config.metrics?.prometheus?.buckets ?? [0.1, 0.3, 1.2, 5])
  const plane = new DataPlane({
    config: start.config,
    middlewares,
    logger,
    reportLogger: start.index === 0 ? logger : silentLogger(),
    channels,
    traffic,
    ...(extras.onExchange && { onExchange: extras.onExchange }),
  })
  const state = await inbox.state()
  for (const [key, value] of state.values) values.set(key, value)
  for (const [service, server] of state.down) health.set(service, server, true)
  if (state.model !== undefined) plane.apply(state.model)
  let draining = false
  const onMessage = (message: ToWorker): void => {
    switch (message.type) {
      case 'generation': {
        const report = plane.apply(message.model)
        port.postMessage({ type: 'live', generation: message.model.generation, report })
        return
      }
      case 'value':
        if (message.value === null) values.delete(message.key)
        else values.set(message.key, message.value)
        port.postMessage({ type: 'ack', seq: message.seq })
        return
      case 'health':
        health.set(message.service, message.server, message.down)
        port.postMessage({ type: 'ack', seq: message.seq })
        return
      case 'collect':
        port.postMessage({ type: 'counts', seq: message.seq, counts: traffic.take() })
        return
      case 'drain':
        draining = true
        inbox.close()
        void plane.shutdown().then(() => port.postMessage({ type: 'drained', counts: traffic.take() }))
        return
      case 'state':
        return
    }
  }
  // Messages that came while this worker built its first generation (a newer one, a value) apply before it accepts a connection.
  inbox.deliver(onMessage)
  // Told to stop before it started: nothing to bind.
  if (draining) return plane
  let addresses
  try {
    addresses = await plane.listen(start.ports, start.reusePort)
  } catch (error) {
    const code = error instanceof JunctionError ? error.code : 'JCT_ERR_INTERNAL'
    port.postMessage({ type: 'fatal', code, message: (error as Error).message })
    await plane.shutdown()
    return plane
  }
  const bound = Object.fromEntries(Object.entries(addresses).map(([name, { address, family, port }]) => [name, { address, family, port }]))
  port.postMessage({ type: 'ready', addresses: bound, generation: plane.table.generation, report: plane.table.report })
  return plane
}

/** Keeps the control plane's messages until the worker is ready for them, in order. */
class Inbox {
  readonly #port: WorkerPort
  readonly #held: ToWorker[] = []
  #handler: ((message: ToWorker) => void) | undefined
  #waiting: ((message: Extract<ToWorker, { type: 'state' }>) => void) | undefined
  readonly #listener = (message: ToWorker): void => {
    if (this.#waiting !== undefined && message.type === 'state') {
      const resolve = this.#waiting
      this.#waiting = undefined
      resolve(message)
    } else if (this.#handler !== undefined) {
      this.#handler(message)
    } else {
      this.#held.push(message)
    }
  }

  constructor(port: WorkerPort) {
    this.#port = port
    port.on('message', this.#listener)
  }

  /** The first `state` message (the control plane sends it right after starting the worker). */
  state(): Promise<Extract<ToWorker, { type: 'state' }>> {
    const held = this.#held.findIndex((message) => message.type === 'state')
    if (held >= 0) return Promise.resolve(this.#held.splice(held, 1)[0] as Extract<ToWorker, { type: 'state' }>)
    return new Promise((resolve) => (this.#waiting = resolve))
  }

  /** From now on every message goes to `handler`, those held first. */
  deliver(handler: (message: ToWorker) => void): void {
    this.#handler = handler
    for (const message of this.#held.splice(0)) handler(message)
  }

  close(): void {
    this.#port.off('message', this.#listener)
  }
}

/** Lines are formatted here (JSON or common) and written by the control plane, one writer for the whole instance. */
function forwardingLogger(port: WorkerPort, start: WorkerStart): Logger {
  const destination = { write: (line: string) => port.postMessage({ type: 'log', line }) }
  return createLogger(start.config.log, destination).child({ worker: start.index })
}

function failureReporter(port: WorkerPort): (service: string, server: string, kind: FailureKind) => void {
  const last = new Map<string, number>()
  return (service, server, kind) => {
    const key = `${service}\n${server}`
    const now = performance.now()
    if (now - (last.get(key) ?? -Infinity) < failureReportInterval) return
    // Keys are configured servers; a provider churning through thousands of them must not grow this for ever.
    if (last.size >= 10_000) last.clear()
    last.set(key, now)
    port.postMessage({ type: 'failure', service, server, kind })
  }
}

/** A `WorkerPort` over a worker thread's `parentPort` or one end of a `MessageChannel`. */
export function workerPort(port: MessagePort): WorkerPort {
  return {
    postMessage: (message: FromWorker) => port.postMessage(message),
    on: (event, listener) => port.on(event, listener),
    off: (event, listener) => port.off(event, listener),
  }
}
