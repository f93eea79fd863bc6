import { describe, expect, it } from 'vitest'
import { reloadLegend, reloadTable, type ReloadRow } from '../../bench/lib/reload-report.ts'

describe('reloadTable', () => {
  it.each([
    {
      desc: 'a polled run: median and max of both figures, and the median batch',
      input: { workers: 2, routers: 1, rewrites: 4, toLiveMs: [90, 80, 120, 100], toServingMs: [140.25, 100, 180, 120], batchMs: [20, 30, 40] },
      expected: '| 2 workers |       1 |        4 |                95 |            120 |                130.1 |             180.0 |            30.0 |      |',
    },
    {
      desc: 'the large file, not polled',
      input: { workers: 1, routers: 10_000, rewrites: 3, toLiveMs: [700, 650, 900] },
      expected: '| 1 worker |  10,000 |        3 |               700 |            900 |                    — |                 — |               — |      |',
    },
    {
      desc: 'a run that failed after two rewrites',
      input: { workers: 4, routers: 1, rewrites: 2, toLiveMs: [100, 110], toServingMs: [150, 160], batchMs: [30], note: 'run failed: boom' },
      expected: '| 4 workers |       1 |        2 |               105 |            110 |                155.0 |             160.0 |            30.0 | run failed: boom |',
    },
  ])('prints $desc', ({ input, expected }) => {
    const rows: ReloadRow[] = [{ workers: 1, routers: 10_000, rewrites: 0, toLiveMs: [] }, input]
    expect(reloadTable(rows).split('\n')[3]).toBe(expected)
  })

  it('prints dashes for a run without any figure', () => {
    expect(reloadTable([{ workers: 1, routers: 1, rewrites: 0, toLiveMs: [], toServingMs: [], note: 'start failed: boom' }]).split('\n')[2]).toBe(
      '| 1 worker |       1 |        0 |                 — |              — |                    — |                 — |               — | start failed: boom |',
    )
  })
})

describe('reloadLegend', () => {
  it('names the batch size it polled with', () => {
    expect(reloadLegend({ probes: 16 })).toContain('the first batch of 16 requests, each on a fresh connection')
  })
})
