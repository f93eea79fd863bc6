import { describe, expect, it } from 'vitest'
import { fixed, grouped, markdownTable } from '../../bench/lib/table.ts'

describe('markdownTable', () => {
  it.each([
    {
      desc: 'pads cells and right-aligns numeric columns',
      input: {
        columns: [{ header: 'target' }, { header: 'req/s', align: 'right' as const }],
        rows: [
          ['nginx', '45,001'],
          ['node:http proxy', '6,102'],
        ],
      },
      expected: [
        '| target          |  req/s |',
        '| --------------- | -----: |',
        '| nginx           | 45,001 |',
        '| node:http proxy |  6,102 |',
      ].join('\n'),
    },
    {
      desc: 'keeps columns at least three wide and escapes pipes',
      input: { columns: [{ header: 'a' }, { header: 'b', align: 'right' as const }], rows: [['x|y']] },
      expected: ['| a    |   b |', '| ---- | --: |', '| x\\|y |     |'].join('\n'),
    },
  ])('$desc', ({ input, expected }) => {
    expect(markdownTable(input.columns, input.rows)).toBe(expected)
  })
})

describe('number formatting', () => {
  it.each([
    { desc: 'fixed decimals', input: () => fixed(3.14159, 2), expected: '3.14' },
    { desc: 'fixed of undefined', input: () => fixed(undefined, 1), expected: '—' },
    { desc: 'fixed of NaN', input: () => fixed(Number.NaN, 1), expected: '—' },
    { desc: 'grouped thousands', input: () => grouped(1234567.6), expected: '1,234,568' },
    { desc: 'grouped small number', input: () => grouped(999), expected: '999' },
    { desc: 'grouped of Infinity', input: () => grouped(Number.POSITIVE_INFINITY), expected: '—' },
  ])('$desc', ({ input, expected }) => {
    expect(input()).toBe(expected)
  })
})
