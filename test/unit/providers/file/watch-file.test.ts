import { mkdir, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { eventually } from '../../../support/eventually.ts'
import { clean, cleanUp, logged, routersConfig, routersYaml, start, tempDir, writeFiles } from './harness.ts'

afterEach(cleanUp)

const brokenYaml = 'http:\n  routers:\n    a: {\n'
const brokenToml = '[http.routers.a\n'

describe('file provider: last good content per file', () => {
  it.each([
    {
      desc: 'yaml in a directory',
      input: { mode: 'directory' as const, name: 'a.yml', broken: brokenYaml, good: routersYaml('a') },
      expected: 'line 4, column 1: unexpected end of the stream within a flow collection',
    },
    {
      desc: 'toml as the single file',
      input: { mode: 'filename' as const, name: 'a.toml', broken: brokenToml, good: '[http.routers.a]\nrule = "Host(`a.example`)"\nservice = "app"\n' },
      expected: 'line 1, column 16: illegal character in key',
    },
  ])('a file invalid at start contributes nothing until it is fixed ($desc)', async ({ input, expected }) => {
    const root = await tempDir()
    const path = join(root, input.name)
    await writeFiles(root, { [input.name]: input.broken, ...(input.mode === 'directory' ? { 'b.yml': routersYaml('b') } : {}) })
    const run = start(input.mode === 'directory' ? { directory: root, watch: true } : { filename: path, watch: true })
    const others = input.mode === 'directory' ? ['b'] : []
    await eventually(() => expect(run.snapshots).toHaveLength(1))
    expect(run.snapshots[0]).toEqual({ config: routersConfig(...others), problems: [{ source: path, message: `parsing ${path}: ${expected}` }] })
    expect(run.logs.filter((line) => line.level === 50)).toMatchObject([{ file: path, msg: `parsing ${path}: ${expected}` }])

    await writeFile(path, input.good)
    await eventually(() => expect(run.snapshots.at(-1)).toEqual(clean(routersConfig('a', ...others))))
    expect(run.snapshots).toHaveLength(2)
  })

  it('a file broken after a good version keeps its last good objects and reports the problem', async () => {
    const root = await tempDir()
    const path = join(root, 'a.yml')
    await writeFiles(root, { 'a.yml': routersYaml('a'), 'b.yml': routersYaml('b') })
    const run = start({ directory: root, watch: true })
    await eventually(() => expect(run.snapshots).toHaveLength(1))

    await writeFile(path, brokenYaml)
    const problem = { source: path, message: `parsing ${path}: line 4, column 1: unexpected end of the stream within a flow collection` }
    await eventually(() => expect(run.snapshots.at(-1)).toEqual({ config: routersConfig('a', 'b'), problems: [problem] }))

    // Another file changing while a.yml is still broken: a.yml's last good objects stay in the new snapshot.
    await writeFile(join(root, 'b.yml'), routersYaml('b2'))
    await eventually(() => expect(run.snapshots.at(-1)).toEqual({ config: routersConfig('a', 'b2'), problems: [problem] }))

    await writeFile(path, routersYaml('a2'))
    await eventually(() => expect(run.snapshots.at(-1)).toEqual(clean(routersConfig('a2', 'b2'))))
    expect(run.snapshots).toHaveLength(4)
    expect(logged(run, problem.message)).toBe(1)
  })

  it('a broken file that is deleted takes its last good objects with it', async () => {
    const root = await tempDir()
    await writeFiles(root, { 'a.yml': routersYaml('a'), 'b.yml': routersYaml('b') })
    const run = start({ directory: root, watch: true })
    await eventually(() => expect(run.snapshots).toHaveLength(1))
    await writeFile(join(root, 'a.yml'), brokenYaml)
    await eventually(() => expect(run.snapshots).toHaveLength(2))

    await unlink(join(root, 'a.yml'))
    await eventually(() => expect(run.snapshots.at(-1)).toEqual(clean(routersConfig('b'))))
  })
})

describe('file provider: watching one file', () => {
  it('emits after an atomic save and ignores the editor temp file next to it', async () => {
    const root = await tempDir()
    const path = join(root, 'dynamic.yml')
    await writeFiles(root, { 'dynamic.yml': routersYaml('a'), 'other.yml': routersYaml('other') })
    const run = start({ filename: path, watch: true })
    await eventually(() => expect(run.snapshots).toEqual([clean(routersConfig('a'))]))

    await writeFile(join(root, 'dynamic.yml.tmp'), routersYaml('a2'))
    await rename(join(root, 'dynamic.yml.tmp'), path)
    await eventually(() => expect(run.snapshots).toEqual([clean(routersConfig('a')), clean(routersConfig('a2'))]))
  })

  it('picks up a file that does not exist yet, in a directory that does not exist yet', async () => {
    const base = await tempDir()
    const path = join(base, 'later', 'dynamic.toml')
    const run = start({ filename: path, watch: true })
    await eventually(() => expect(run.snapshots).toHaveLength(1))
    expect(run.snapshots[0]).toEqual({ config: {}, problems: [{ source: path, message: `reading ${path}: ENOENT: no such file or directory, stat '${path}'` }] })

    await mkdir(join(base, 'later'))
    await writeFile(join(base, 'later', 'staged'), '[http.routers.a]\nrule = "Host(`a.example`)"\nservice = "app"\n')
    await rename(join(base, 'later', 'staged'), path)
    await eventually(() => expect(run.snapshots).toEqual([run.snapshots[0], clean(routersConfig('a'))]))
  })

  it('keeps the last snapshot while the file is deleted and emits when it comes back', async () => {
    const root = await tempDir()
    const path = join(root, 'dynamic.yml')
    await writeFiles(root, { 'dynamic.yml': routersYaml('a') })
    const run = start({ filename: path, watch: true })
    await eventually(() => expect(run.snapshots).toHaveLength(1))

    await unlink(path)
    await eventually(() => expect(logged(run, 'keeping the last configuration until it is back')).toBe(1))
    expect(run.snapshots).toHaveLength(1)

    await writeFile(join(root, 'staged'), routersYaml('b'))
    await rename(join(root, 'staged'), path)
    await eventually(() => expect(run.snapshots).toEqual([clean(routersConfig('a')), clean(routersConfig('b'))]))
  })

  it.each([
    { desc: 'as the single file', input: 'filename' as const, expected: routersConfig('v2') },
    { desc: 'in a watched directory', input: 'directory' as const, expected: routersConfig('v2') },
  ])('follows a Kubernetes ConfigMap update, a swap of the ..data link ($desc)', async ({ input, expected }) => {
    const root = await tempDir()
    await writeFiles(root, { '..v1/dynamic.yml': routersYaml('v1') })
    await symlink('..v1', join(root, '..data'))
    await symlink('..data/dynamic.yml', join(root, 'dynamic.yml'))
    const run = start(input === 'filename' ? { filename: join(root, 'dynamic.yml'), watch: true } : { directory: root, watch: true })
    await eventually(() => expect(run.snapshots).toEqual([clean(routersConfig('v1'))]))

    await writeFiles(root, { '..v2/dynamic.yml': routersYaml('v2') })
    await symlink('..v2', join(root, '..data_tmp'))
    await rename(join(root, '..data_tmp'), join(root, '..data'))
    await eventually(() => expect(run.snapshots).toEqual([clean(routersConfig('v1')), clean(expected)]))
  })

  it('keeps the last snapshot while the file\'s directory is gone and emits when it is recreated', async () => {
    const base = await tempDir()
    const path = join(base, 'conf', 'dynamic.yml')
    await writeFiles(base, { 'conf/dynamic.yml': routersYaml('a') })
    const run = start({ filename: path, watch: true })
    await eventually(() => expect(run.snapshots).toHaveLength(1))

    await rm(join(base, 'conf'), { recursive: true })
    await eventually(() => expect(logged(run, 'keeping the last configuration until it is back')).toBe(1))
    await writeFiles(base, { 'staging/dynamic.yml': routersYaml('b') })
    await rename(join(base, 'staging'), join(base, 'conf'))
    await eventually(() => expect(run.snapshots).toEqual([clean(routersConfig('a')), clean(routersConfig('b'))]))
  })
})
