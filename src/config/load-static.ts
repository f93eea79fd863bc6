import { dirname, resolve } from 'node:path'
import { JunctionError } from '../errors.ts'
import { coerce, type Problem } from './coerce.ts'
import { applyDefaults, deepFreeze, deepMerge } from './defaults.ts'
import { decodeFlatEntries } from './flat-keys.ts'
import { ignoredOptions } from './ignored-options.ts'
import { isPlainObject } from './plain-data.ts'
import { resolvePaths } from './resolve-paths.ts'
import type { Schema } from './schema.ts'
import type { StaticConfig } from './static.ts'
import { addImplicitEntryPoints, checkStatic, parseAddress } from './static-checks.ts'
import { splitDynamicSections } from './static-dynamic.ts'
import { checkProviders, providersReading, staticSchemaFor, type ProviderOptionsEntry } from './static-providers.ts'
import { readConfigFile, readEnv, readFlags, type ReadEntries } from './static-sources.ts'

/** The static configuration is invalid; `problems` lists every problem, one message each. */
export class StaticConfigError extends JunctionError {
  readonly problems: readonly string[]

  constructor(problems: readonly string[]) {
    super('JCT_ERR_STATIC_CONFIG', `invalid static configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`)
    this.name = 'StaticConfigError'
    this.problems = problems
  }
}

/** Where `loadStaticConfig` reads from. */
export interface StaticSources {
  /** Command-line flags, without the program and subcommand: `--entryPoints.web.address=:8000`. */
  readonly argv: readonly string[]
  /** `JUNCTION_*` variables are read; others are ignored. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** Where `--configFile` and relative paths given by flags or env resolve. */
  readonly cwd: string
}

/** What Junction is made of, for the parts of the static configuration that depend on it. */
export interface StaticLoadOptions {
  /** The providers Junction has: each adds its options under `providers.<key>`, and its checks. */
  readonly providers: readonly ProviderOptionsEntry[]
}

type Loose = Record<string, unknown>

/**
 * Loads the static configuration from a YAML/TOML file (`--configFile`, or
 * `JUNCTION_CONFIGFILE`; no default path is searched), `JUNCTION_*` env vars
 * and flags. Flags override env, env overrides the file, merged deeply (Traefik
 * takes one source only; Junction layers them). Paths (fields the schema
 * marks `path`) resolve against the config file's directory, or `cwd` for
 * flags and env. Defaults are applied, durations become milliseconds, and
 * the result is deeply frozen. The `providers` section comes from the
 * providers given: their schemas, their defaults, their checks. Options
 * Junction accepts but does not honour yet come back as `warnings`.
 *
 * The file may also hold dynamic configuration (`http`, `tcp`, `udp`, `tls`),
 * as Traefik allows: those sections are left to a provider that reads the
 * file (`providers.file.filename` naming it), and a warning says so when no
 * provider does.
 *
 * @throws StaticConfigError (`JCT_ERR_STATIC_CONFIG`) listing every problem.
 * @example
 * const config = await loadStaticConfig({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd() }, { providers })
 */
export async function loadStaticConfig(sources: StaticSources, { providers }: StaticLoadOptions): Promise<StaticConfig> {
  const schema = staticSchemaFor(providers)
  const problems: string[] = []
  const flags = readFlags(sources.argv, schema)
  const env = readEnv(sources.env)
  problems.push(...flags.problems, ...env.problems)
  const configFile = flags.configFile ?? env.configFile
  const filePath = configFile === undefined ? undefined : resolve(sources.cwd, configFile)
  const configDir = filePath === undefined ? sources.cwd : dirname(filePath)

  let fileLayer: Loose = {}
  let dynamicInFile: string[] = []
  if (filePath !== undefined) {
    const read = await readConfigFile(filePath)
    if ('problem' in read) problems.push(read.problem)
    else {
      const split = isPlainObject(read.value) ? splitDynamicSections(read.value) : { rest: read.value, dynamic: [] }
      dynamicInFile = split.dynamic
      fileLayer = normalize(schema, split.rest, (path) => path || filePath, problems)
    }
  }
  resolvePaths(schema, fileLayer, configDir)
  const envLayer = decodeLayer(schema, env, problems, sources.cwd)
  const flagLayer = decodeLayer(schema, flags, problems, sources.cwd)

  const given = deepMerge(fileLayer, envLayer, flagLayer)
  const warnings = [...ignoredOptions(schema, given), ...env.warnings]
  const merged = applyDefaults(schema, given) as Loose
  // What is still relative is a default (ACME's `acme.json`): it lives next to the configuration.
  resolvePaths(schema, merged, configDir)
  addImplicitEntryPoints(merged)
  problems.push(...checkStatic(merged), ...checkProviders(merged['providers'], providers))
  if (problems.length > 0) throw new StaticConfigError(problems)
  if (filePath !== undefined && dynamicInFile.length > 0 && providersReading(merged['providers'], providers, filePath).length === 0) {
    warnings.push(unreadDynamicWarning(filePath, dynamicInFile))
  }
  return deepFreeze(finish(merged, { configDir, ...(filePath === undefined ? {} : { configFile: filePath }) }, warnings))
}

/** Traefik ignores these sections without a word when no provider reads the file; Junction says so. */
function unreadDynamicWarning(filePath: string, sections: readonly string[]): string {
  return `${filePath}: ${sections.join(', ')}: dynamic configuration that no provider reads, ignored; set providers.file.filename to this file to apply it`
}

function normalize(schema: Schema, raw: unknown, label: (path: string) => string, problems: string[]): Loose {
  const found: Problem[] = []
  if (raw !== null && raw !== undefined && !isPlainObject(raw)) {
    problems.push(`${label('')}: expected a mapping of configuration keys`)
    return {}
  }
  const value = coerce(schema, raw ?? {}, '', found, { durations: 'ms' }) as Loose | undefined
  problems.push(...found.map((problem) => `${label(problem.path)}: ${problem.message}`))
  return value ?? {}
}

function decodeLayer(schema: Schema, read: ReadEntries, problems: string[], cwd: string): Loose {
  const sourceOf = new Map(read.entries.map((entry) => [entry.key, entry.source]))
  const decoded = decodeFlatEntries(
    read.entries.map((entry) => [entry.key, entry.value] as const),
    { schema },
  )
  problems.push(...decoded.problems.map((problem) => `${sourceOf.get(problem.key) ?? problem.key}: ${problem.message}`))
  const layer = normalize(schema, decoded.value, (path) => path, problems)
  resolvePaths(schema, layer, cwd)
  return layer
}

/** Adds what the loader derived: each entry point's host, port and protocol; where the configuration came from; the warnings. */
function finish(merged: Loose, origin: { configDir: string; configFile?: string }, warnings: readonly string[]): StaticConfig {
  const entryPoints = merged['entryPoints'] as Record<string, Loose>
  for (const ep of Object.values(entryPoints)) {
    const parsed = parseAddress(ep['address'] as string)
    if (!('message' in parsed)) Object.assign(ep, parsed)
  }
  return { ...merged, ...origin, warnings } as unknown as StaticConfig
}
