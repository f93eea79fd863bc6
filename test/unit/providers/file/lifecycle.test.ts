import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { createFileProvider } from '../../../../providers/file/index.ts'
import { providers } from '../../../../providers/index.ts'
import type { Snapshot } from '../../../../src/provider-plugin.ts'
import { eventually } from '../../../support/eventually.ts'
import { clean, cleanUp, collect, openWatchHandles, pendingTimers, routersConfig, routersYaml, start, tempDir, writeFiles } from './harness.ts'

afterEach(cleanUp)

const logger = pino({ level: 'silent' })

describe('file provider: lifecycle', () => {
  it('closes its watchers and timers and ends the iterator when the signal aborts', async () => {
    const before = { watchers: openWatchHandles(), timers: pendingTimers() }
    const root = await tempDir()
    await writeFiles(root, { 'a.yml': routersYaml('a'), 'sub/b.yml': routersYaml('b') })
    const run = start({ directory: root, watch: true })
    await eventually(() => expect(run.snapshots).toHaveLength(1))
    expect(openWatchHandles()).toBeGreaterThan(before.watchers)

    // Abort with a change just written: its events may be in flight, its debounce timer pending.
    await writeFile(join(root, 'a.yml'), routersYaml('a2'))
    run.controller.abort()
    await run.done
    // Eventually, not at once: chokidar's close() leaves its own throttle timers (at most 1 s) to run out.
    await eventually(() => {
      expect(openWatchHandles()).toBe(before.watchers)
      // At most: a timer of the test runner's that was pending at the start may have run out since.
      expect(pendingTimers()).toBeLessThanOrEqual(before.timers)
    })
  })

  it('closes its watchers when the consumer stops iterating', async () => {
    const before = openWatchHandles()
    const root = await tempDir()
    await writeFiles(root, { 'a.yml': routersYaml('a') })
    const received: Snapshot[] = []
    for await (const snapshot of createFileProvider({ directory: root, watch: true }).watch(new AbortController().signal, { logger })) {
      received.push(snapshot)
      break
    }
    expect(received).toEqual([clean(routersConfig('a'))])
    await eventually(() => expect(openWatchHandles()).toBe(before))
  })

  it.each([
    { desc: 'an aborted signal yields nothing', input: { aborted: true, watch: true }, expected: [] as Snapshot[] },
    { desc: 'watch: false yields one snapshot and ends', input: { aborted: false, watch: false }, expected: [clean(routersConfig('a'))] },
  ])('$desc', async ({ input, expected }) => {
    const before = openWatchHandles()
    const root = await tempDir()
    await writeFiles(root, { 'a.yml': routersYaml('a') })
    const controller = new AbortController()
    if (input.aborted) controller.abort()
    const received = await collect(createFileProvider({ directory: root, watch: input.watch }).watch(controller.signal, { logger }))
    expect(received).toEqual(expected)
    expect(openWatchHandles()).toBe(before)
  })
})

describe('providers list', () => {
  it('lists the file provider under the static key "file", then the docker provider', () => {
    expect(providers.map((entry) => entry.key)).toEqual(['file', 'docker'])
  })

  it('resolves relative paths against the static configuration directory', async () => {
    const root = await tempDir()
    await writeFiles(root, { 'dynamic/a.yml': routersYaml('a') })
    const entry = providers.find((candidate) => candidate.key === 'file')
    const provider = entry?.create({ directory: 'dynamic', watch: false }, { configDir: root })
    expect(provider?.name).toBe('file')
    const received = provider === undefined ? [] : await collect(provider.watch(new AbortController().signal, { logger }))
    expect(received).toEqual([clean(routersConfig('a'))])
  })

  it.each([
    { desc: 'neither filename nor directory', input: { watch: true }, expected: 'providers.file: neither filename nor directory is set' },
    { desc: 'a path that is not a string', input: { directory: 42 }, expected: 'providers.file.directory: expected a path, got number' },
  ])('rejects $desc with a static configuration error', ({ input, expected }) => {
    const entry = providers.find((candidate) => candidate.key === 'file')
    expect(() => entry?.create(input, { configDir: '/etc/junction' })).toThrow(expect.objectContaining({ code: 'JCT_ERR_STATIC_CONFIG', message: expected }))
  })

  it.each([
    { desc: 'a filename of another format', input: 'dynamic.json', expected: 'unsupported file extension ".json"; the file provider reads .yml, .yaml and .toml files' },
    { desc: 'a filename without extension', input: 'dynamic', expected: 'unsupported file extension ""; the file provider reads .yml, .yaml and .toml files' },
    { desc: 'Junction\'s own log file', input: 'junction.yml', expected: 'this is the file Junction logs to' },
  ])('does not start for $desc: logs why, naming the file, and ends after one empty snapshot carrying the problem', async ({ input, expected }) => {
    const root = await tempDir()
    const path = join(root, input)
    const message = `providers.file.filename ${path}: ${expected}; the file provider does not start`
    const run = start({ filename: path, watch: true, ownFiles: [join(root, 'junction.yml')] })
    await run.done
    expect(run.snapshots).toEqual([{ config: {}, problems: [{ source: path, message }] }])
    expect(run.logs.map(({ level, msg, file }) => ({ level, msg, file }))).toEqual([{ level: 50, msg: message, file: path }])
  })

  it('lets directory take precedence over filename, as Traefik does', async () => {
    const root = await tempDir()
    await writeFiles(root, { 'dir/a.yml': routersYaml('a'), 'file.yml': routersYaml('f') })
    const provider = createFileProvider({ directory: join(root, 'dir'), filename: join(root, 'file.yml'), watch: false })
    expect(await collect(provider.watch(new AbortController().signal, { logger }))).toEqual([clean(routersConfig('a'))])
  })
})
