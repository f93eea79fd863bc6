import { describe, expect, it } from 'vitest'
import { localChannels } from '../../../../src/engine/local-channels.ts'
import { silentLogger } from '../../../../src/observability/logger.ts'
import { tlsAlpnChallengeKey } from '../../../../src/tls/acme/contracts.ts'
import { asksTlsAlpnChallenge, TlsAlpnAnswers } from '../../../../src/tls/acme/tls-alpn-01.ts'
import { testAlpnChallengeCertificate } from '../../../support/tls-certificates.ts'

const first = JSON.stringify(testAlpnChallengeCertificate('a.test', 'one.thumb'))
const second = JSON.stringify(testAlpnChallengeCertificate('a.test', 'two.thumb'))

/** Answers over a published-values map the test changes, as the worker's channel would. */
function answers(): { values: Map<string, string>; answers: TlsAlpnAnswers } {
  const values = new Map<string, string>()
  return { values, answers: new TlsAlpnAnswers({ ...localChannels(), value: (key) => values.get(key) }, silentLogger()) }
}

describe('asksTlsAlpnChallenge', () => {
  it.each([
    { alpn: ['acme-tls/1'], expected: true },
    { alpn: ['acme-tls/1', 'http/1.1'], expected: false },
    { alpn: ['http/1.1', 'acme-tls/1'], expected: false },
    { alpn: ['http/1.1'], expected: false },
    { alpn: [], expected: false },
  ])('is $expected for $alpn (RFC 8737 §3: a CA offers acme-tls/1 alone)', ({ alpn, expected }) => {
    expect(asksTlsAlpnChallenge({ serverName: 'a.test', alpn })).toBe(expected)
  })
})

describe('TlsAlpnAnswers', () => {
  it('makes one context per published answer, for the name in any case and with a trailing dot', () => {
    const { values, answers: made } = answers()
    values.set(tlsAlpnChallengeKey('a.test'), first)
    const context = made.context('a.test')
    expect(typeof context).toBe('object')
    expect(made.context('A.Test.')).toBe(context)
  })

  it('makes a new context once the answer changes, and none once it is withdrawn', () => {
    const { values, answers: made } = answers()
    values.set(tlsAlpnChallengeKey('a.test'), first)
    const before = made.context('a.test')
    values.set(tlsAlpnChallengeKey('a.test'), second)
    const after = made.context('a.test')
    expect(typeof after).toBe('object')
    expect(after).not.toBe(before)
    values.delete(tlsAlpnChallengeKey('a.test'))
    expect(made.context('a.test')).toBe('no TLS-ALPN-01 answer is published for a.test')
  })

  it.each([
    { desc: 'no SNI', name: undefined, value: undefined, expected: 'a TLS-ALPN-01 validation without SNI' },
    { desc: 'nothing published', name: 'b.test', value: undefined, expected: 'no TLS-ALPN-01 answer is published for b.test' },
    { desc: 'an answer that is not JSON', name: 'b.test', value: 'pem?', expected: expect.stringMatching(/^the TLS-ALPN-01 answer published for b\.test does not load: .*JSON/) },
    { desc: 'an answer whose PEM does not load', name: 'b.test', value: '{"cert":"x","key":"y"}', expected: expect.stringMatching(/^the TLS-ALPN-01 answer published for b\.test does not load: /) },
  ])('says why there is no context: $desc', ({ name, value, expected }) => {
    const { values, answers: made } = answers()
    if (value !== undefined) values.set(tlsAlpnChallengeKey('b.test'), value)
    expect(made.context(name)).toEqual(expected)
  })

  it('keeps a bounded number of domains: past it, the oldest is made again', () => {
    const { values, answers: made } = answers()
    const names = Array.from({ length: 65 }, (_, index) => `d${index}.test`)
    for (const name of names) values.set(tlsAlpnChallengeKey(name), first)
    const oldest = made.context('d0.test')
    const second = made.context('d1.test')
    for (const name of names.slice(2)) made.context(name)
    expect(made.context('d1.test')).toBe(second)
    expect(made.context('d0.test')).not.toBe(oldest)
  })
})
