import { dirname, isAbsolute, resolve } from 'node:path'
import { JunctionError } from '../errors.ts'
import { coerce, type Problem } from './coerce.ts'
import { applyDefaults, deepFreeze, deepMerge } from './defaults.ts'
import { decodeFlatEntries } from './flat-keys.ts'
import { isPlainObject } from './plain-data.ts'
import type { StaticConfig } from './static.ts'
import { addImplicitEntryPoints, checkStatic, parseAddress } from './static-checks.ts'
import { staticSchema } from './static-schema.ts'
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

type Loose = Record<string, unknown>

/**
 * Loads the static configuration from a YAML/TOML file (`--configFile`, or
 * `JUNCTION_CONFIGFILE`; no default path is searched), `JUNCTION_*` env vars
 * and flags. Flags override env, env overrides the file, merged deeply (Traefik
 * takes one source only; Junction layers them). Relative paths resolve
 * against the config file's directory, or `cwd` for flags and env. Defaults
 * are applied, durations become milliseconds, and the result is deeply frozen.
 *
 * @throws StaticConfigError (`JCT_ERR_STATIC_CONFIG`) listing every problem.
 * @example
 * const config = await loadStaticConfig({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd() })
 */
export async function loadStaticConfig(sources: StaticSources): Promise<StaticConfig> {
  const problems: string[] = []
  const flags = readFlags(sources.argv)
  const env = readEnv(sources.env)
  problems.push(...flags.problems, ...env.problems)
  const configFile = flags.configFile ?? env.configFile
  const filePath = configFile === undefined ? undefined : resolve(sources.cwd, configFile)
  const configDir = filePath === undefined ? sources.cwd : dirname(filePath)

  let fileLayer: Loose = {}
  if (filePath !== undefined) {
    const read = await readConfigFile(filePath)
    if ('problem' in read) problems.push(read.problem)
    else fileLayer = normalize(read.value, (path) => path || filePath, problems)
  }
  resolvePaths(fileLayer, configDir)
  const envLayer = decodeLayer(env, problems, sources.cwd)
  const flagLayer = decodeLayer(flags, problems, sources.cwd)

  const merged = applyDefaults(staticSchema, deepMerge(fileLayer, envLayer, flagLayer)) as Loose
  addImplicitEntryPoints(merged)
  problems.push(...checkStatic(merged))
  if (problems.length > 0) throw new StaticConfigError(problems)
  return deepFreeze(finish(merged, configDir))
}

function normalize(raw: unknown, label: (path: string) => string, problems: string[]): Loose {
  const found: Problem[] = []
  if (raw !== null && raw !== undefined && !isPlainObject(raw)) {
    problems.push(`${label('')}: expected a mapping of configuration keys`)
    return {}
  }
  const value = coerce(staticSchema, raw ?? {}, '', found, { durations: 'ms' }) as Loose | undefined
  problems.push(...found.map((problem) => `${label(problem.path)}: ${problem.message}`))
  return value ?? {}
}

function decodeLayer(read: ReadEntries, problems: string[], cwd: string): Loose {
  const sourceOf = new Map(read.entries.map((entry) => [entry.key, entry.source]))
  const decoded = decodeFlatEntries(
    read.entries.map((entry) => [entry.key, entry.value] as const),
    { schema: staticSchema },
  )
  problems.push(...decoded.problems.map((problem) => `${sourceOf.get(problem.key) ?? problem.key}: ${problem.message}`))
  const layer = normalize(decoded.value, (path) => path, problems)
  resolvePaths(layer, cwd)
  return layer
}

/** Resolves the relative paths a layer carries against its base directory. */
function resolvePaths(layer: Loose, base: string): void {
  const fix = (section: unknown, key: string): void => resolvePath(section, key, base)
  const providers = layer['providers'] as Loose | undefined
  fix(providers?.['file'], 'filename')
  fix(providers?.['file'], 'directory')
  fix(layer['log'], 'filePath')
  fix(layer['accessLog'], 'filePath')
  const resolvers = layer['certificatesResolvers']
  if (isPlainObject(resolvers)) for (const resolver of Object.values(resolvers)) fix((resolver as Loose)['acme'], 'storage')
}

function resolvePath(section: unknown, key: string, base: string): void {
  if (!isPlainObject(section)) return
  const value = section[key]
  if (typeof value === 'string' && value !== '' && !isAbsolute(value)) section[key] = resolve(base, value)
}

/** Adds what the loader derived: each entry point's host, port and protocol; the config directory. */
function finish(merged: Loose, configDir: string): StaticConfig {
  const entryPoints = merged['entryPoints'] as Record<string, Loose>
  for (const ep of Object.values(entryPoints)) {
    const parsed = parseAddress(ep['address'] as string)
    if (!('message' in parsed)) Object.assign(ep, parsed)
  }
  const resolvers = merged['certificatesResolvers']
  if (isPlainObject(resolvers)) {
    // The storage default is relative: it lives next to the configuration, like other paths.
    for (const resolver of Object.values(resolvers)) resolvePath((resolver as Loose)['acme'], 'storage', configDir)
  }
  return { ...merged, configDir } as unknown as StaticConfig
}
