import { describe, expect, it } from 'vitest'
import { ChangeSet } from '../../../../providers/docker/change-set.ts'

describe('docker provider change set', () => {
  it('hands over every mark made before a take, once', async () => {
    const changes = new ChangeSet()
    for (const id of ['a', 'b', 'a', 'c']) changes.mark(id)
    expect([...(await changes.take(new AbortController().signal))]).toEqual(['a', 'b', 'c'])
    changes.mark('d')
    expect([...(await changes.take(new AbortController().signal))]).toEqual(['d'])
  })

  it('waits for the first mark, and marks made while a round runs wait for the next take', async () => {
    const changes = new ChangeSet()
    const first = changes.take(new AbortController().signal)
    changes.mark('a')
    changes.mark('b')
    expect([...(await first)]).toEqual(['a', 'b'])
    const rounds = [] as string[][]
    const second = changes.take(new AbortController().signal).then((ids) => rounds.push([...ids]))
    changes.mark('c')
    await second
    expect(rounds).toEqual([['c']])
  })

  it('settles the marks an inspection sent after them answers, and keeps those made while it ran', async () => {
    const changes = new ChangeSet()
    changes.mark('a')
    changes.mark('b')
    const sent = changes.tick
    changes.mark('b')
    changes.settle('a', sent)
    changes.settle('b', sent)
    changes.settle('c', sent)
    expect([...(await changes.take(new AbortController().signal))]).toEqual(['b'])
  })

  it('throws the failure of the event stream, also to a take already waiting', async () => {
    const changes = new ChangeSet()
    const waiting = changes.take(new AbortController().signal)
    changes.fail(new Error('the event stream ended'))
    await expect(waiting).rejects.toThrow('the event stream ended')
    changes.mark('a')
    await expect(changes.take(new AbortController().signal)).rejects.toThrow('the event stream ended')
  })

  it('keeps the first failure', async () => {
    const changes = new ChangeSet()
    changes.fail(new Error('first'))
    changes.fail(new Error('second'))
    await expect(changes.take(new AbortController().signal)).rejects.toThrow('first')
  })

  it('stops waiting when the signal aborts', async () => {
    const changes = new ChangeSet()
    const controller = new AbortController()
    const waiting = changes.take(controller.signal)
    controller.abort(new Error('stopping'))
    await expect(waiting).rejects.toThrow('stopping')
  })
})
