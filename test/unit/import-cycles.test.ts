import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../support/process.ts'

/** Every `.ts` file of src/, relative to the repository. */
function sourceFiles(): string[] {
  return readdirSync(join(repoRoot, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join('src', file))
}

/** The files of src/ a file imports (static, type-only and dynamic imports alike). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(repoRoot, file), 'utf8')
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)]
    .map(([, specifier = '']) => relative(repoRoot, resolve(dirname(join(repoRoot, file)), specifier)))
    .filter((target) => target.startsWith('src/'))
}

/** A file's room: its folder under src/ (`src/engine/x.ts` → `engine`), or the file itself at the top. */
function folderOf(file: string): string {
  const [, first = ''] = file.split('/')
  return first.endsWith('.ts') ? first : `${first}/`
}

/** Every cycle of a directed graph, each written from its smallest node; none when the graph is acyclic. */
function cycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const found = new Set<string>()
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const visit = (node: string): void => {
    state.set(node, 'open')
    path.push(node)
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const loop = path.slice(path.indexOf(next))
        const start = loop.indexOf([...loop].sort()[0] as string)
        found.add([...loop.slice(start), ...loop.slice(0, start), loop[start]].join(' → '))
      } else if (state.get(next) === undefined) {
        visit(next)
      }
    }
    path.pop()
    state.set(node, 'done')
  }
  for (const node of [...edges.keys()].sort()) if (state.get(node) === undefined) visit(node)
  return [...found].sort()
}

function graph(map: (file: string) => string): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>()
  for (const file of sourceFiles()) {
    const from = map(file)
    const targets = edges.get(from) ?? new Set<string>()
    edges.set(from, targets)
    for (const target of importsOf(file)) if (map(target) !== from) targets.add(map(target))
  }
  return edges
}

describe('imports inside src/', () => {
  it('form no cycle between folders', () => {
    expect(cycles(graph(folderOf))).toEqual([])
  })

  it('form no cycle between files', () => {
    expect(cycles(graph((file) => file))).toEqual([])
  })

  it('are found by this test: a cycle in a sample graph is reported', () => {
    const sample = new Map([
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['a', new Set(['b'])],
      ['d', new Set(['a'])],
    ])
    expect(cycles(sample)).toEqual(['a → b → c → a'])
  })
})
