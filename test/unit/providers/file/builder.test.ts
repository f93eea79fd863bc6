import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { buildSnapshot, comparePaths, mergeConfigs, parseConfigFile } from '../../../../providers/file/builder.ts'
import type { SourceFile } from '../../../../providers/file/builder.ts'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))

/** Every file of a fixture case, named by its path relative to the case, `/`-separated. */
function readCase(name: string): SourceFile[] {
  const root = join(fixtures, name)
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name)
      return { path: relative(root, path).split(sep).join('/'), content: readFileSync(path, 'utf8') }
    })
}

const goldenCases = readdirSync(fixtures, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => ({ desc: entry.name, input: entry.name, expected: join(fixtures, `${entry.name}.expected.json`) }))

describe('file provider builder: golden fixtures', () => {
  it('has the fixture cases it is meant to have', () => {
    expect(goldenCases.map((c) => c.desc).sort()).toEqual([
      'case-insensitive-sections',
      'directory-merge',
      'duplicate-object',
      'empty-file',
      'not-a-mapping',
      'parse-error-toml',
      'parse-error-yaml',
      'template',
      'template-errors',
      'toml',
      'yaml',
    ])
  })

  it.each(goldenCases)('$desc', ({ input, expected }) => {
    const snapshot = buildSnapshot(readCase(input))
    // UPDATE_GOLDEN=1 rewrites the expected files; review the diff before committing it.
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(expected, `${JSON.stringify(snapshot, null, 2)}\n`)
    expect(snapshot).toEqual(JSON.parse(readFileSync(expected, 'utf8')))
  })
})

describe('file provider builder: parsing', () => {
  it.each([
    { desc: 'uppercase extension is yaml', input: { path: 'A.YML', content: 'a: 1' }, expected: { ok: true, config: { a: 1 } } },
    { desc: 'byte order mark is skipped', input: { path: 'a.toml', content: '\uFEFFa = 1' }, expected: { ok: true, config: { a: 1 } } },
    { desc: 'toml dates become strings', input: { path: 'a.toml', content: 'd = 2024-01-02' }, expected: { ok: true, config: { d: '2024-01-02' } } },
    {
      desc: 'unsupported extension',
      input: { path: 'a.json', content: '{}' },
      expected: { ok: false, problem: { source: 'a.json', message: 'parsing a.json: unsupported file extension ".json"' } },
    },
    {
      desc: 'duplicate yaml key',
      input: { path: 'a.yml', content: 'a: 1\na: 2\n' },
      expected: { ok: false, problem: { source: 'a.yml', message: 'parsing a.yml: line 2, column 1: duplicated mapping key' } },
    },
    {
      desc: 'several yaml documents',
      input: { path: 'a.yml', content: 'a: 1\n---\nb: 2\n' },
      expected: {
        ok: false,
        problem: { source: 'a.yml', message: 'parsing a.yml: expected a single document in the stream, but found more' },
      },
    },
    {
      desc: 'yaml merge keys',
      input: { path: 'a.yml', content: 'base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n' },
      expected: { ok: true, config: { base: { x: 1, y: 2 }, use: { x: 1, y: 3 } } },
    },
    {
      desc: 'yaml dates stay strings, as Go reads them into string fields',
      input: { path: 'a.yml', content: 'd: 2024-01-02\n' },
      expected: { ok: true, config: { d: '2024-01-02' } },
    },
    {
      desc: 'an alias bomb is refused instead of expanded',
      input: {
        path: 'a.yml',
        content: ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((name, i) => `${name}: &${name} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n'),
      },
      expected: { ok: false, problem: { source: 'a.yml', message: 'parsing a.yml: the document expands to too many values (aliases nested too deep?)' } },
    },
    {
      desc: 'scalar at the top level',
      input: { path: 'a.yml', content: 'hello\n' },
      expected: { ok: false, problem: { source: 'a.yml', message: 'parsing a.yml: expected a mapping at the top level, found a string' } },
    },
  ])('$desc', ({ input, expected }) => {
    expect(parseConfigFile(input)).toEqual(expected)
  })

  it('keeps a __proto__ key as a key instead of a prototype', () => {
    const result = parseConfigFile({ path: 'a.yml', content: 'http:\n  routers:\n    __proto__:\n      rule: x\n' })
    const merged = mergeConfigs(result.ok ? [{ path: 'a.yml', config: result.config }] : [])
    const routers = (merged.config['http'] as Record<string, unknown>)['routers'] as object
    expect(Object.getPrototypeOf(routers)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(routers, '__proto__')?.value).toEqual({ rule: 'x' })
  })
})

describe('file provider builder: merging', () => {
  it.each([
    { desc: 'directory before a sibling file that sorts after its name', input: ['a.yml', 'a/x.yml'], expected: ['a/x.yml', 'a.yml'] },
    { desc: 'plain names', input: ['b.yml', 'a.toml', 'c/d.yml'], expected: ['a.toml', 'b.yml', 'c/d.yml'] },
    { desc: 'deeper paths', input: ['/e/z/a.yml', '/e/a.yml', '/e/b/c.yml'], expected: ['/e/a.yml', '/e/b/c.yml', '/e/z/a.yml'] },
  ])('orders paths as a sorted directory walk: $desc', ({ input, expected }) => {
    expect([...input].sort(comparePaths)).toEqual(expected)
  })

  it.each([
    {
      desc: 'a section that is a list in one file and a mapping in another keeps the first',
      input: [
        { path: 'a.yml', config: { http: ['x'] } },
        { path: 'b.yml', config: { http: { routers: {} } } },
      ],
      expected: { config: { http: ['x'] }, problems: [{ source: 'b.yml', message: 'http: defined in both a.yml and b.yml; using the one in a.yml' }] },
    },
    {
      desc: 'an empty section is no definition',
      input: [
        { path: 'a.yml', config: { http: null } },
        { path: 'b.yml', config: { http: { routers: { web: { rule: 'x' } } } } },
      ],
      expected: { config: { http: { routers: { web: { rule: 'x' } } } }, problems: [] },
    },
    {
      desc: 'unknown top-level keys pass through for the engine to judge',
      input: [{ path: 'a.yml', config: { 'x-anchors': { a: 1 }, http: {} } }],
      expected: { config: { 'x-anchors': { a: 1 }, http: {} }, problems: [] },
    },
  ])('$desc', ({ input, expected }) => {
    expect(mergeConfigs(input)).toEqual(expected)
  })

  it('does not mutate the parsed inputs', () => {
    const a = { tls: { certificates: [{ certFile: 'a' }] } }
    const b = { tls: { certificates: [{ certFile: 'b' }] } }
    const merged = mergeConfigs([
      { path: 'a.yml', config: a },
      { path: 'b.yml', config: b },
    ])
    expect(merged.config).toEqual({ tls: { certificates: [{ certFile: 'a' }, { certFile: 'b' }] } })
    expect(a).toEqual({ tls: { certificates: [{ certFile: 'a' }] } })
  })
})
