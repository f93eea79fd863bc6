import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fileProviderEntry } from '../../../providers/file/index.ts'
import { workerCount } from '../../../src/cluster/control-plane.ts'
import { loadStaticConfig, StaticConfigError } from '../../../src/config/load-static.ts'
import type { StaticConfig } from '../../../src/config/static.ts'

/** Loads a configuration of one entry point with `--workers=<workers>`, as the command line gives it. */
function load(workers: string): Promise<StaticConfig> {
  return loadStaticConfig({ argv: ['--entryPoints.web.address=:8000', `--workers=${workers}`], env: {}, cwd: tmpdir() }, { providers: [fileProviderEntry] })
}

describe('the workers option', () => {
  it.each([
    { workers: 'auto', expected: availableParallelism() },
    { workers: 'AUTO', expected: availableParallelism() },
    { workers: 'Auto', expected: availableParallelism() },
    { workers: '1', expected: 1 },
    { workers: '4', expected: 4 },
    { workers: '1024', expected: 1024 },
  ])('takes $workers for $expected workers', async ({ workers, expected }) => {
    const config = await load(workers)
    expect(config.workers).toBe(workers)
    expect(workerCount(config)).toBe(expected)
  })

  it('defaults to auto, one worker per core the process may use', async () => {
    const config = await loadStaticConfig({ argv: ['--entryPoints.web.address=:8000'], env: {}, cwd: tmpdir() }, { providers: [fileProviderEntry] })
    expect(config.workers).toBe('auto')
    expect(workerCount(config)).toBe(availableParallelism())
  })

  it.each([
    { written: '4', expected: { workers: '4', count: 4 } },
    { written: 'auto', expected: { workers: 'auto', count: availableParallelism() } },
  ])('reads workers: $written from a configuration file', async ({ written, expected }) => {
    const dir = await mkdtemp(join(tmpdir(), 'junction-workers-'))
    try {
      const path = join(dir, 'junction.yml')
      await writeFile(path, `entryPoints:\n  web:\n    address: ":8000"\nworkers: ${written}\n`)
      const config = await loadStaticConfig({ argv: [`--configFile=${path}`], env: {}, cwd: dir }, { providers: [fileProviderEntry] })
      expect({ workers: config.workers, count: workerCount(config) }).toEqual(expected)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it.each(['0', '1025', '-1', 'two', '1.5', ''])('rejects %j', async (workers) => {
    const error = await load(workers).then(
      () => undefined,
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(StaticConfigError)
    expect((error as StaticConfigError).problems).toEqual([`workers: expected auto or a whole number from 1 to 1024, got "${workers}"`])
  })
})
