import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../support/process.ts'

function sources(folder: string): string[] {
  return readdirSync(join(repoRoot, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(repoRoot, folder, file))
}

/** The specifiers a module imports or re-exports at run time (`import type` and `export type` load nothing). */
function runtimeSpecifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const clause = String.raw`(?:\{[^}]*\}|\*(?:\s+as\s+\w+)?|\w+(?:\s*,\s*(?:\{[^}]*\}|\*\s+as\s+\w+))?)`
  const statement = new RegExp(String.raw`^(?:import|export)\s+(?:${clause}\s+from\s+)?'([^']+)'`, 'gm')
  return [...text.matchAll(statement)].map(([, specifier = '']) => specifier)
}

/** Every module of the repository that a file imports, relative to the repository. */
function localImports(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/from '(\.[^']+)'/g)].map(([, specifier = '']) => relative(repoRoot, resolve(dirname(file), specifier)))
}

/** Every module of src/ that a file imports, relative to the repository. */
function srcImports(file: string): string[] {
  return localImports(file).filter((target) => target.startsWith('src/'))
}

/**
 * What loading `entry` loads: the repository's modules (relative paths) and
 * the packages (bare specifiers) reached through run-time imports, `entry`
 * included. Dynamic `import()` is not followed: it loads on demand.
 */
function moduleGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const pending = [entry]
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue
    files.add(file)
    for (const specifier of runtimeSpecifiers(join(repoRoot, file))) {
      if (specifier.startsWith('.')) pending.push(relative(repoRoot, resolve(dirname(join(repoRoot, file)), specifier)))
      else if (!specifier.startsWith('node:')) packages.add(specifier)
    }
  }
  return { files, packages }
}

describe('plugin surface', () => {
  it.each([
    ['providers', 'src/provider-plugin.ts'],
    ['middlewares', 'src/plugin.ts'],
  ])('%s/ imports nothing from src/ but %s', (folder, surface) => {
    const strays = sources(folder).flatMap((file) =>
      srcImports(file)
        .filter((target) => target !== surface)
        .map((target) => `${relative(repoRoot, file)} → ${target}`),
    )
    expect(strays).toEqual([])
  })

  it('a data-plane worker loads none of the providers\' machinery: documents, labels, templates, Docker', () => {
    const { files, packages } = moduleGraph('src/cluster/worker-main.ts')
    // The walk itself: it reaches the middlewares and the engine through their run-time imports.
    expect(files.has('middlewares/headers/index.ts')).toBe(true)
    expect(files.has('src/engine/data-plane.ts')).toBe(true)
    expect(files.has('src/services/undici-parts.ts')).toBe(true)
    const providerOnly = [...files].filter((file) =>
      ['providers/', 'src/provider-plugin.ts', 'src/config/labels/', 'src/config/template/', 'src/config/parse-document.ts'].some((prefix) => file.startsWith(prefix)),
    )
    expect(providerOnly).toEqual([])
    expect(['js-yaml', 'smol-toml', 'dockerode'].filter((name) => packages.has(name))).toEqual([])
    // undici's index loads fetch, WebSocket, the cache and mocks; http-proxy-3 loads with the first upgrade.
    expect(['undici', 'http-proxy-3'].filter((name) => packages.has(name))).toEqual([])
  })

  it('only the composition roots import the provider and middleware lists: the instance\'s, and a worker thread\'s (middlewares alone)', () => {
    const lists = (file: string) => [...readFileSync(file, 'utf8').matchAll(/from '[./]+\/(providers|middlewares)\/index\.ts'/g)].map((match) => match[1])
    const importers = sources('src').flatMap((file) => lists(file).map((list) => `${relative(repoRoot, file)} → ${list}`))
    expect(importers.sort()).toEqual(['src/cluster/worker-main.ts → middlewares', 'src/composition.ts → middlewares', 'src/composition.ts → providers'])
  })
})
