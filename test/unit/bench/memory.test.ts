import { describe, expect, it } from 'vitest'
import { parseProcStatus } from '../../bench/lib/memory.ts'

// An excerpt of /proc/<pid>/status of a Node process, as Linux 6 prints it.
const status = [
  'Name:\tnode',
  'State:\tS (sleeping)',
  'Pid:\t4242',
  'VmPeak:\t 1273380 kB',
  'VmSize:\t 1207844 kB',
  'VmHWM:\t  182852 kB',
  'VmRSS:\t  176024 kB',
  'RssAnon:\t   96136 kB',
  'Threads:\t11',
].join('\n')

describe('parseProcStatus', () => {
  it.each([
    { desc: 'reads VmRSS and VmHWM in KiB, not VmPeak or RssAnon', input: status, expected: { rssKiB: 176_024, hwmKiB: 182_852 } },
    { desc: 'reads them right after a peak reset, when they are equal', input: 'VmHWM:\t 1824 kB\nVmRSS:\t 1824 kB\n', expected: { rssKiB: 1824, hwmKiB: 1824 } },
  ])('$desc', ({ input, expected }) => {
    expect(parseProcStatus(input)).toEqual(expected)
  })

  it.each([
    { desc: 'no VmRSS (a kernel thread)', input: 'Name:\tkthreadd\nVmHWM:\t 0 kB\n', expected: 'parsing proc status: no VmRSS line' },
    { desc: 'no VmHWM', input: 'VmRSS:\t 12 kB\n', expected: 'parsing proc status: no VmHWM line' },
  ])('fails with $desc', ({ input, expected }) => {
    expect(() => parseProcStatus(input)).toThrow(expected)
  })
})
