import type { RuntimeReport } from '../config/report.ts'
import type { StaticConfig } from '../config/static.ts'
import type { FailureKind } from '../core/outcome.ts'
import type { MiddlewareEntry } from '../core/middleware.ts'
import type { GenerationModel } from '../engine/data-plane.ts'
import { JunctionError } from '../errors.ts'
import { writeLine, type Logger } from '../observability/logger.ts'
import type { BoundAddress, FromWorker, ToWorker, WorkerStart } from './protocol.ts'
import { HealthBoard } from './health-board.ts'
import { createSharedCounterBuffer, SharedCounters } from './shared-counters.ts'
import { addTraffic, emptyTraffic, type TrafficCounts } from '../engine/traffic-counters.ts'
import { inlineWorker, threadWorker, type WorkerExit, type WorkerLink } from './worker-link.ts'
import type { InlineExtras } from './worker.ts'

export interface WorkerPoolOptions {
  readonly config: StaticConfig
  readonly count: number
  /** `threads`: one worker thread each; `inline`: every worker in this thread (functions in `inline` can reach them). */
  readonly mode: 'threads' | 'inline'
  readonly logger: Logger
  /** The middlewares Junction ships (an inline worker takes them from here; a thread imports them itself). */
  readonly shipped: readonly MiddlewareEntry[]
  /** Modules each worker imports for more middleware types. */
  readonly modules: readonly string[]
  readonly inline: InlineExtras
  /** A generation is live on every running worker; `report` is its runtime report. */
  readonly onLive: (generation: number, report: RuntimeReport) => void
}

/** What the control plane knows of one worker, as `junction.workers` shows it. */
export interface WorkerStatus {
  readonly index: number
  readonly threadId: number
  /** `starting` until it listens; `backoff` while a worker that crashes in a loop waits to be started again. */
  readonly state: 'starting' | 'ready' | 'backoff' | 'draining'
  /** The generation it serves; -1 before it serves any. */
  readonly generation: number
  /** Crashes of this worker slot since the instance started. */
  readonly crashes: number
  /** Requests this worker slot served, as of the last collection (`traffic()`). */
  readonly requests: number
}

/** A passive failure a worker reported. */
export interface ServerFailure {
  readonly worker: number
  readonly service: string
  readonly server: string
  readonly kind: FailureKind
}

/** Crashes within this window count as a loop... */
const crashWindowMs = 10_000
/** ...once there are this many: the slot is then restarted after a growing delay. */
const crashLoop = 5
const maxBackoffMs = 30_000

interface Slot {
  index: number
  link: WorkerLink | undefined
  state: WorkerStatus['state']
  generation: number
  crashes: number[]
  total: number
  requests: number
  backoff: NodeJS.Timeout | undefined
  /** Settles when the worker listens (or fails to). */
  ready: Promise<void>
}

/**
 * The control plane's side of the workers: it starts them, publishes each
 * generation to all of them, knows which generation each one serves,
 * replaces a worker that dies (backing off one that dies in a loop), and
 * carries the other channels: values, health verdicts, counters, passive
 * failures, and the shared-decision counters' memory.
 */
export class WorkerPool {
  readonly #options: WorkerPoolOptions
  readonly #slots: Slot[] = []
  readonly #shared = createSharedCounterBuffer()
  readonly #alive: SharedArrayBuffer
  readonly #values = new Map<string, string>()
  /** Down verdicts, for the workers that start later. */
  readonly #health = new HealthBoard()
  readonly #traffic = emptyTraffic()
  readonly #pending = new Map<number, { waiting: Set<number>; done: () => void }>()
  readonly #failureListeners = new Set<(failure: ServerFailure) => void>()
  #ports: Record<string, number> = {}
  #addresses: Record<string, BoundAddress> = {}
  #model: GenerationModel | undefined
  #announced = 0
  #seq = 0
  #stopping = false
  #started = false

  constructor(options: WorkerPoolOptions) {
    this.#options = options
    this.#alive = new SharedArrayBuffer(Math.max(1, options.count) * Int32Array.BYTES_PER_ELEMENT)
  }

  /** Bound addresses by entry point name. */
  get addresses(): Readonly<Record<string, BoundAddress>> {
    return this.#addresses
  }

