import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { createSharedCounterBuffer, SharedCounters } from '../../../src/cluster/shared-counters.ts'
import type { Server, Strategy } from '../../../src/services/strategy.ts'
import { createWrr } from '../../../src/services/wrr.ts'

const req = {} as IncomingMessage

interface Named extends Server {
  readonly name: string
}

function servers(weights: readonly number[]): Named[] {
  return weights.map((weight, i) => ({ name: 'abcdef'[i]!, weight }))
}

function picks(strategy: Strategy, list: readonly Named[], count: number): string {
  return Array.from({ length: count }, () => strategy.pick(list, req)?.name ?? '-').join('')
}

/** A turn source that starts at `first` and counts how often it was asked. */
function turnSource(first = 0): { next: () => number; readonly asked: number } {
  let turn = first
  let asked = 0
  return {
    next: () => {
      asked++
      return turn++
    },
    get asked() {
      return asked
    },
  }
}

/** One instance's sequence, seen by `workers` workers (each its own view of the shared buffer). */
function sharedTurns(workers: number): Array<() => number> {
  const buffer = createSharedCounterBuffer(64)
  return Array.from({ length: workers }, (_, worker) => new SharedCounters(buffer, worker).sequence('wrr:app@file')!)
}

describe('createWrr with shared turns', () => {
  it.each([
    { desc: '3:1', weights: [3, 1], expected: 'aabaaaba' },
    { desc: 'equal weights', weights: [1, 1, 1], expected: 'abcabc' },
    { desc: '5:1:1', weights: [5, 1, 1], expected: 'aabacaaaabacaa' },
    { desc: '1:0:2', weights: [1, 0, 2], expected: 'caccac' },
    { desc: '7:2:3', weights: [7, 2, 3], expected: 'acabaacabaca' + 'acabaacabaca' },
  ])('follows the smooth cycle for $desc, the order of the per-worker strategy', ({ weights, expected }) => {
    const list = servers(weights)
    expect(picks(createWrr(turnSource().next), list, expected.length)).toBe(expected)
    expect(picks(createWrr(), list, expected.length)).toBe(expected)
  })

  it('makes two workers sharing one sequence pick as one strategy would', () => {
    const [first, second] = sharedTurns(2)
    // Each worker has its own copy of the server list, as each builds its own load balancer.
    const [one, two] = [createWrr(first), createWrr(second)]
    const [oneList, twoList] = [servers([3, 1]), servers([3, 1])]
    const schedule = 'ABABBBAAAB' + 'ABABABAB'
    const combined = [...schedule].map((worker) => (worker === 'A' ? one.pick(oneList, req) : two.pick(twoList, req))?.name).join('')
    expect(combined).toBe('aabaaaba' + 'aabaaaba' + 'aa')
  })

  it('shows why: two workers on their own turns pick a server twice in a row where one strategy would not', () => {
    const [one, two] = [createWrr(), createWrr()]
    const [oneList, twoList] = [servers([3, 1]), servers([3, 1])]
    const combined = [...'ABABABAB'].map((worker) => (worker === 'A' ? one.pick(oneList, req) : two.pick(twoList, req))?.name).join('')
    expect(combined).toBe('aaaabbaa')
  })

  it('computes a new cycle for a new server list, at the turn the instance is at', () => {
    const wrr = createWrr(turnSource().next)
    const before = picks(wrr, servers([3, 1]), 3)
    // The cycle of 1:1:2 is c a b c; the fourth turn is its fourth place.
    const after = picks(wrr, servers([1, 1, 2]), 5)
    expect([before, after]).toEqual(['aab', 'ccabc'])
  })

  it.each([
    { desc: 'no server', weights: [] },
    { desc: 'only weight-0 servers', weights: [0, 0] },
    { desc: 'only negative weights', weights: [-1, 0] },
  ])('picks nothing from $desc', ({ weights }) => {
    expect(picks(createWrr(turnSource().next), servers(weights), 3)).toBe('---')
  })

  it.each([
    { desc: 'a weight that is not whole', weights: [1.5, 0.5], expected: 'aabaaaba' },
    { desc: 'a cycle over the work cap', weights: [3_000_000, 1_000_000], expected: 'aabaaaba' },
  ])('falls back to per-worker turns for $desc', ({ weights, expected }) => {
    // The instance's turn is 1: a shared cycle would start at its second place.
    const turns = turnSource(1)
    expect(picks(createWrr(turns.next), servers(weights), 8)).toBe(expected)
    expect(turns.asked).toBe(0)
  })

  it('keeps the shared cycle at exactly the work cap (sum of weights × servers = 4,000,000)', () => {
    const turns = turnSource(1)
    expect(picks(createWrr(turns.next), servers([1_500_000, 500_000]), 7)).toBe('abaaaba')
    expect(turns.asked).toBe(7)
  })

  it('keeps per-worker proportions exact when it falls back', () => {
    const counts: Record<string, number> = {}
    for (const name of picks(createWrr(turnSource().next), servers([2.5, 1, 0.5]), 4 * 10)) counts[name] = (counts[name] ?? 0) + 1
    expect(counts).toEqual({ a: 25, b: 10, c: 5 })
  })
})
