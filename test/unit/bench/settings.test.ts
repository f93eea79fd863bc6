import { describe, expect, it } from 'vitest'
import { parseSettings } from '../../bench/lib/settings.ts'

const defaults = {
  seconds: 10,
  warmupSeconds: 3,
  repeat: 1,
  connections: 50,
  targets: [],
  scenarios: ['peers', 'routers', 'streaming', 'memory', 'reload', 'instructions', 'docker'],
  routersLarge: 10_000,
  applyRepeat: 3,
  reloads: 20,
  transferMiB: 100,
  idleConnections: 10_000,
  idleConcurrency: 100,
  instructionsConcurrency: 8,
  instructionsWarmup: 12_000,
  instructionsRequests: 3000,
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
    {
      desc: 'the instructions scenario is tunable',
      input: { BENCH_SCENARIOS: 'instructions', BENCH_INSTRUCTIONS_CONCURRENCY: '4', BENCH_INSTRUCTIONS_WARMUP: '500', BENCH_INSTRUCTIONS_REQUESTS: '1000' },
      expected: { ...defaults, scenarios: ['instructions'], instructionsConcurrency: 4, instructionsWarmup: 500, instructionsRequests: 1000 },
    },
    { desc: 'BENCH_COMPARE_ROOT is kept absolute', input: { BENCH_COMPARE_ROOT: '/src/junction-before/' }, expected: { ...defaults, compareRoot: '/src/junction-before' } },
    {
      desc: 'the memory scenario alone, with fewer connections opened more at a time',
      input: { BENCH_SCENARIOS: 'memory', BENCH_IDLE_CONNECTIONS: '2000', BENCH_IDLE_CONCURRENCY: '200' },
      expected: { ...defaults, scenarios: ['memory'], idleConnections: 2000, idleConcurrency: 200 },
    },
    {
      desc: 'the reload scenario alone, with fewer rewrites of both files',
      input: { BENCH_SCENARIOS: 'reload', BENCH_RELOADS: '5', BENCH_APPLY_REPEAT: '1' },
      expected: { ...defaults, scenarios: ['reload'], reloads: 5, applyRepeat: 1 },
    },
    { desc: 'the streaming scenario alone, with smaller transfers', input: { BENCH_SCENARIOS: 'streaming', BENCH_TRANSFER_MB: '10' }, expected: { ...defaults, scenarios: ['streaming'], transferMiB: 10 } },
  ])('$desc', ({ input, expected }) => {
    expect(parseSettings(input, '/out.md')).toEqual(expected)
  })

  it.each([
    { desc: 'a fractional duration (wrk takes whole seconds)', input: { BENCH_DURATION: '0.5' }, expected: 'reading BENCH_DURATION: expected a positive integer, got "0.5"' },
    { desc: 'a zero connection count', input: { BENCH_CONNECTIONS: '0' }, expected: 'reading BENCH_CONNECTIONS: expected a positive integer, got "0"' },
    { desc: 'an unknown scenario', input: { BENCH_SCENARIOS: 'peers,tcp' }, expected: 'reading BENCH_SCENARIOS: unknown scenario "tcp" (peers, routers, streaming, memory, reload, instructions, docker)' },
    { desc: 'a fractional request count', input: { BENCH_INSTRUCTIONS_REQUESTS: '1e3.5' }, expected: 'reading BENCH_INSTRUCTIONS_REQUESTS: expected a positive integer, got "1e3.5"' },
  ])('rejects $desc', ({ input, expected }) => {
    expect(() => parseSettings(input, '/out.md')).toThrow(expected)
  })
})