  /** The shared-decision counters, as the control plane reads them. */
  get shared(): SharedCounters {
    return new SharedCounters(this.#shared, 0, (owner) => owner === 0 || new Int32Array(this.#alive).includes(owner))
  }

  get workers(): WorkerStatus[] {
    return this.#slots.map((slot) => ({
      index: slot.index,
      threadId: slot.link?.threadId ?? 0,
      state: slot.state,
      generation: slot.generation,
      crashes: slot.total,
      requests: slot.requests,
    }))
  }

  /**
   * Starts every worker: the first alone, so the ports it binds (port 0
   * picks one) are the ones the others bind with `reusePort`.
   *
   * @throws JunctionError `JCT_ERR_LISTEN` when an entry point cannot bind.
   */
  async start(): Promise<void> {
    for (let index = 0; index < this.#options.count; index++) {
      this.#slots.push({ index, link: undefined, state: 'starting', generation: -1, crashes: [], total: 0, requests: 0, backoff: undefined, ready: Promise.resolve() })
    }
    const [first, ...rest] = this.#slots
    if (first === undefined) return
    await this.#launch(first)
    await Promise.all(rest.map((slot) => this.#launch(slot)))
    this.#started = true
  }

  /** Sends generation `model.generation` to every worker; `onLive` follows once all of them serve it. */
  publish(model: GenerationModel): void {
    this.#model = model
    this.#broadcast({ type: 'generation', model })
  }

  /**
   * Publishes a value every worker must be able to answer (an ACME HTTP-01
   * token); `undefined` removes it. Resolves once every running worker has it.
   */
  setValue(key: string, value: string | undefined): Promise<void> {
    if (value === undefined) this.#values.delete(key)
    else this.#values.set(key, value)
    return this.#ask((seq) => ({ type: 'value', key, value: value ?? null, seq }))
  }

  /**
   * Marks `server` (a URL) of `service` down or up on every worker: each
   * applies it on the next turn of its event loop; resolves once all have.
   */
  markServer(service: string, server: string, up: boolean): Promise<void> {
    const href = new URL(server).href
    this.#health.set(service, href, !up)
    return this.#ask((seq) => ({ type: 'health', service, server: href, down: !up, seq }))
  }

  /** Calls `listener` for each passive failure a worker reports; returns the function that unsubscribes. */
  onFailure(listener: (failure: ServerFailure) => void): () => void {
    this.#failureListeners.add(listener)
    return () => this.#failureListeners.delete(listener)
  }

  /** The instance's traffic counts so far: every worker's, collected now, added to what earlier collections and stopped workers gave. */
  async traffic(): Promise<TrafficCounts> {
    await this.#ask((seq) => ({ type: 'collect', seq }))
    return structuredClone(this.#traffic)
  }

  /** Drains every worker (each as its entry points' lifeCycle says) and waits for them to end. */
  async stop(): Promise<void> {
    this.#stopping = true
    await Promise.all(
      this.#slots.map(async (slot) => {
        clearTimeout(slot.backoff)
        const link = slot.link
        if (link === undefined) return
        slot.state = 'draining'
        link.post({ type: 'drain' })
        await link.exited
      }),
    )
  }

  /** The in-thread data planes (inline mode), for tests that read a worker's table. */
  get links(): readonly WorkerLink[] {
    return this.#slots.flatMap((slot) => (slot.link === undefined ? [] : [slot.link]))
  }

  #launch(slot: Slot): Promise<void> {
    const { config, count, mode, shipped, modules, inline } = this.#options
    const start: WorkerStart = {
      index: slot.index,
      count,
      config,
      ports: this.#ports,
      reusePort: count > 1,
      shared: this.#shared,
      alive: this.#alive,
      modules,
    }
    const link = mode === 'threads' ? threadWorker(start) : inlineWorker(start, shipped, inline)
    slot.link = link
    slot.state = 'starting'
    slot.generation = -1
    slot.ready = new Promise<void>((resolve, reject) => {
      link.onMessage((message) => this.#receive(slot, link, message, resolve, reject))
      void link.exited.then((exit) => {
        reject(new JunctionError('JCT_ERR_WORKER', `worker ${slot.index} ended before listening: ${describeExit(exit)}`))
        this.#exited(slot, link, exit)
      })
    })
    link.post({ type: 'state', model: this.#model, values: [...this.#values], down: this.#health.down() })
    return slot.ready
  }

  #receive(slot: Slot, link: WorkerLink, message: FromWorker, ready: () => void, fail: (error: Error) => void): void {
    if (slot.link !== link) return
    switch (message.type) {
      case 'log':
        writeLine(this.#options.logger, message.line)
        return
      case 'ready':
        if (slot.index === 0 && Object.keys(this.#ports).length === 0) {
          this.#addresses = message.addresses
          this.#ports = Object.fromEntries(Object.entries(message.addresses).map(([name, address]) => [name, address.port]))
        }
        slot.state = this.#stopping ? 'draining' : 'ready'
        ready()
        this.#served(slot, message.generation, message.report)
        // A worker that started while a generation was on its way gets it now.
        if (this.#model !== undefined && message.generation < this.#model.generation) link.post({ type: 'generation', model: this.#model })
        return
      case 'live':
        this.#served(slot, message.generation, message.report)
        return
      case 'ack':
        this.#acked(message.seq, slot.index)
        return
      case 'counts':
        this.#count(slot, message.counts)
        this.#acked(message.seq, slot.index)
        return
      case 'drained':
        this.#count(slot, message.counts)
        link.terminate()
        return
      case 'failure':
        for (const listener of this.#failureListeners) listener({ worker: slot.index, service: message.service, server: message.server, kind: message.kind })
        return
      case 'fatal':
        fail(message.code === 'JCT_ERR_LISTEN' ? new JunctionError('JCT_ERR_LISTEN', message.message) : new JunctionError('JCT_ERR_WORKER', `worker ${slot.index}: ${message.message}`))
        link.terminate()
        return
    }
  }

  #count(slot: Slot, counts: TrafficCounts): void {
    addTraffic(this.#traffic, counts)
    for (const entryPoint of Object.values(counts.entryPoints)) slot.requests += entryPoint.requests
  }

  #served(slot: Slot, generation: number, report: RuntimeReport): void {
    slot.generation = generation
    const running = this.#slots.filter((other) => other.state === 'ready')
    if (generation <= this.#announced || running.some((other) => other.generation < generation)) return
    this.#announced = generation
    this.#options.onLive(generation, report)
  }

  #exited(slot: Slot, link: WorkerLink, exit: WorkerExit): void {
    if (slot.link !== link) return
    slot.link = undefined
    Atomics.store(new Int32Array(this.#alive), slot.index, 0)
    // What a dead worker owed an answer to is not waited for.
    for (const seq of this.#pending.keys()) this.#acked(seq, slot.index)
    if (this.#stopping) return
    const { logger } = this.#options
    slot.total++
    const now = performance.now()
    slot.crashes = [...slot.crashes.filter((at) => now - at < crashWindowMs), now]
    logger.error({ worker: slot.index, err: exit.error, code: exit.code }, `worker ${slot.index} crashed: ${describeExit(exit)}`)
    // A worker that fails while the instance starts fails the start instead (see `start`).
    if (!this.#started) return
    if (slot.crashes.length < crashLoop) {
      this.#replace(slot)
      return
    }
    const delay = Math.min(maxBackoffMs, 1000 * 2 ** (slot.crashes.length - crashLoop))
    slot.state = 'backoff'
    logger.error({ worker: slot.index, crashes: slot.crashes.length, delay }, `worker ${slot.index} crashed ${slot.crashes.length} times in ${crashWindowMs / 1000}s: starting it again in ${delay / 1000}s`)
    slot.backoff = setTimeout(() => this.#replace(slot), delay)
  }

  #replace(slot: Slot): void {
    slot.backoff = undefined
    if (this.#stopping) return
    this.#options.logger.warn({ worker: slot.index }, `starting a replacement for worker ${slot.index}`)
    this.#launch(slot).then(
      () => this.#options.logger.info({ worker: slot.index, generation: slot.generation }, `worker ${slot.index} replaced, serving generation ${slot.generation}`),
      () => undefined,
    )
  }

  /**
   * Sends every worker (starting ones too) the message `make` builds with a
   * fresh sequence number; resolves once each has answered it, or died.
   */
  #ask(make: (seq: number) => ToWorker): Promise<void> {
    const seq = ++this.#seq
    const waiting = new Set(this.#slots.filter((slot) => slot.link !== undefined && slot.state !== 'draining').map((slot) => slot.index))
    const done = new Promise<void>((resolve) => this.#pending.set(seq, { waiting, done: resolve }))
    this.#broadcast(make(seq))
    this.#settle(seq)
    return done
  }

  #broadcast(message: ToWorker): void {
    for (const slot of this.#slots) if (slot.link !== undefined && slot.state !== 'draining') slot.link.post(message)
  }

  #acked(seq: number, index: number): void {
    const pending = this.#pending.get(seq)
    if (pending === undefined) return
    pending.waiting.delete(index)
    this.#settle(seq)
  }

  #settle(seq: number): void {
    const pending = this.#pending.get(seq)
    if (pending === undefined || pending.waiting.size > 0) return
    this.#pending.delete(seq)
    pending.done()
  }
}

function describeExit(exit: WorkerExit): string {
  if (exit.error !== undefined) return exit.error.stack ?? exit.error.message
  return `exit code ${exit.code}`
}
