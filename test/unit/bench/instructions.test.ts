import { describe, expect, it } from 'vitest'
import { subjects, warmupRounds } from '../../bench/instructions.ts'
import { parseSettings } from '../../bench/lib/settings.ts'

// This checkout has the workers option; the one to compare with may not.
const withWorkers = new Set(['/src/junction', '/src/junction-workers'])

const summary = (env: NodeJS.ProcessEnv): string[] =>
  subjects('/src/junction', parseSettings(env, '/out.md'), (root) => withWorkers.has(root)).map(
    (s) => `${s.target.name} ${s.before ? 'before' : 'this'} ${s.root} ${s.sizes.join(',')} ${s.workers}w${s.host ? ` host ${s.host}` : ''}`,
  )

describe('instructions subjects', () => {
  it.each([
    {
      desc: 'each Junction target at its sizes, 2 workers beside 1, then node:http at both',
      input: {},
      expected: [
        'junction this /src/junction small,16k 1w',
        'junction-2-workers this /src/junction small,16k 2w',
        'junction-regexp this /src/junction small,16k 1w',
        'junction-host-routers this /src/junction small 1w host h9999.test',
        'node-http this /src/junction small,16k 1w',
      ],
    },
    {
      desc: 'BENCH_TARGETS keeps the rows it names, "before" ones included',
      input: { BENCH_TARGETS: 'junction,junction-2-workers', BENCH_COMPARE_ROOT: '/src/junction-before' },
      expected: ['junction this /src/junction small,16k 1w', 'junction before /src/junction-before small,16k 1w', 'junction-2-workers this /src/junction small,16k 2w'],
    },
    {
      desc: 'with a checkout from before the workers, each Junction target of it right after the same one of this checkout, but for 2 workers',
      input: { BENCH_COMPARE_ROOT: '/src/junction-before', BENCH_ROUTERS: '500' },
      expected: [
        'junction this /src/junction small,16k 1w',
        'junction before /src/junction-before small,16k 1w',
        'junction-2-workers this /src/junction small,16k 2w',
        'junction-regexp this /src/junction small,16k 1w',
        'junction-regexp before /src/junction-before small,16k 1w',
        'junction-host-routers this /src/junction small 1w host h499.test',
        'junction-host-routers before /src/junction-before small 1w host h499.test',
        'node-http this /src/junction small,16k 1w',
      ],
    },
    {
      desc: 'with a checkout that has the workers too, its 2-worker row as well',
      input: { BENCH_COMPARE_ROOT: '/src/junction-workers', BENCH_SCENARIOS: 'instructions' },
      expected: [
        'junction this /src/junction small,16k 1w',
        'junction before /src/junction-workers small,16k 1w',
        'junction-2-workers this /src/junction small,16k 2w',
        'junction-2-workers before /src/junction-workers small,16k 2w',
        'junction-regexp this /src/junction small,16k 1w',
        'junction-regexp before /src/junction-workers small,16k 1w',
        'junction-host-routers this /src/junction small 1w host h9999.test',
        'junction-host-routers before /src/junction-workers small 1w host h9999.test',
        'node-http this /src/junction small,16k 1w',
      ],
    },
  ])('$desc', ({ input, expected }) => {
    expect(summary(input)).toEqual(expected)
  })
})

describe('warmupRounds', () => {
  it.each([
    { desc: 'whole rounds', input: { total: 24_000, round: 500 }, expected: { rounds: 48, sizes: [500], sum: 24_000 } },
    { desc: 'whole rounds and the rest', input: { total: 1200, round: 500 }, expected: { rounds: 3, sizes: [500, 200], sum: 1200 } },
    { desc: 'less than one round', input: { total: 100, round: 500 }, expected: { rounds: 1, sizes: [100], sum: 100 } },
  ])('$desc', ({ input, expected }) => {
    const rounds = warmupRounds(input.total, input.round)
    expect({ rounds: rounds.length, sizes: [...new Set(rounds)], sum: rounds.reduce((a, b) => a + b, 0) }).toEqual(expected)
  })
})
