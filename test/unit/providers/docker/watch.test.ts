import { afterEach, describe, expect, it } from 'vitest'
import type { ContainerInspect } from '../../../../providers/docker/client.ts'
import { watchDocker } from '../../../../providers/docker/watch.ts'
import type { Snapshot } from '../../../../src/provider-plugin.ts'
import { eventually } from '../../../support/eventually.ts'
import { captureLogger, container, FakeDocker } from './fake-docker.ts'

/** The pure builder's stand-in: each container's name and state, in the order given. */
function build(containers: readonly ContainerInspect[]): Snapshot {
  return { config: { containers: containers.map((item) => `${item.Name}:${item.State.Status}`) }, problems: [] }
}

interface Run {
  readonly snapshots: string[][]
  readonly lines: ReturnType<typeof captureLogger>['lines']
  readonly done: Promise<void>
  readonly controller: AbortController
}

const runs: Run[] = []

function run(docker: FakeDocker, { watch = true } = {}): Run {
  const { logger, lines } = captureLogger()
  const controller = new AbortController()
  const snapshots: string[][] = []
  const done = (async () => {
    const options = { endpoint: docker.endpoint, connect: () => docker, build, watch, logger, backoff: { initial: 5, max: 40 } }
    for await (const snapshot of watchDocker(options, controller.signal)) snapshots.push(snapshot.config['containers'] as string[])
  })()
  const handle = { snapshots, lines, done, controller }
  runs.push(handle)
  return handle
}

afterEach(async () => {
  for (const handle of runs.splice(0)) {
    handle.controller.abort()
    await handle.done
  }
})

const warnings = (handle: Run): string[] => handle.lines.filter((line) => line.level === 40).map((line) => line.msg)

