import { describe, expect, it } from 'vitest'
import { medianRun, type Measurement } from '../../bench/lib/measure.ts'

function run(proxyCpuUs: number | undefined, backendCpuUs = 20): Measurement {
  return {
    requests: 1000,
    requestsPerSecond: 100,
    p99Ms: 1,
    non2xx: 0,
    socketErrors: 0,
    backendCpuUs,
    proxyCorePercent: 99,
    othersPercent: 0,
    loadStealPercent: 0,
    ...(proxyCpuUs === undefined ? {} : { proxyCpuUs }),
  }
}

describe('medianRun', () => {
  it.each([
    { desc: 'one run is its own median', input: [run(120)], expected: run(120) },
    { desc: 'odd count: the middle proxy CPU', input: [run(150), run(100), run(120)], expected: run(120) },
    { desc: 'even count: the lower middle', input: [run(150), run(100), run(130), run(120)], expected: run(120) },
    { desc: 'the baseline: the middle backend CPU', input: [run(undefined, 30), run(undefined, 10), run(undefined, 20)], expected: run(undefined, 20) },
  ])('$desc', ({ input, expected }) => {
    expect(medianRun(input)).toEqual(expected)
  })

  it('fails with no run', () => {
    expect(() => medianRun([])).toThrow('measuring: no run to pick a median from')
  })
})
