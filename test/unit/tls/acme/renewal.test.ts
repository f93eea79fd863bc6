import { describe, expect, it } from 'vitest'
import { Backoff, renewalDue, renewSchedule } from '../../../../src/tls/acme/renewal.ts'

const minute = 60_000
const hour = 60 * minute
const day = 24 * hour

describe('renewSchedule (Traefik’s getCertificateRenewDurations)', () => {
  it.each([
    { hours: 10 * 365 * 24, before: 120 * day, every: 7 * day },
    { hours: 365 * 24, before: 120 * day, every: 7 * day },
    { hours: 365 * 24 - 1, before: 30 * day, every: day },
    { hours: 2160, before: 30 * day, every: day },
    { hours: 2159, before: 10 * day, every: 12 * hour },
    { hours: 720, before: 10 * day, every: 12 * hour },
    { hours: 719, before: 2 * day, every: 2 * hour },
    { hours: 144, before: 2 * day, every: 2 * hour },
    { hours: 143, before: 6 * hour, every: 10 * minute },
    { hours: 24, before: 6 * hour, every: 10 * minute },
    { hours: 23, before: 20 * minute, every: minute },
    { hours: 1, before: 20 * minute, every: minute },
  ])('$hours hours: renew $before ms before expiry, checked every $every ms', ({ hours, before, every }) => {
    expect(renewSchedule(hours)).toEqual({ before, every })
  })

  it('is due strictly inside the window', () => {
    const schedule = renewSchedule(2160)
    const notAfter = 100 * day
    expect(renewalDue(notAfter, notAfter - 30 * day, schedule)).toBe(false)
    expect(renewalDue(notAfter, notAfter - 30 * day + 1, schedule)).toBe(true)
    expect(renewalDue(notAfter, notAfter + day, schedule)).toBe(true)
  })
})

describe('Backoff', () => {
  it('waits 5 minutes after a first failure, doubling to at most 6 hours: at most four orders for one set of names in an hour', () => {
    const backoff = new Backoff()
    let now = 0
    const starts = [now]
    const waits: number[] = []
    for (let i = 0; i < 10; i++) {
      const next = backoff.failed('a.test', now)
      waits.push(next - now)
      now = next
      starts.push(now)
    }
    expect(waits).toEqual([5, 10, 20, 40, 80, 160, 320, 360, 360, 360].map((m) => m * minute))
    for (const start of starts) expect(starts.filter((other) => other >= start && other < start + hour).length).toBeLessThanOrEqual(4)
  })

  it('keeps each set of names apart, forgets one that succeeded, and those no longer wanted', () => {
    const backoff = new Backoff()
    backoff.failed('a.test', 0)
    backoff.failed('a.test', 0)
    backoff.failed('b.test', 0)
    expect([backoff.nextAttempt('a.test'), backoff.nextAttempt('b.test'), backoff.nextAttempt('c.test')]).toEqual([10 * minute, 5 * minute, 0])
    backoff.succeeded('a.test')
    expect(backoff.nextAttempt('a.test')).toBe(0)
    expect(backoff.failed('a.test', hour)).toBe(hour + 5 * minute)
    backoff.keep(new Set(['a.test']))
    expect(backoff.nextAttempt('b.test')).toBe(0)
    expect(backoff.nextAttempt('a.test')).toBe(hour + 5 * minute)
  })
})
