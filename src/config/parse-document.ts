import jsYaml, { CORE_SCHEMA, load as loadYaml, YAMLException, type Type } from 'js-yaml'
import { parse as parseToml, TomlError } from 'smol-toml'
import { setOwn } from './plain-data.ts'
import type { SourceProblem } from './snapshot.ts'

/** One configuration file as read from disk. */
export interface SourceFile {
  /** Where it came from; used as the `source` of every problem it causes. */
  readonly path: string
  readonly content: string
}

/** A file parsed into a plain object, or the problem that stopped it. */
export type ParseResult =
  | { readonly ok: true; readonly config: Record<string, unknown> }
  | { readonly ok: false; readonly problem: SourceProblem }

const formats: Record<string, (content: string) => unknown> = {
  '.yml': parseYaml,
  '.yaml': parseYaml,
  '.toml': parseTomlContent,
}

/** The extension of `path`, lowercased, as Traefik compares it (`.YML` counts as `.yml`). */
export function extensionOf(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
  const dot = path.lastIndexOf('.')
  return dot > slash ? path.slice(dot).toLowerCase() : ''
}

/** True for the extensions the file provider reads: `.yml`, `.yaml`, `.toml`. */
export function isSupportedExtension(path: string): boolean {
  return Object.hasOwn(formats, extensionOf(path))
}

/**
 * Parses one YAML or TOML file into a plain object. Never throws: a file that
 * does not parse yields a problem whose message carries line and column. An
 * empty file (or one holding only comments) is an empty configuration.
 */
export function parseConfigFile(file: SourceFile): ParseResult {
  const parse = formats[extensionOf(file.path)]
  if (parse === undefined) return failure(file.path, `unsupported file extension "${extensionOf(file.path)}"`)
  let value: unknown
  try {
    // A byte order mark is legal at the start of either format but not every parser skips it.
    value = parse(file.content.replace(/^\uFEFF/, ''))
  } catch (error) {
    return failure(file.path, describe(error))
  }
  if (value === null || value === undefined) return { ok: true, config: {} }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return failure(file.path, `expected a mapping at the top level, found ${Array.isArray(value) ? 'a sequence' : `a ${typeof value}`}`)
  }
  return { ok: true, config: value as Record<string, unknown> }
}

/**
 * Aliases are shared, not copied, by the parser, but whatever walks the
 * configuration later (validation, comparison) visits every use: nested
 * aliases make that exponential ("billion laughs"). A real file expands to at
 * most a few times its own size, so a document past a generous budget is refused.
 */
function expansionBudget(content: string): number {
  return 10_000 + content.length * 10
}

function countValues(value: unknown, budget: { left: number }): void {
  if (--budget.left < 0) throw new Error('the document expands to too many values (aliases nested too deep?)')
  if (value === null || typeof value !== 'object') return
  for (const item of Object.values(value)) countValues(item, budget)
}

function failure(path: string, cause: string): ParseResult {
  return { ok: false, problem: { source: path, message: `parsing ${path}: ${cause}` } }
}

/** Carries line and column out of a parser error, the way `describe` renders it. */
class LocatedError extends Error {
  readonly line: number
  readonly column: number

  constructor(message: string, line: number, column: number) {
    super(message)
    this.line = line
    this.column = column
  }
}

/**
 * YAML 1.2's core schema, as Go's yaml.v3 reads Traefik files: `2024-01-02`
 * stays a string rather than becoming a date. Merge keys are added back.
 */
// js-yaml exports its built-in types as `types`; its type definitions leave that out.
const yamlSchema = CORE_SCHEMA.extend({ implicit: [(jsYaml as unknown as { types: { merge: Type } }).types.merge] })

/**
 * js-yaml rather than `yaml`: on a 10,000-router file it parses in ~0.2 s
 * where `yaml` takes several seconds (its duplicate-key check is quadratic),
 * and a reload must apply in well under a second. Its default schema keeps
 * duplicate keys and a stream of several documents, and builds plain objects
 * (a `__proto__` key stays a key), so nothing needs copying afterwards.
 */
function parseYaml(content: string): unknown {
  try {
    const value = loadYaml(content, { schema: yamlSchema })
    // Without an anchor there is no alias, so nothing to expand.
    if (content.includes('&')) countValues(value, { left: expansionBudget(content) })
    return value
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error
    // A stream of several documents is refused without a position.
    const mark = error.mark as YAMLException['mark'] | undefined
    if (mark === undefined) throw new Error(error.reason)
    throw new LocatedError(error.reason, mark.line + 1, mark.column + 1)
  }
}

function parseTomlContent(content: string): unknown {
  try {
    return toPlain(parseToml(content))
  } catch (error) {
    if (!(error instanceof TomlError)) throw error
    // smol-toml appends a code excerpt after the first line; a problem is one line.
    const reason = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '')
    throw new LocatedError(reason, error.line, error.column)
  }
}

function describe(error: unknown): string {
  const text = lowerFirst(error instanceof Error ? error.message : String(error))
  return error instanceof LocatedError ? `line ${error.line}, column ${error.column}: ${text}` : text
}

/** House style is lowercase messages; an acronym (`TOML ...`) keeps its case. */
function lowerFirst(text: string): string {
  const second = text.charAt(1)
  return second !== '' && second === second.toLowerCase() ? text.charAt(0).toLowerCase() + text.slice(1) : text
}

/**
 * Deep copy of a TOML document into ordinary objects: smol-toml builds
 * null-prototype tables and date objects, and a snapshot should be plain data
 * that compares and serialises the same whatever format it came from. A `__proto__` key
 * stays a key (`setOwn`).
 */
function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain)
  if (value instanceof Date) return value.toJSON()
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) setOwn(out, key, toPlain(item))
  return out
}
