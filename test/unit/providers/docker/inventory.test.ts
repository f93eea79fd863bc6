import { setImmediate as turn } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { forEachLimited, Inventory } from '../../../../providers/docker/inventory.ts'
import { container, FakeDocker } from './fake-docker.ts'

describe('docker inventory', () => {
  it('orders containers by name, then ID, whatever order the daemon lists them in', async () => {
    const docker = new FakeDocker()
    docker.add({ ...container('2'), Name: '/web' }, container('zeta'), { ...container('1'), Name: '/web' }, container('alpha'))
    const names = (await new Inventory(docker).refresh('all', new AbortController().signal)).map((item) => `${item.Name}#${item.Id}`)
    expect(names).toEqual(['/alpha#alpha', '/web#1', '/web#2', '/zeta#zeta'])
  })

  it('inspects everything again for "all", though nothing changed', async () => {
    const docker = new FakeDocker()
    docker.add(container('a'), container('b'))
    const inventory = new Inventory(docker)
    await inventory.refresh('all', new AbortController().signal)
    await inventory.refresh(new Set(), new AbortController().signal)
    await inventory.refresh('all', new AbortController().signal)
    expect(docker.calls.inspect).toEqual(['a', 'b', 'a', 'b'])
  })

  it('leaves out a container listed as created unless it is wanted, without inspecting it, until it runs', async () => {
    const docker = new FakeDocker()
    docker.add(container('plain', 'created'), container('kept', 'created', { 'junction.docker.allownonrunning': 'true' }), container('up'))
    const inventory = new Inventory(docker, { wantsCreated: (labels) => 'junction.docker.allownonrunning' in labels })
    const signal = new AbortController().signal
    expect((await inventory.refresh('all', signal)).map((item) => item.Id)).toEqual(['kept', 'up'])
    expect(docker.calls.inspect.sort()).toEqual(['kept', 'up'])
    docker.containers.get('plain')!.State.Status = 'running'
    expect((await inventory.refresh(new Set(['plain']), signal)).map((item) => item.Id)).toEqual(['kept', 'plain', 'up'])
  })

  it('fails with the first failed inspection', async () => {
    const docker = new FakeDocker()
    docker.add(container('a'))
    docker.inspect = async () => {
      throw new Error('inspecting container a at unix:///fake/docker.sock: socket hang up')
    }
    await expect(new Inventory(docker).refresh('all', new AbortController().signal)).rejects.toThrow(
      'inspecting container a at unix:///fake/docker.sock: socket hang up',
    )
  })
})

describe('forEachLimited', () => {
  it('runs every item with at most the limit in flight', async () => {
    let inFlight = 0
    let most = 0
    const done: number[] = []
    await forEachLimited(Array.from({ length: 50 }, (_, index) => index), 4, async (item) => {
      inFlight++
      most = Math.max(most, inFlight)
      await turn()
      inFlight--
      done.push(item)
    })
    expect(most).toBe(4)
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, index) => index))
  })

  it('starts nothing new after a failure, lets started work settle, and throws the first failure', async () => {
    const started: number[] = []
    const settled: number[] = []
    const running = forEachLimited([0, 1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item)
      await turn()
      settled.push(item)
      if (item === 0) throw new Error('first')
      if (item === 1) throw new Error('second')
    })
    await expect(running).rejects.toThrow('first')
    expect(started).toEqual([0, 1])
    expect(settled).toEqual([0, 1])
  })

  it('does nothing for no items', async () => {
    await expect(forEachLimited([], 4, async () => Promise.reject(new Error('called')))).resolves.toBeUndefined()
  })
})
