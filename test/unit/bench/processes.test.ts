import { describe, expect, it } from 'vitest'
import { lineSplitter } from '../../bench/lib/processes.ts'

describe('lineSplitter', () => {
  it.each([
    { desc: 'whole lines of one chunk', input: ['a\nb\n'], expected: ['a', 'b'] },
    { desc: 'a line split over chunks, once it is whole', input: ['{"gen', 'eration":1}\n{"x"', ':2}\n'], expected: ['{"generation":1}', '{"x":2}'] },
    { desc: 'nothing for a line not yet ended', input: ['a\nb'], expected: ['a'] },
    { desc: 'an empty line as it is', input: ['\n'], expected: [''] },
  ])('gives $desc', ({ input, expected }) => {
    const lines: string[] = []
    const feed = lineSplitter((line) => lines.push(line))
    for (const chunk of input) feed(chunk)
    expect(lines).toEqual(expected)
  })
})
