import { describe, expect, it } from 'vitest'
import { load as parse } from 'js-yaml'
import { reloadRuns } from '../../bench/reload.ts'
import { LiveLog, parseLiveLine, reloadWorkerCounts } from '../../bench/lib/reload.ts'
import { parseSettings } from '../../bench/lib/settings.ts'

// Lines as Junction's pino logger writes them with --log.format=json.
const liveLine = (generation: number, time: number): string =>
  JSON.stringify({ level: 30, time, generation, msg: `configuration generation ${generation} is live` })

describe('parseLiveLine', () => {
  it.each([
    { desc: 'a live generation with its time', input: liveLine(3, 1_796_200_863_407), expected: { generation: 3, atMs: 1_796_200_863_407 } },
    {
      desc: 'another line of the same log',
      input: JSON.stringify({ level: 30, time: 1, entryPoint: 'web', workers: 2, msg: 'entry point web listening' }),
      expected: undefined,
    },
    { desc: 'the message without its generation field', input: JSON.stringify({ level: 30, time: 1, msg: 'configuration generation 3 is live' }), expected: undefined },
    { desc: 'a line of the common format', input: '2026-12-02T08:00:00Z INF configuration generation 3 is live', expected: undefined },
    { desc: 'a line cut short', input: '{"level":30,"time":1,"generation":3,"msg":"configura', expected: undefined },
    { desc: 'JSON that is not an object', input: '{}'.slice(0, 1) + '}', expected: undefined },
  ])('reads $desc', ({ input, expected }) => {
    expect(parseLiveLine(input)).toEqual(expected)
  })
})

describe('LiveLog', () => {
  const never = new AbortController().signal

  it('answers at once with a generation already logged, the first above the one given', async () => {
    const log = new LiveLog()
    for (const line of [liveLine(1, 100), 'noise', liveLine(2, 150), liveLine(3, 170)]) log.onLine(line)
    await expect(log.next(1, never)).resolves.toEqual({ generation: 2, atMs: 150 })
    expect(log.latest).toBe(3)
  })

  it('waits for the line, ignoring generations not above the one given', async () => {
    const log = new LiveLog()
    const next = log.next(4, never)
    log.onLine(liveLine(4, 100))
    log.onLine(liveLine(5, 120))
    await expect(next).resolves.toEqual({ generation: 5, atMs: 120 })
  })

  it('rejects when its signal aborts first, naming the generation', async () => {
    const log = new LiveLog()
    const abort = new AbortController()
    const next = log.next(7, abort.signal)
    abort.abort(new Error('60 s passed'))
    await expect(next).rejects.toThrow('no generation above 7 went live: Error: 60 s passed')
    expect(log.latest).toBe(-1)
  })
})

describe('reloadWorkerCounts', () => {
  it.each([
    { desc: 'one core', input: 1, expected: [1, 2] },
    { desc: 'two cores, 4 workers as well', input: 2, expected: [1, 2, 4] },
  ])('on $desc', ({ input, expected }) => {
    expect(reloadWorkerCounts(input)).toEqual(expected)
  })
})

describe('reloadRuns', () => {
  const runs = reloadRuns(parseSettings({ BENCH_ROUTERS: '30', BENCH_RELOADS: '5', BENCH_APPLY_REPEAT: '2' }, '/out.md'), 'http://127.0.0.1:9000', 2)

  it('rewrites the one-router file at each worker count and polls it, then the large file with 1 and 2 workers', () => {
    expect(runs.map((r) => [r.workers, r.routers, r.rewrites, r.poll, r.host])).toEqual([
      [1, 1, 5, true, undefined],
      [2, 1, 5, true, undefined],
      [4, 1, 5, true, undefined],
      [1, 30, 2, false, 'h29.test'],
      [2, 30, 2, false, 'h29.test'],
    ])
  })

  it('writes each version with its own header on the router the probe reaches', () => {
    type File = { http: { routers: Record<string, { middlewares?: string[] }>; middlewares: { version: { headers: { customResponseHeaders: Record<string, string> } } } } }
    const read = (index: number, version: number): File => parse(runs[index]?.file(version) ?? '') as File
    expect([read(0, 4).http.routers['r']?.middlewares, read(0, 4).http.middlewares.version.headers.customResponseHeaders]).toEqual([['version'], { 'X-Bench-Version-4': '4' }])
    expect([read(3, 1).http.routers['r29']?.middlewares, read(3, 1).http.middlewares.version.headers.customResponseHeaders]).toEqual([['version'], { 'X-Bench-Version-1': '1' }])
  })
})
