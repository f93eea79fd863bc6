import pino from 'pino'
import type { ContainerInspect, ContainerRow, DockerApi } from '../../../../providers/docker/client.ts'
import type { DockerEvent } from '../../../../providers/docker/event-stream.ts'
import type { Logger } from '../../../../src/provider-plugin.ts'

/** A container as the fake daemon inspects it: the fields the tests read. */
export function container(id: string, status = 'running', labels: Record<string, string> = {}): ContainerInspect {
  return { Id: id, Name: `/${id}`, State: { Status: status }, Config: { Labels: labels } } as ContainerInspect
}

/** One open event subscription: events pushed to it, an end or a break. */
class Subscription implements AsyncIterable<DockerEvent> {
  readonly #queue: Array<DockerEvent | { end: Error | undefined }> = []
  #wake: (() => void) | undefined
  readonly signal: AbortSignal

  constructor(signal: AbortSignal) {
    this.signal = signal
    signal.addEventListener('abort', () => this.close(new Error('aborted')), { once: true })
  }

  push(item: DockerEvent | { end: Error | undefined }): void {
    this.#queue.push(item)
    this.#wake?.()
  }

  close(error: Error | undefined): void {
    this.push({ end: error })
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<DockerEvent> {
    for (;;) {
      const item = this.#queue.shift()
      if (item === undefined) {
        await new Promise<void>((resolve) => (this.#wake = resolve))
        continue
      }
      if ('end' in item) {
        if (item.end !== undefined) throw item.end
        return
      }
      yield item
    }
  }
}

/**
 * A Docker daemon in memory behind the provider's {@link DockerApi}: tests
 * add and change containers, push events, take it down and cut streams,
 * and count what the provider asked.
 */
export class FakeDocker implements DockerApi {
  readonly endpoint = 'unix:///fake/docker.sock'
  readonly containers = new Map<string, ContainerInspect>()
  /** What the list says of a container's state when it should differ from the inspection (a missed event). */
  readonly listedState = new Map<string, string>()
  readonly calls = { version: 0, list: 0, inspect: [] as string[], events: 0 }
  readonly subscriptions: Subscription[] = []
  /** While set, every call fails as a daemon that is not there. */
  down = false
  /** While set, a list waits for it before answering. */
  listGate: Promise<void> | undefined

  add(...items: ContainerInspect[]): void {
    for (const item of items) this.containers.set(item.Id, item)
  }

  /** Pushes an event to every open subscription. */
  emit(event: DockerEvent): void {
    for (const subscription of this.subscriptions) subscription.push(event)
  }

  /** Breaks every open event stream as a daemon that stops does, or ends it cleanly. */
  cut(how: 'break' | 'end' = 'break'): void {
    const error = how === 'break' ? new Error(`reading events from ${this.endpoint}: socket hang up`) : undefined
    for (const subscription of this.subscriptions.splice(0)) subscription.close(error)
  }

  async version(signal: AbortSignal): Promise<{ Version: string; ApiVersion: string }> {
    this.calls.version++
    this.#reachable('reading the docker version', signal)
    return { Version: '20.10.24', ApiVersion: '1.41' }
  }

  async listContainers(signal: AbortSignal): Promise<ContainerRow[]> {
    this.calls.list++
    this.#reachable('listing containers', signal)
    if (this.listGate !== undefined) await this.listGate
    return [...this.containers.values()].map((item) => ({ Id: item.Id, State: this.listedState.get(item.Id) ?? item.State.Status, Labels: item.Config.Labels }))
  }

  async inspect(id: string, signal: AbortSignal): Promise<ContainerInspect | undefined> {
    this.calls.inspect.push(id)
    this.#reachable(`inspecting container ${id}`, signal)
    const found = this.containers.get(id)
    return found === undefined ? undefined : structuredClone(found)
  }

  async events(signal: AbortSignal): Promise<AsyncIterable<DockerEvent>> {
    this.calls.events++
    this.#reachable('subscribing to events', signal)
    const subscription = new Subscription(signal)
    this.subscriptions.push(subscription)
    return subscription
  }

  #reachable(what: string, signal: AbortSignal): void {
    signal.throwIfAborted()
    if (this.down) throw new Error(`${what} at ${this.endpoint}: connect ENOENT /fake/docker.sock`)
  }
}

/** A debug-level logger whose lines the test reads. */
export function captureLogger(): { logger: Logger; lines: Array<Record<string, unknown> & { level: number; msg: string }> } {
  const lines: Array<Record<string, unknown> & { level: number; msg: string }> = []
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) })
  return { logger, lines }
}
