import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { createSharedCounterBuffer, SharedCounters } from '../../../src/cluster/shared-counters.ts'
import { JunctionError } from '../../../src/errors.ts'
import { createStrategy } from '../../../src/services/strategies.ts'
import type { Server, Strategy } from '../../../src/services/strategy.ts'
import { createWrr } from '../../../src/services/wrr.ts'

const req = {} as IncomingMessage

interface Named extends Server {
  readonly name: string
}

function picks(strategy: Strategy, servers: readonly Named[], count: number): string[] {
  return Array.from({ length: count }, () => strategy.pick(servers, req)?.name ?? '-')
}

/** What every strategy owes the load balancer, whatever its policy. */
function strategySuite(name: string, create: () => Strategy): void {
  describe(`strategy ${name}`, () => {
    it.each([
      { desc: 'no server', input: [], expected: '-' },
      { desc: 'only weight-0 servers', input: [{ name: 'a', weight: 0 }], expected: '-' },
    ])('picks nothing from $desc', ({ input, expected }) => {
      expect(picks(create(), input, 3)).toEqual([expected, expected, expected])
    })

    it('picks only from the servers it is given, never one of weight 0', () => {
      const servers = [
        { name: 'a', weight: 1 },
        { name: 'z', weight: 0 },
        { name: 'b', weight: 2 },
      ]
      const chosen = new Set(picks(create(), servers, 30))
      expect([...chosen].sort()).toEqual(['a', 'b'])
    })
  })
}

strategySuite('wrr', createWrr)
strategySuite('wrr with turns shared by every worker', () => createWrr(new SharedCounters(createSharedCounterBuffer(64), 0).sequence('wrr:app@file')))

describe('smooth weighted round robin', () => {
  it.each([
    { desc: '3:1 over two cycles', input: { weights: [3, 1], count: 8 }, expected: 'aabaaaba' },
    { desc: 'equal weights in turn', input: { weights: [1, 1, 1], count: 6 }, expected: 'abcabc' },
    { desc: '5:1:1 interleaved, not in bursts', input: { weights: [5, 1, 1], count: 7 }, expected: 'aabacaa' },
    { desc: '1:0:2, the zero never picked', input: { weights: [1, 0, 2], count: 6 }, expected: 'caccac' },
  ])('spreads $desc', ({ input, expected }) => {
    const servers = input.weights.map((weight, i) => ({ name: 'abc'[i]!, weight }))
    expect(picks(createWrr(), servers, input.count).join('')).toBe(expected)
  })

  it('respects weights exactly over a cycle', () => {
    const servers = [
      { name: 'a', weight: 7 },
      { name: 'b', weight: 2 },
      { name: 'c', weight: 3 },
    ]
    const counts: Record<string, number> = {}
    for (const name of picks(createWrr(), servers, 12 * 5)) counts[name] = (counts[name] ?? 0) + 1
    expect(counts).toEqual({ a: 35, b: 10, c: 15 })
  })

  it('keeps going when the healthy list shrinks and grows', () => {
    const a = { name: 'a', weight: 1 }
    const b = { name: 'b', weight: 1 }
    const wrr = createWrr()
    expect([...picks(wrr, [a, b], 2), ...picks(wrr, [b], 2), ...picks(wrr, [a, b], 2)]).toEqual(['a', 'b', 'b', 'b', 'a', 'b'])
  })
})

describe('createStrategy', () => {
  it.each([
    { desc: 'no name', input: undefined },
    { desc: 'wrr', input: 'wrr' },
    { desc: 'WRR in capitals', input: 'WRR' },
  ])('gives smooth WRR for $desc', ({ input }) => {
    const servers = [
      { name: 'a', weight: 3 },
      { name: 'b', weight: 1 },
    ]
    expect(picks(createStrategy(input), servers, 4).join('')).toBe('aaba')
  })

  it('rejects a strategy it does not have', () => {
    expect(() => createStrategy('p2c')).toThrowError(new JunctionError('JCT_ERR_DYNAMIC_CONFIG', 'strategy "p2c" is not supported yet (wrr)'))
  })
})
