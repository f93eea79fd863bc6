import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../support/process.ts'

function sources(folder: string): string[] {
  return readdirSync(join(repoRoot, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(repoRoot, folder, file))
}

/** Every module of src/ that a file imports, relative to the repository. */
function srcImports(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/from '(\.[^']+)'/g)]
    .map(([, specifier = '']) => relative(repoRoot, resolve(dirname(file), specifier)))
    .filter((target) => target.startsWith('src/'))
}

describe('plugin surface', () => {
  it.each(['providers', 'middlewares'])('%s/ imports nothing from src/ but src/plugin.ts', (folder) => {
    const strays = sources(folder).flatMap((file) =>
      srcImports(file)
        .filter((target) => target !== 'src/plugin.ts')
        .map((target) => `${relative(repoRoot, file)} → ${target}`),
    )
    expect(strays).toEqual([])
  })

  it('only the composition roots import the provider and middleware lists: the instance\'s, and a worker thread\'s (middlewares alone)', () => {
    const lists = (file: string) => [...readFileSync(file, 'utf8').matchAll(/from '[./]+\/(providers|middlewares)\/index\.ts'/g)].map((match) => match[1])
    const importers = sources('src').flatMap((file) => lists(file).map((list) => `${relative(repoRoot, file)} → ${list}`))
    expect(importers.sort()).toEqual(['src/cluster/worker-main.ts → middlewares', 'src/composition.ts → middlewares', 'src/composition.ts → providers'])
  })
})
