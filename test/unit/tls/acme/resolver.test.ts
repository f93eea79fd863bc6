import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../src/observability/logger.ts'
import { renewSchedule } from '../../../../src/tls/acme/renewal.ts'
import { CertificateResolver } from '../../../../src/tls/acme/resolver.ts'
import type { Issued } from '../../../../src/tls/acme/session.ts'
import type { AcmeStorage, StoredCertificate } from '../../../../src/tls/acme/storage.ts'
import type { CertificateWish } from '../../../../src/tls/acme/wishes.ts'
import { eventually } from '../../../support/eventually.ts'
import { FakeClock } from '../../../support/fake-clock.ts'
import { testCertificate } from '../../../support/tls-certificates.ts'

const minute = 60_000

/** A resolver whose orders the test answers: each call waits for `answer`. */
function setup(stored: StoredCertificate[] = []) {
  const clock = new FakeClock()
  const abort = new AbortController()
  const orders: string[][] = []
  let outcome: (domains: readonly string[]) => Promise<Issued> = () => Promise.reject(new Error('connect ECONNREFUSED'))
  const saved: StoredCertificate[][] = []
  const storage: AcmeStorage = { load: async () => ({ certificates: [] }), saveAccount: async () => undefined, saveCertificates: async (_resolver, certificates) => void saved.push([...certificates]) }
  let changes = 0
  const resolver = new CertificateResolver('le', stored, {
    storage,
    order: (domains) => {
      orders.push([...domains])
      return outcome(domains)
    },
    schedule: renewSchedule(2160),
    clock,
    logger: silentLogger(),
    signal: abort.signal,
    changed: () => changes++,
  })
  return { resolver, clock, abort, orders, saved, changes: () => changes, answer: (fn: typeof outcome) => (outcome = fn) }
}

const wish = (domains: string[], routers = ['r@file']): CertificateWish => ({ resolver: 'le', domains, routers, storeDefault: false })
const a = testCertificate({ cn: 'a.test', san: ['DNS:a.test'] })

describe('CertificateResolver', () => {
  it('orders only the names no held certificate covers, once however many generations ask (the held one, due, renewed at the first check)', async () => {
    const { resolver, orders, answer } = setup([{ domain: { main: 'a.test', sans: [] }, cert: a.cert, key: a.key, store: 'default' }])
    answer(() => new Promise(() => {}))
    resolver.want([wish(['a.test', 'b.test'])])
    resolver.want([wish(['a.test', 'b.test'])])
    expect(orders).toEqual([['a.test'], ['b.test']])
  })

  it('backs a failed order off (5 minutes, then 10), notes it on the routers that want it, and stops with the signal', async () => {
    const { resolver, clock, abort, orders, changes } = setup()
    resolver.want([wish(['b.test'], ['r@file', 's@file'])])
    await eventually(() => expect(changes()).toBe(1))
    expect(resolver.notes().map((note) => note.router)).toEqual(['r@file', 's@file'])
    expect(resolver.notes()[0]?.message).toMatch(/^router r@file: certificate resolver le: ordering a certificate for b\.test failed \(connect ECONNREFUSED\); next attempt at \S+Z, until then it is served with the default store's certificates$/)
    resolver.want([wish(['b.test'])])
    clock.advance(5 * minute - 1000)
    expect(orders).toHaveLength(1)
    clock.advance(1000)
    expect(orders).toHaveLength(2)
    await eventually(() => expect(changes()).toBe(2))
    clock.advance(10 * minute - 1000)
    expect(orders).toHaveLength(2)
    abort.abort()
    clock.advance(24 * 60 * minute)
    expect(orders).toHaveLength(2)
  })

  it('keeps an issued certificate, stores it, and forgets the failure', async () => {
    const b = testCertificate({ cn: 'b.test', san: ['DNS:b.test'] })
    const { resolver, saved, answer } = setup()
    answer(async () => b)
    resolver.want([wish(['b.test'])])
    await eventually(() => expect(saved).toHaveLength(1))
    expect(saved[0]).toEqual([{ domain: { main: 'b.test', sans: [] }, cert: b.cert, key: b.key, store: 'default' }])
    expect(resolver.find(['b.test'])?.names).toEqual(['b.test'])
    expect(resolver.notes()).toEqual([])
  })

  it('renews on the schedule only a certificate some wish still uses, keeping the stored one until the new one comes', async () => {
    // testCertificate is valid one day: inside the 30-day window from the start.
    const stored = [{ domain: { main: 'a.test', sans: [] }, cert: a.cert, key: a.key, store: 'default' }]
    const used = setup(stored)
    used.answer(() => new Promise(() => {}))
    used.resolver.want([wish(['a.test'])])
    expect(used.orders).toEqual([['a.test']])
    expect(used.resolver.find(['a.test'])?.cert).toBe(a.cert)
    const unused = setup(stored)
    unused.resolver.want([wish(['c.test'])])
    expect(unused.orders).toEqual([['c.test']])
  })
})
