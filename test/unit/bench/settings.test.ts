import { describe, expect, it } from 'vitest'
import { parseSettings } from '../../bench/lib/settings.ts'

const defaults = {
  seconds: 10,
  warmupSeconds: 3,
  repeat: 1,
  connections: 50,
  targets: [],
  scenarios: ['peers', 'routers', 'streaming'],
  routersLarge: 10_000,
  applyRepeat: 3,
  transferMiB: 100,
  output: '/out.md',
  proxyCore: 0,
  loadCore: 1,
}

describe('parseSettings', () => {
  it.each([
    { desc: 'an empty environment gives the full run', input: {}, expected: defaults },
    { desc: 'BENCH_QUICK=1 shortens runs to about 2 s', input: { BENCH_QUICK: '1' }, expected: { ...defaults, seconds: 2, warmupSeconds: 1 } },
    {
      desc: 'explicit durations win over quick mode',
      input: { BENCH_QUICK: '1', BENCH_DURATION: '5', BENCH_WARMUP: '2' },
      expected: { ...defaults, seconds: 5, warmupSeconds: 2 },
    },
    { desc: 'BENCH_REPEAT measures each row several times', input: { BENCH_REPEAT: '3' }, expected: { ...defaults, repeat: 3 } },
    {
      desc: 'lists are split and trimmed',
      input: { BENCH_TARGETS: ' nginx, direct ,', BENCH_SCENARIOS: 'routers' },
      expected: { ...defaults, targets: ['nginx', 'direct'], scenarios: ['routers'] },
    },
    {
      desc: 'the routers scenario is tunable',
      input: { BENCH_ROUTERS: '500', BENCH_APPLY_REPEAT: '1', BENCH_OUTPUT: '/tmp/r.md' },
      expected: { ...defaults, routersLarge: 500, applyRepeat: 1, output: '/tmp/r.md' },
    },
    { desc: 'the streaming scenario alone, with smaller transfers', input: { BENCH_SCENARIOS: 'streaming', BENCH_TRANSFER_MB: '10' }, expected: { ...defaults, scenarios: ['streaming'], transferMiB: 10 } },
  ])('$desc', ({ input, expected }) => {
    expect(parseSettings(input, '/out.md')).toEqual(expected)
  })

  it.each([
    { desc: 'a fractional duration (wrk takes whole seconds)', input: { BENCH_DURATION: '0.5' }, expected: 'reading BENCH_DURATION: expected a positive integer, got "0.5"' },
    { desc: 'a zero connection count', input: { BENCH_CONNECTIONS: '0' }, expected: 'reading BENCH_CONNECTIONS: expected a positive integer, got "0"' },
    { desc: 'an unknown scenario', input: { BENCH_SCENARIOS: 'peers,tcp' }, expected: 'reading BENCH_SCENARIOS: unknown scenario "tcp" (peers, routers, streaming)' },
  ])('rejects $desc', ({ input, expected }) => {
    expect(() => parseSettings(input, '/out.md')).toThrow(expected)
  })
})
