import { readFile } from 'node:fs/promises'
import { extensionOf, isSupportedExtension, parseConfigFile } from './parse-document.ts'
import { schemaForKey } from './flat-keys.ts'
import type { Schema } from './schema.ts'
import { isDynamicSection } from './static-dynamic.ts'

/**
 * The three sources of the static configuration, read into flat entries or a
 * parsed document: command-line flags, `JUNCTION_*` environment variables and
 * a YAML or TOML file.
 */

/** A flat entry and the name the user wrote it under (`--entryPoints.web.address`, `JUNCTION_LOG_LEVEL`). */
export interface SourceEntry {
  readonly key: string
  readonly value: string
  readonly source: string
}

/** What reading flags or env produced. */
export interface ReadEntries {
  readonly entries: SourceEntry[]
  /** `--configFile` / `JUNCTION_CONFIGFILE`, when given. */
  readonly configFile?: string
  readonly problems: string[]
  /** What was read and set aside, one message each (dynamic sections given by environment variables). */
  readonly warnings: string[]
}

const boolWords = new Set(['true', 'false', 't', 'f', '1', '0'])

/**
 * Reads `--key=value`, `--key value` and bare `--key` flags. A bare flag sets a
 * boolean to true or declares an object (`--entryPoints.web`, `--api`); a flag
 * naming a boolean or an object takes the next argument only when it is a
 * boolean word, so `--providers.file.watch --log.level=DEBUG` reads as expected.
 * `schema` is the whole static schema, providers' options included.
 */
export function readFlags(argv: readonly string[], schema: Schema): ReadEntries {
  const entries: SourceEntry[] = []
  const problems: string[] = []
  let configFile: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (!arg.startsWith('--') || arg.length === 2) {
      problems.push(`${JSON.stringify(arg)}: unexpected argument; flags read --name=value`)
      continue
    }
    const body = arg.slice(2)
    const eq = body.indexOf('=')
    let key = eq === -1 ? body : body.slice(0, eq)
    let value = eq === -1 ? undefined : body.slice(eq + 1)
    if (value === undefined && takesNext(schema, key, argv[i + 1])) value = argv[++i]
    if (key.toLowerCase() === 'configfile') {
      if (value === undefined || value === '') problems.push(`--${key}: missing the file path`)
      else configFile = value
      continue
    }
    key = key.trim()
    const section = dynamicSectionOf(key)
    // Traefik refuses these too ("field not found"); the message says where they belong.
    if (section !== undefined) problems.push(`--${key}: ${section} is dynamic configuration, which flags do not carry; ${whereDynamicGoes}`)
    else entries.push({ key, value: value ?? 'true', source: `--${key}` })
  }
  return { entries, problems, warnings: [], ...(configFile === undefined ? {} : { configFile }) }
}

const whereDynamicGoes = 'write it in a file the file provider reads (providers.file.filename or directory)'

/** The dynamic section a flat key starts with (`http` for `http.routers.web.rule`), if any. */
function dynamicSectionOf(key: string): string | undefined {
  const first = key.split('.', 1)[0] ?? ''
  return isDynamicSection(first) ? first : undefined
}

function takesNext(schema: Schema, key: string, next: string | undefined): boolean {
  if (next === undefined || next.startsWith('--')) return false
  if (key.toLowerCase() === 'configfile') return true
  const target = schemaForKey(schema, key)
  if (target === undefined) return true
  if (target.kind === 'bool' || target.kind === 'object' || target.kind === 'map') return boolWords.has(next.trim().toLowerCase())
  return true
}

const envPrefix = 'JUNCTION_'

/**
 * Reads `JUNCTION_ENTRYPOINTS_WEB_ADDRESS=:8000`: `_` separates segments and
 * the whole name is lowercased, so names given this way (entry points,
 * resolvers) are lowercase and cannot contain `_`, as with Traefik's
 * `TRAEFIK_*` variables. Variables naming a dynamic section
 * (`JUNCTION_HTTP_ROUTERS_...`) are set aside with a warning: Traefik reads
 * only variables that start with a static option's name, so it passes them
 * over, and a process environment often carries variables meant for others.
 */
export function readEnv(env: Readonly<Record<string, string | undefined>>): ReadEntries {
  const entries: SourceEntry[] = []
  const warnings: string[] = []
  let configFile: string | undefined
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !name.toUpperCase().startsWith(envPrefix) || name.length === envPrefix.length) continue
    const key = name.slice(envPrefix.length).toLowerCase().split('_').join('.')
    const section = dynamicSectionOf(key)
    if (key === 'configfile') configFile = value
    else if (section !== undefined) warnings.push(`${name}: ${section} is dynamic configuration, which environment variables do not carry; ignored: ${whereDynamicGoes}`)
    else entries.push({ key, value, source: name })
  }
  return { entries, problems: [], warnings, ...(configFile === undefined ? {} : { configFile }) }
}

/** Reads and parses a YAML (`.yml`, `.yaml`) or TOML (`.toml`) file, as the file provider parses dynamic ones. */
export async function readConfigFile(path: string): Promise<{ value: unknown } | { problem: string }> {
  if (!isSupportedExtension(path)) {
    return { problem: `${path}: unsupported configuration file extension ${JSON.stringify(extensionOf(path))}; use .yml, .yaml or .toml` }
  }
  let content: string
  try {
    content = await readFile(path, 'utf8')
  } catch (error) {
    return { problem: `reading ${path}: ${(error as Error).message}` }
  }
  const parsed = parseConfigFile({ path, content })
  return parsed.ok ? { value: parsed.config } : { problem: parsed.problem.message }
}
