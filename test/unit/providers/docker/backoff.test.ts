import { describe, expect, it } from 'vitest'
import { Backoff } from '../../../../providers/docker/backoff.ts'

describe('docker provider backoff', () => {
  it('doubles from the first delay up to the cap, then stays there', () => {
    const backoff = new Backoff({ initial: 100, max: 10_000 })
    expect(Array.from({ length: 10 }, () => backoff.next())).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000])
  })

  it('starts again from the first delay after a reset', () => {
    const backoff = new Backoff({ initial: 100, max: 10_000 })
    backoff.next()
    backoff.next()
    backoff.next()
    backoff.reset()
    expect([backoff.next(), backoff.next()]).toEqual([100, 200])
  })

  it('never goes below its first delay when the cap is smaller', () => {
    const backoff = new Backoff({ initial: 500, max: 100 })
    expect([backoff.next(), backoff.next()]).toEqual([500, 500])
  })
})
