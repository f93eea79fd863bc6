import { mkdir, rename, rm, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { eventually } from '../../../support/eventually.ts'
import { clean, cleanUp, logged, routersConfig, routersYaml, start, tempDir, writeFiles } from './harness.ts'

afterEach(cleanUp)

describe('file provider: watching a directory', () => {
  it.each([
    {
      desc: 'a file added',
      input: { files: { 'a.yml': routersYaml('a') }, initial: ['a'], change: (root: string) => writeFile(join(root, 'b.yml'), routersYaml('b')) },
      expected: routersConfig('a', 'b'),
    },
    {
      desc: 'a file changed',
      input: { files: { 'a.yml': routersYaml('a') }, initial: ['a'], change: (root: string) => writeFile(join(root, 'a.yml'), routersYaml('a2')) },
      expected: routersConfig('a2'),
    },
    {
      desc: 'a file deleted: its objects disappear',
      input: { files: { 'a.yml': routersYaml('a'), 'b.yml': routersYaml('b') }, initial: ['a', 'b'], change: (root: string) => unlink(join(root, 'b.yml')) },
      expected: routersConfig('a'),
    },
    {
      desc: 'a file renamed over (editor atomic save)',
      input: {
        files: { 'a.yml': routersYaml('a') },
        initial: ['a'],
        change: async (root: string) => {
          await writeFile(join(root, '.a.yml.swx'), routersYaml('a2'))
          await rename(join(root, '.a.yml.swx'), join(root, 'a.yml'))
        },
      },
      expected: routersConfig('a2'),
    },
    {
      desc: 'a toml file in a new subdirectory',
      input: {
        files: { 'a.yml': routersYaml('a') },
        initial: ['a'],
        change: async (root: string) => {
          await mkdir(join(root, 'sub', 'deeper'), { recursive: true })
          await writeFile(join(root, 'sub', 'deeper', 'c.toml'), '[http.routers.c]\nrule = "Host(`c.example`)"\nservice = "app"\n')
        },
      },
      expected: routersConfig('a', 'c'),
    },
    {
      desc: 'a subdirectory removed',
      input: { files: { 'a.yml': routersYaml('a'), 'sub/b.yaml': routersYaml('b') }, initial: ['a', 'b'], change: (root: string) => rm(join(root, 'sub'), { recursive: true }) },
      expected: routersConfig('a'),
    },
  ])('emits a new whole snapshot after $desc', async ({ input, expected }) => {
    const root = await tempDir()
    await writeFiles(root, input.files)
    const run = start({ directory: root, watch: true })
    await eventually(() => expect(run.snapshots).toHaveLength(1))
    await input.change(root)
    await eventually(() => expect(run.snapshots).toEqual([clean(routersConfig(...input.initial)), clean(expected)]))
  })

  it('keeps the last snapshot while the directory is gone and emits once it is recreated', async () => {
    const base = await tempDir()
    const root = join(base, 'conf.d')
    await writeFiles(root, { 'a.yml': routersYaml('a') })
    const run = start({ directory: root, watch: true })
    await eventually(() => expect(run.snapshots).toHaveLength(1))

    await rm(root, { recursive: true })
    await eventually(() => expect(logged(run, 'keeping the last configuration until it is back')).toBe(1))
    expect(run.snapshots).toHaveLength(1)

    // Deployments swap a directory in whole; a half-built one would be a transient snapshot of its own.
    await writeFiles(join(base, 'conf.d.next'), { 'b.yml': routersYaml('b'), 'sub/c.yml': routersYaml('c') })
    await rename(join(base, 'conf.d.next'), root)
    await eventually(() => expect(run.snapshots).toEqual([clean(routersConfig('a')), clean(routersConfig('b', 'c'))]))

    await writeFile(join(root, 'sub', 'c.yml'), routersYaml('c2'))
    await eventually(() => expect(run.snapshots.at(-1)).toEqual(clean(routersConfig('b', 'c2'))))
  })

  it('reads a directory that does not exist yet once it appears', async () => {
    const base = await tempDir()
    const root = join(base, 'not', 'yet')
    const run = start({ directory: root, watch: true })
    await eventually(() => expect(run.snapshots).toHaveLength(1))
    expect(run.snapshots[0]?.config).toEqual({})
    expect(run.snapshots[0]?.problems).toEqual([{ source: root, message: `reading ${root}: ENOENT: no such file or directory, scandir '${root}'` }])

    await writeFiles(join(base, 'staging'), { 'a.yml': routersYaml('a') })
    await mkdir(join(base, 'not'))
    await rename(join(base, 'staging'), root)
    await eventually(() => expect(run.snapshots.at(-1)).toEqual(clean(routersConfig('a'))))
  })

  it('ignores dotfiles, editor temp files, other extensions and dot-directories', async () => {
    const root = await tempDir()
    await writeFiles(root, { 'a.yml': routersYaml('a') })
    const run = start({ directory: root, watch: true })
    await eventually(() => expect(run.snapshots).toHaveLength(1))

    await writeFiles(root, {
      '.hidden.yml': routersYaml('hidden'),
      'a.yml~': routersYaml('backup'),
      '.#a.yml': routersYaml('lock'),
      '#a.yml#': routersYaml('autosave'),
      'a.yml.swp': routersYaml('swap'),
      'notes.txt': routersYaml('notes'),
      '.git/config.yml': routersYaml('git'),
    })
    // The positive signal: a real change written after all of them.
    await writeFile(join(root, 'b.toml'), '[http.routers.b]\nrule = "Host(`b.example`)"\nservice = "app"\n')
    await eventually(() => expect(run.snapshots).toEqual([clean(routersConfig('a')), clean(routersConfig('a', 'b'))]))
  })

  // The provider does not compare snapshots: the watcher drops equal ones, once for every provider (watcher.test.ts).
  it('emits an equal snapshot when a file is rewritten with the same content', async () => {
    const root = await tempDir()
    await writeFiles(root, { 'a.yml': routersYaml('a') })
    const run = start({ directory: root, watch: true })
    await eventually(() => expect(run.snapshots).toHaveLength(1))

    await writeFile(join(root, 'a.yml'), routersYaml('a'))
    await eventually(() => expect(run.snapshots).toEqual([clean(routersConfig('a')), clean(routersConfig('a'))]))

    await writeFile(join(root, 'b.yml'), routersYaml('b'))
    await eventually(() => expect(run.snapshots).toEqual([clean(routersConfig('a')), clean(routersConfig('a')), clean(routersConfig('a', 'b'))]))
  })

  it('ends with the whole content of a large file written in many chunks', async () => {
    const root = await tempDir()
    await writeFiles(root, { 'a.yml': routersYaml('a') })
    const run = start({ directory: root, watch: true })
    await eventually(() => expect(run.snapshots).toHaveLength(1))

    const names = Array.from({ length: 3333 }, (_, i) => `r${i}`)
    const lines = routersYaml(...names).split(/(?<=\n)/)
    expect(lines).toHaveLength(10_001)
    const path = join(root, 'big.yml')
    for (let i = 0; i < lines.length; i += 500) await writeFile(path, lines.slice(i, i + 500).join(''), { flag: i === 0 ? 'w' : 'a' })

    await eventually(() => expect(run.snapshots.at(-1)).toEqual(clean(routersConfig('a', ...names))), { timeout: 10_000 })
  })
})
