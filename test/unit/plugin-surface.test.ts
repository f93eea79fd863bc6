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

  it('only the composition root imports the provider and middleware lists', () => {
    const importers = sources('src').filter((file) => /from '[./]+\/(providers|middlewares)\/index\.ts'/.test(readFileSync(file, 'utf8')))
    expect(importers.map((file) => relative(repoRoot, file))).toEqual(['src/composition.ts'])
  })
})
