import { appendFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { eventually } from '../../../support/eventually.ts'
import { clean, cleanUp, routersConfig, routersYaml, start, tempDir, writeFiles, type Run } from './harness.ts'

afterEach(cleanUp)

/** The paths of every re-read the provider logged (at DEBUG), in order. */
function rereads(run: Run): Array<readonly string[] | undefined> {
  return run.logs.filter((line) => line.msg.startsWith('re-reading ')).map((line) => line.changed)
}

describe('file provider: files it never reads', () => {
  it('never reads Junction\'s own log files, even with a configuration extension', async () => {
    const root = await tempDir()
    await writeFiles(root, { 'a.yml': routersYaml('a'), 'logs/junction-log.yml': '{"level":30}\n{"level":30}\n' })
    const run = start({ directory: root, watch: false, ownFiles: [join(root, 'logs', 'junction-log.yml')] })
    await run.done
    expect(run.snapshots).toEqual([clean(routersConfig('a'))])
  })

  it('is woken neither by its own log files nor, in a directory, by files of other extensions', async () => {
    const root = await tempDir()
    await writeFiles(root, { 'a.yml': routersYaml('a'), 'junction.log': '', 'access.yml': '', 'sub/readme.md': '' })
    const run = start({ directory: root, watch: true, ownFiles: [join(root, 'junction.log'), join(root, 'access.yml')] })
    await eventually(() => expect(run.snapshots).toHaveLength(1))

    await appendFile(join(root, 'junction.log'), 'a log line\n')
    await appendFile(join(root, 'access.yml'), '{"status":200}\n')
    await writeFile(join(root, 'notes.txt'), 'not configuration\n')
    await appendFile(join(root, 'sub', 'readme.md'), '# not configuration\n')
    // The positive signal, written after all of them: had any of them counted, a re-read would name it.
    await writeFile(join(root, 'b.yml'), routersYaml('b'))
    await eventually(() => expect(run.snapshots).toEqual([clean(routersConfig('a')), clean(routersConfig('a', 'b'))]))
    expect(rereads(run)).toEqual([[join(root, 'b.yml')]])
  })

  it('is not woken by its own log file beside the one file it reads', async () => {
    const root = await tempDir()
    await writeFiles(root, { 'dynamic.yml': routersYaml('a'), 'junction.log': '' })
    const run = start({ filename: join(root, 'dynamic.yml'), watch: true, ownFiles: [join(root, 'junction.log')] })
    await eventually(() => expect(run.snapshots).toHaveLength(1))

    await appendFile(join(root, 'junction.log'), 'a log line\n')
    await writeFile(join(root, 'dynamic.yml'), routersYaml('b'))
    await eventually(() => expect(run.snapshots).toEqual([clean(routersConfig('a')), clean(routersConfig('b'))]))
    expect(rereads(run)).toEqual([[join(root, 'dynamic.yml')]])
  })
})
