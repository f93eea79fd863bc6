import type { Snapshot, SourceProblem } from '../../src/provider-plugin.ts'
import { dynamicSections, isPlainObject, setOwn, type SourceFile } from '../../src/provider-plugin.ts'
import { loadConfigFile } from './template.ts'

export { parseConfigFile, type ParseResult, type SourceFile } from '../../src/provider-plugin.ts'

/** A file that parsed: its path and its configuration, raw. */
export interface ParsedFile {
  readonly path: string
  readonly config: Record<string, unknown>
}

/** `http.routers.<name>`: the depth at which Traefik's file provider compares objects across files. */
const objectDepth = 2

/**
 * Pure builder: files in, one whole snapshot out. Each file is rendered as
 * a Go template, then parsed, alone; one that fails either way contributes
 * nothing and adds a problem. The rest are merged in path order (see
 * {@link mergeConfigs}).
 *
 * @example
 * buildSnapshot([{ path: 'a.yml', content: 'http:\n  routers:\n    web: { rule: "Host(`a`)" }\n' }])
 * // { config: { http: { routers: { web: { rule: 'Host(`a`)' } } } }, problems: [] }
 */
export function buildSnapshot(files: readonly SourceFile[]): Snapshot {
  const parsed: ParsedFile[] = []
  const problems: SourceProblem[] = []
  for (const file of [...files].sort((a, b) => comparePaths(a.path, b.path))) {
    const result = loadConfigFile(file)
    if (result.ok) parsed.push({ path: file.path, config: result.config })
    else problems.push(result.problem)
  }
  const merged = mergeConfigs(parsed)
  return { config: merged.config, problems: [...problems, ...merged.problems] }
}

/**
 * Merges parsed files the way Traefik's file provider does: files in the
 * order of a sorted recursive directory walk; the first file to define an
 * object (`http.routers.web`, `tls.options.default`, ...) keeps it and a later
 * definition is skipped with a problem naming both files; lists directly under
 * a section (`tls.certificates`) are concatenated. Inputs are not mutated.
 */
export function mergeConfigs(files: readonly ParsedFile[]): Snapshot {
  const state: MergeState = { owners: new Map(), problems: [] }
  const config: Record<string, unknown> = {}
  for (const file of [...files].sort((a, b) => comparePaths(a.path, b.path))) {
    mergeLevel(config, file.config, [], file.path, state)
  }
  return { config, problems: state.problems }
}

/**
 * Orders paths as a sorted directory walk visits them (Go's `os.ReadDir`,
 * recursing in place): segment by segment, so `a/x.yml` comes before `a.yml`.
 */
export function comparePaths(a: string, b: string): number {
  const left = a.split(/[\\/]/)
  const right = b.split(/[\\/]/)
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i] ?? ''
    const y = right[i] ?? ''
    if (x !== y) return x < y ? -1 : 1
  }
  return left.length - right.length
}

interface MergeState {
  /** Which file first defined each key path (joined with NUL, which no key contains in practice). */
  readonly owners: Map<string, string>
  readonly problems: SourceProblem[]
}

function mergeLevel(target: Record<string, unknown>, source: Record<string, unknown>, trail: readonly string[], file: string, state: MergeState): void {
  const container = trail.length < objectDepth
  for (const [rawKey, value] of Object.entries(source)) {
    const key = canonicalKey(rawKey, trail)
    const at = [...trail, key]
    // `http:` with nothing under it is an empty section, not a definition.
    if (container && (value === null || value === undefined)) continue
    const exists = Object.hasOwn(target, key)
    const existing = exists ? target[key] : undefined
    if (container && isPlainObject(value) && (!exists || isPlainObject(existing))) {
      const child = exists ? (existing as Record<string, unknown>) : claim(target, key, {}, at, file, state)
      mergeLevel(child, value, at, file, state)
    } else if (container && Array.isArray(value) && (!exists || Array.isArray(existing))) {
      if (exists) (existing as unknown[]).push(...(value as unknown[]))
      else claim(target, key, [...(value as unknown[])], at, file, state)
    } else if (!exists) {
      claim(target, key, value, at, file, state)
    } else {
      const first = state.owners.get(at.join('\0')) ?? 'another file'
      state.problems.push({ source: file, message: `${at.join('.')}: defined in both ${first} and ${file}; using the one in ${first}` })
    }
  }
}

function claim<T>(target: Record<string, unknown>, key: string, value: T, at: readonly string[], file: string, state: MergeState): T {
  // A `__proto__` object name must stay a name: defined, not assigned.
  setOwn(target, key, value)
  state.owners.set(at.join('\0'), file)
  return value
}

/**
 * Traefik matches the section and collection keys case-insensitively (`HTTP`,
 * `Routers`), so they are spelled canonically before files are merged;
 * anything else passes through as written for the engine's validation to judge.
 */
function canonicalKey(key: string, trail: readonly string[]): string {
  const known = trail.length === 0 ? [...dynamicSections.keys()] : trail.length === 1 ? (dynamicSections.get(trail[0] ?? '') ?? []) : []
  const lower = key.toLowerCase()
  return known.find((name) => name.toLowerCase() === lower) ?? key
}
