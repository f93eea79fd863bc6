import { describe, expect, it } from 'vitest'
import { parseCoreTimes, parseProcStat, treeTicks, type ProcStat } from '../../bench/lib/proc-stat.ts'

// Field 14 (utime) and 15 (stime) are 1234 and 567 in every sample line.
const tail = 'S 1 7 7 0 -1 4194560 3112 0 0 0 1234 567 0 0 20 0 11 0 1042 1110126592 12616 18446744073709551615'

describe('parseProcStat', () => {
  it.each([
    { desc: 'a plain command name', input: `4242 (node) ${tail}`, expected: { pid: 4242, ppid: 1, utime: 1234, stime: 567 } },
    {
      desc: 'a command name with spaces and parentheses',
      input: `77 (nginx: (worker) 1) ${tail}`,
      expected: { pid: 77, ppid: 1, utime: 1234, stime: 567 },
    },
    { desc: 'a trailing newline', input: `9 (haproxy) ${tail}\n`, expected: { pid: 9, ppid: 1, utime: 1234, stime: 567 } },
  ])('reads $desc', ({ input, expected }) => {
    expect(parseProcStat(input)).toEqual(expected)
  })

  it.each([
    { desc: 'no command name', input: '12 node S 1', expected: 'parsing proc stat: no command name in "12 node S 1"' },
    { desc: 'a truncated line', input: '12 (node) S 1 7', expected: 'parsing proc stat: malformed line "12 (node) S 1 7"' },
  ])('rejects $desc', ({ input, expected }) => {
    expect(() => parseProcStat(input)).toThrow(expected)
  })
})

describe('treeTicks', () => {
  const stats: ProcStat[] = [
    { pid: 1, ppid: 0, utime: 1000, stime: 1000 },
    { pid: 10, ppid: 1, utime: 5, stime: 1 }, // nginx master
    { pid: 11, ppid: 10, utime: 300, stime: 200 }, // its worker
    { pid: 12, ppid: 11, utime: 7, stime: 3 }, // a grandchild
    { pid: 20, ppid: 1, utime: 40, stime: 2 }, // a sibling, not counted
  ]

  it.each([
    { desc: 'a process with descendants sums the whole tree', input: 10, expected: 516 },
    { desc: 'a leaf counts itself only', input: 20, expected: 42 },
    { desc: 'a middle process counts its own subtree', input: 11, expected: 510 },
  ])('$desc', ({ input, expected }) => {
    expect(treeTicks(stats, input)).toBe(expected)
  })

  it('fails when the root process is gone', () => {
    expect(() => treeTicks(stats, 99)).toThrow('measuring cpu: process 99 is not running')
  })
})

describe('parseCoreTimes', () => {
  const procStat = [
    'cpu  45274 0 20591 1126858 356 0 6337 500 0 0',
    'cpu0 24681 3 8170 563916 84 10 2958 227 0 0',
    'cpu1 20592 0 12421 562941 271 0 3378 272 0 0',
    'intr 123 0 0',
  ].join('\n')

  it.each([
    {
      desc: 'core 0: busy is user+nice+system+steal, total adds idle, iowait and interrupts',
      input: 0,
      expected: { busy: 33081, total: 600049, steal: 227 },
    },
    { desc: 'core 1', input: 1, expected: { busy: 33285, total: 599875, steal: 272 } },
  ])('$desc', ({ input, expected }) => {
    expect(parseCoreTimes(procStat, input)).toEqual(expected)
  })

  it('fails for a core the machine does not have', () => {
    expect(() => parseCoreTimes(procStat, 2)).toThrow('parsing /proc/stat: no line for cpu2')
  })
})
