import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * What the `junction` command line asks for, before any static
 * configuration is read: `--help` and `--version` are answers, not options,
 * so they win wherever they appear.
 */
export type Command = { readonly kind: 'help' } | { readonly kind: 'version' } | { readonly kind: 'start'; readonly argv: readonly string[] }

/**
 * Reads the command: `--help` (or `-h`) anywhere prints the usage;
 * `--version` anywhere, or Traefik's `version` command first, prints the
 * version; anything else starts Junction with those flags.
 *
 * @example parseCommand(['--configFile=junction.yml']) // { kind: 'start', argv: ['--configFile=junction.yml'] }
 */
export function parseCommand(argv: readonly string[]): Command {
  if (argv.some((arg) => arg === '--help' || arg === '-h')) return { kind: 'help' }
  if (argv[0] === 'version' || argv.includes('--version')) return { kind: 'version' }
  return { kind: 'start', argv }
}

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The version in Junction's package.json. */
export function junctionVersion(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }
  return manifest.version
}

/** What `junction --version` prints: Junction's version and the Node.js that runs it (the bundled one, or the system's). */
export function versionText(): string {
  return `junction ${junctionVersion()} on Node.js ${process.version}\n`
}

/** A flag the usage lists: the option, a value that shows its form, and what it does. */
export interface UsageFlag {
  readonly flag: string
  readonly value: string
  readonly doc: string
}

/** The flags most setups need, in the order a first configuration sets them. A test loads each one. */
export const mostUsedFlags: readonly UsageFlag[] = [
  { flag: 'configFile', value: 'junction.yml', doc: 'the static configuration file (.yml, .yaml or .toml)' },
  { flag: 'entryPoints.web.address', value: ':8000', doc: 'an entry point named web, [host]:port (none declared: http on :80)' },
  { flag: 'providers.file.filename', value: 'dynamic.yml', doc: 'dynamic configuration from one .yml, .yaml or .toml file' },
  { flag: 'providers.file.directory', value: 'dynamic', doc: 'dynamic configuration from every such file under a folder' },
  { flag: 'providers.file.watch', value: 'false', doc: 'read once instead of applying every change (default: true)' },
  { flag: 'log.level', value: 'INFO', doc: 'TRACE, DEBUG, INFO, WARN, ERROR (default), FATAL or PANIC' },
  { flag: 'log.format', value: 'json', doc: 'common (default) or json' },
  { flag: 'log.filePath', value: 'junction.log', doc: 'log to this file instead of standard output' },
  { flag: 'providers.providersThrottleDuration', value: '2s', doc: 'least time between two applied changes of one provider' },
  { flag: 'workers', value: '2', doc: 'data-plane worker threads (default auto: one per core)' },
]

/** What `junction --help` prints. */
export function usageText(): string {
  const flags = mostUsedFlags.map(({ flag, value }) => `--${flag}=${value}`)
  const width = Math.max(...flags.map((flag) => flag.length)) + 2
  return `Junction ${junctionVersion()}: a dynamic edge router configured in Traefik v3's language.

Usage:
  junction [--configFile=FILE] [--<option>=VALUE ...]   start: listen on the entry points, run the providers
  junction --help                                       print this help (also -h)
  junction --version                                    print the version (also: junction version)

Static configuration, read once at start (Traefik v3's names and meanings):
  1. a YAML or TOML file, given by --configFile=FILE or JUNCTION_CONFIGFILE=FILE
     (no default location is searched); it may also hold the dynamic sections
     http, tcp, udp and tls, applied when providers.file.filename names it;
  2. environment variables: JUNCTION_ and the option's path in upper case,
     _ between segments (JUNCTION_ENTRYPOINTS_WEB_ADDRESS=:8000);
  3. flags: --<option path>=VALUE (--entryPoints.web.address=:8000).
  Flags override environment variables, which override the file, option by
  option. A bad static configuration stops the start, every problem listed.

Most used flags:
${mostUsedFlags.map(({ doc }, index) => `  ${(flags[index] ?? '').padEnd(width)}${doc}`).join('\n')}

Every option, the dynamic configuration and examples: ${join(packageRoot, 'README.md')}
`
}
