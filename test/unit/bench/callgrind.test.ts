import { describe, expect, it } from 'vitest'
import { callgrindPrefix, parseCallgrindTotals } from '../../bench/lib/callgrind.ts'

// The tail of a dump as valgrind 3.19 writes it on `callgrind_control --dump`.
const dump = (events: string, totals: string): string =>
  [
    '# callgrind format',
    'version: 1',
    'creator: callgrind-3.19.0',
    'pid: 20391',
    'cmd:  /usr/bin/node test/bench/peers/node-http.ts --port=45123',
    'part: 1',
    'desc: Trigger: dump',
    '',
    `events: ${events}`,
    'summary: 0',
    '',
    'fn=(1) uv__io_poll',
    '0 512',
    '',
    `totals: ${totals}`,
    '',
  ].join('\n')

describe('parseCallgrindTotals', () => {
  it.each([
    { desc: 'one event: the totals line, not the summary line', input: dump('Ir', '1415994724'), expected: 1_415_994_724 },
    { desc: 'Ir among other events', input: dump('Dr Ir Dw', '7 1234 9'), expected: 1234 },
    { desc: 'a trailing zero column left out', input: dump('Dr Dw Ir', '7 9'), expected: 0 },
    { desc: 'a dump with nothing counted', input: dump('Ir', '0'), expected: 0 },
  ])('$desc', ({ input, expected }) => {
    expect(parseCallgrindTotals(input)).toBe(expected)
  })

  it.each([
    { desc: 'no totals line', input: 'events: Ir\nsummary: 12\n', expected: 'parsing callgrind dump: no totals line' },
    { desc: 'no events line', input: 'totals: 12\n', expected: 'parsing callgrind dump: no events line' },
    { desc: 'no Ir event', input: dump('Dr Dw', '1 2'), expected: 'parsing callgrind dump: no Ir event in "Dr Dw"' },
    { desc: 'a count that is not a number', input: dump('Ir', '12x'), expected: 'parsing callgrind dump: totals "12x" is not a count' },
  ])('rejects $desc', ({ input, expected }) => {
    expect(() => parseCallgrindTotals(input)).toThrow(expected)
  })
})

describe('callgrindPrefix', () => {
  it('starts with instrumentation off and names the dump file', () => {
    expect(callgrindPrefix('/tmp/b/callgrind.out')).toEqual([
      'valgrind',
      '--tool=callgrind',
      '--instr-atstart=no',
      '--callgrind-out-file=/tmp/b/callgrind.out',
    ])
  })
})