describe('docker watch loop', () => {
  it('connects, emits every container, and inspects each once', async () => {
    const docker = new FakeDocker()
    docker.add(container('b'), container('a', 'exited'))
    const handle = run(docker)
    await eventually(() => expect(handle.snapshots).toEqual([['/a:exited', '/b:running']]))
    expect(docker.calls).toEqual({ version: 1, list: 1, inspect: ['b', 'a'], events: 1 })
    expect(handle.lines.find((line) => line.level === 30)?.msg).toBe('connected to docker 20.10.24 (API 1.41) at unix:///fake/docker.sock')
  })

  it('subscribes to events before listing, so a change during the first list is not missed', async () => {
    const docker = new FakeDocker()
    let release = (): void => undefined
    docker.listGate = new Promise((resolve) => (release = resolve))
    const handle = run(docker)
    await eventually(() => expect(docker.calls.list).toBe(1))
    expect(docker.calls.events).toBe(1)
    docker.add(container('late'))
    docker.emit({ Type: 'container', Action: 'start', Actor: { ID: 'late' } })
    docker.listGate = undefined
    release()
    await eventually(() => expect(handle.snapshots.at(-1)).toEqual(['/late:running']))
  })

  it('re-lists after an event and re-inspects only the containers it named, or new ones', async () => {
    const docker = new FakeDocker()
    docker.add(container('a'), container('b'))
    const handle = run(docker)
    await eventually(() => expect(handle.snapshots).toHaveLength(1))
    docker.containers.get('a')!.State.Status = 'exited'
    docker.add(container('c'))
    docker.emit({ Type: 'container', Action: 'die', Actor: { ID: 'a' } })
    await eventually(() => expect(handle.snapshots).toEqual([['/a:running', '/b:running'], ['/a:exited', '/b:running', '/c:running']]))
    expect(docker.calls.inspect).toEqual(['a', 'b', 'a', 'c'])
  })

  it('drops a container that is gone from the list, and one removed between list and inspect, without a warning', async () => {
    const docker = new FakeDocker()
    docker.add(container('a'), container('b'))
    const handle = run(docker)
    await eventually(() => expect(handle.snapshots).toHaveLength(1))
    docker.containers.delete('a')
    docker.emit({ Type: 'container', Action: 'destroy', Actor: { ID: 'a' } })
    await eventually(() => expect(handle.snapshots.at(-1)).toEqual(['/b:running']))
    const original = docker.inspect.bind(docker)
    docker.inspect = async (id, signal) => (id === 'b' ? undefined : original(id, signal))
    docker.emit({ Type: 'container', Action: 'die', Actor: { ID: 'b' } })
    await eventually(() => expect(handle.snapshots.at(-1)).toEqual([]))
    expect(warnings(handle)).toEqual([])
  })

  it('re-inspects a container whose listed state differs from its inspection, though no event said so', async () => {
    const docker = new FakeDocker()
    docker.add(container('a'), container('b'))
    const handle = run(docker)
    await eventually(() => expect(handle.snapshots).toHaveLength(1))
    docker.containers.get('b')!.State.Status = 'paused'
    docker.add(container('c'))
    docker.emit({ Type: 'container', Action: 'start', Actor: { ID: 'c' } })
    await eventually(() => expect(handle.snapshots.at(-1)).toEqual(['/a:running', '/b:paused', '/c:running']))
    expect(docker.calls.inspect.slice(2).sort()).toEqual(['b', 'c'])
  })

  it('ignores events that change nothing it reads', async () => {
    const docker = new FakeDocker()
    docker.add(container('a'))
    const handle = run(docker)
    await eventually(() => expect(handle.snapshots).toHaveLength(1))
    docker.emit({ Type: 'container', Action: 'exec_start: sh', Actor: { ID: 'a' } })
    docker.emit({ Type: 'container', Action: 'start', Actor: { ID: 'a' } })
    await eventually(() => expect(docker.calls.list).toBe(2))
    expect(docker.calls.inspect).toEqual(['a', 'a'])
  })

  it('coalesces a burst of events: a hundred starts announced while one list runs are answered by that list, each container inspected once', async () => {
    const docker = new FakeDocker()
    const handle = run(docker)
    await eventually(() => expect(handle.snapshots).toHaveLength(1))
    let release = (): void => undefined
    docker.listGate = new Promise((resolve) => (release = resolve))
    const ids = Array.from({ length: 100 }, (_, index) => `c${String(index).padStart(3, '0')}`)
    docker.add(container(ids[0]!))
    docker.emit({ Type: 'container', Action: 'start', Actor: { ID: ids[0]! } })
    await eventually(() => expect(docker.calls.list).toBe(2))
    for (const id of ids.slice(1)) {
      docker.add(container(id))
      docker.emit({ Type: 'container', Action: 'start', Actor: { ID: id } })
    }
    // Every event read while the list is still in flight.
    await eventually(() => expect(handle.lines.some((line) => line.container === 'c099')).toBe(true))
    docker.listGate = undefined
    release()
    await eventually(() => expect(handle.snapshots.at(-1)).toHaveLength(100))
    // The first list (empty), the one the burst waited on, and none after: every mark was settled by an inspection sent after it.
    await new Promise((resolve) => setImmediate(resolve))
    expect(docker.calls.list).toBe(2)
    expect(docker.calls.inspect).toHaveLength(100)
    expect(new Set(docker.calls.inspect).size).toBe(100)
  })

  it('keeps silent while the daemon is unreachable at start, warning with the endpoint and the next delay, and emits once it answers', async () => {
    const docker = new FakeDocker()
    docker.down = true
    docker.add(container('a'))
    const handle = run(docker)
    await eventually(() => expect(docker.calls.version).toBeGreaterThanOrEqual(4))
    expect(handle.snapshots).toEqual([])
    expect(warnings(handle).slice(0, 4)).toEqual([5, 10, 20, 40].map(
      (wait) => `docker provider: reading the docker version at unix:///fake/docker.sock: connect ENOENT /fake/docker.sock; keeping the last docker configuration, retrying in ${wait}ms`,
    ))
    expect(handle.lines.find((line) => line.level === 40)).toMatchObject({ endpoint: 'unix:///fake/docker.sock', retryInMs: 5 })
    docker.down = false
    await eventually(() => expect(handle.snapshots).toEqual([['/a:running']]))
  })

  it('keeps the last snapshot when the stream breaks, reconnects, and lists and inspects everything again', async () => {
    const docker = new FakeDocker()
    docker.add(container('a'), container('b'))
    const handle = run(docker)
    await eventually(() => expect(handle.snapshots).toHaveLength(1))
    docker.down = true
    docker.cut()
    await eventually(() => expect(warnings(handle).length).toBeGreaterThanOrEqual(2))
    expect(warnings(handle)[0]).toBe(
      'docker provider: reading events from unix:///fake/docker.sock: socket hang up; keeping the last docker configuration, retrying in 5ms',
    )
    // Changed while the provider could not see: no event will tell it.
    docker.containers.delete('a')
    docker.containers.get('b')!.State.Status = 'exited'
    docker.add(container('c'))
    expect(handle.snapshots).toHaveLength(1)
    const inspectedBefore = docker.calls.inspect.length
    docker.down = false
    await eventually(() => expect(handle.snapshots.at(-1)).toEqual(['/b:exited', '/c:running']))
    expect(handle.snapshots).toHaveLength(2)
    expect(docker.calls.inspect.slice(inspectedBefore).sort()).toEqual(['b', 'c'])
    // And the new stream is followed.
    docker.add(container('d'))
    docker.emit({ Type: 'container', Action: 'start', Actor: { ID: 'd' } })
    await eventually(() => expect(handle.snapshots.at(-1)).toEqual(['/b:exited', '/c:running', '/d:running']))
  })

  it('reconnects when the daemon ends the stream cleanly', async () => {
    const docker = new FakeDocker()
    const handle = run(docker)
    await eventually(() => expect(handle.snapshots).toHaveLength(1))
    docker.cut('end')
    await eventually(() => expect(docker.calls.events).toBe(2))
    expect(warnings(handle)).toEqual([
      'docker provider: the event stream from unix:///fake/docker.sock ended; keeping the last docker configuration, retrying in 5ms',
    ])
  })

  it('starts the backoff again after a connection that listed', async () => {
    const docker = new FakeDocker()
    docker.down = true
    const handle = run(docker)
    await eventually(() => expect(warnings(handle).length).toBeGreaterThanOrEqual(3))
    docker.down = false
    await eventually(() => expect(handle.snapshots).toHaveLength(1))
    const before = warnings(handle).length
    docker.cut()
    await eventually(() => expect(docker.calls.events).toBe(2))
    expect(handle.lines.filter((line) => line.level === 40).slice(before).map((line) => line.retryInMs)).toEqual([5])
  })

  it('without watch, emits one snapshot once the daemon answers and returns, never subscribing', async () => {
    const docker = new FakeDocker()
    docker.down = true
    docker.add(container('a'))
    const handle = run(docker, { watch: false })
    await eventually(() => expect(warnings(handle).length).toBeGreaterThanOrEqual(1))
    docker.down = false
    await handle.done
    expect(handle.snapshots).toEqual([['/a:running']])
    expect(docker.calls.events).toBe(0)
  })

  it('stops when its signal aborts, closing the event stream and waiting no further', async () => {
    const docker = new FakeDocker()
    const handle = run(docker)
    await eventually(() => expect(handle.snapshots).toHaveLength(1))
    const subscription = docker.subscriptions[0]!
    handle.controller.abort()
    await handle.done
    expect(subscription.signal.aborted).toBe(true)
    expect(warnings(handle)).toEqual([])
  })

  it('logs each problem of a snapshot once, when it first appears, naming its container', async () => {
    const docker = new FakeDocker()
    docker.add(container('bad'), container('good'))
    const { logger, lines } = captureLogger()
    const controller = new AbortController()
    const problemsOf = (containers: readonly ContainerInspect[]): Snapshot => ({
      config: { count: containers.length },
      problems: containers.filter((item) => item.Name.startsWith('/bad')).map((item) => ({ source: `container ${item.Name.slice(1)}`, message: 'label junction.http.routers: not an object' })),
    })
    const snapshots: Snapshot[] = []
    const done = (async () => {
      const options = { endpoint: docker.endpoint, connect: () => docker, build: problemsOf, watch: true, logger }
      for await (const snapshot of watchDocker(options, controller.signal)) snapshots.push(snapshot)
    })()
    runs.push({ snapshots: [], lines, done, controller })
    await eventually(() => expect(snapshots).toHaveLength(1))
    docker.add(container('other'))
    docker.emit({ Type: 'container', Action: 'start', Actor: { ID: 'other' } })
    await eventually(() => expect(snapshots).toHaveLength(2))
    docker.add(container('bad2'))
    docker.emit({ Type: 'container', Action: 'start', Actor: { ID: 'bad2' } })
    await eventually(() => expect(snapshots).toHaveLength(3))
    expect(lines.filter((line) => line.level === 50).map((line) => [line.source, line.msg])).toEqual([
      ['container bad', 'container bad: label junction.http.routers: not an object'],
      ['container bad2', 'container bad2: label junction.http.routers: not an object'],
    ])
    expect(snapshots[2]!.problems).toHaveLength(2)
  })

  it('retries a client that cannot be made (a TLS file missing) like any failure, making it again each time', async () => {
    const docker = new FakeDocker()
    docker.add(container('a'))
    const { logger, lines } = captureLogger()
    const controller = new AbortController()
    let attempts = 0
    const connect = () => {
      if (++attempts < 3) throw new Error('providers.docker.tls.cert: reading /certs/cert.pem: ENOENT')
      return docker
    }
    const snapshots: Snapshot[] = []
    const done = (async () => {
      const options = { endpoint: 'tcp://127.0.0.1:2376', connect, build, watch: true, logger, backoff: { initial: 5, max: 5 } }
      for await (const snapshot of watchDocker(options, controller.signal)) snapshots.push(snapshot)
    })()
    runs.push({ snapshots: [], lines, done, controller })
    await eventually(() => expect(snapshots).toHaveLength(1))
    expect(attempts).toBe(3)
    expect(lines.filter((line) => line.level === 40).map((line) => line.msg)).toEqual([
      'docker provider: providers.docker.tls.cert: reading /certs/cert.pem: ENOENT; keeping the last docker configuration, retrying in 5ms',
      'docker provider: providers.docker.tls.cert: reading /certs/cert.pem: ENOENT; keeping the last docker configuration, retrying in 5ms',
    ])
    expect(lines.find((line) => line.level === 40)?.endpoint).toBe('tcp://127.0.0.1:2376')
  })

  it('stops while waiting to reconnect', async () => {
    const docker = new FakeDocker()
    docker.down = true
    const { logger } = captureLogger()
    const controller = new AbortController()
    const iterator = watchDocker({ endpoint: docker.endpoint, connect: () => docker, build, watch: true, logger, backoff: { initial: 60_000, max: 60_000 } }, controller.signal)
    const next = iterator.next()
    await eventually(() => expect(docker.calls.version).toBe(1))
    controller.abort()
    expect(await next).toEqual({ done: true, value: undefined })
  })
})
