import { resolve } from 'node:path'
import {
  bool,
  extensionOf,
  isSupportedExtension,
  JunctionError,
  obj,
  str,
  type Logger,
  type Provider,
  type ProviderContext,
  type ProviderEntry,
  type Snapshot,
  type SourceProblem,
} from '../../src/provider-plugin.ts'
import { ChangeFeed, type Change } from './change-feed.ts'
import { isReadFromDirectory } from './scan.ts'
import { FileSource, type FileTarget } from './source.ts'

/** `providers.file` of the static configuration, paths already resolved. */
export interface FileProviderOptions {
  /** One configuration file (`.yml`, `.yaml` or `.toml`). */
  readonly filename?: string
  /** A directory read recursively; takes precedence over `filename`, as in Traefik. */
  readonly directory?: string
  /** Re-read and emit a new snapshot after every change. */
  readonly watch: boolean
  /**
   * The static configuration file, absolute. Traefik's users keep dynamic
   * sections in it and point `filename` at it: from that file the provider
   * takes only `http`, `tcp`, `udp` and `tls`, the rest being static.
   */
  readonly staticConfigFile?: string
  /** Files Junction writes (its log, its access log), absolute: never read, and their changes never wake the provider. */
  readonly ownFiles?: readonly string[]
  /** Log, at DEBUG, the text each templated file renders to (Traefik's option of that name). */
  readonly debugLogGeneratedTemplate?: boolean
}

/**
 * Quiet time that closes a burst of events. Editors and `cp` write a file in
 * several steps within a few milliseconds; 75 ms gathers them into one
 * re-read while staying well under the watcher's own throttle.
 */
const debounceMs = 75
/** A file written continuously (a log mistakenly put there) still gets read this often. */
const maxDelayMs = 1000

/**
 * The file provider: dynamic configuration from YAML and TOML files, each
 * run as a Go template first, as Traefik does. It emits a whole snapshot at
 * once, then (with `watch`) a new one after every change that alters the
 * configuration or its problems. A file that stops rendering or parsing
 * keeps its last good objects live and carries a problem; a file broken from
 * the start contributes nothing until fixed. A `filename` it cannot read
 * (another format) is logged as an error and the provider stops after one
 * empty snapshot carrying that problem, as Traefik's provider fails to start
 * while the rest of the process serves on.
 *
 * @example
 * const provider = createFileProvider({ directory: '/etc/junction/dynamic', watch: true })
 * for await (const snapshot of provider.watch(signal, { logger })) apply(snapshot)
 */
export function createFileProvider(options: FileProviderOptions): Provider {
  const target = targetOf(options)
  return {
    name: 'file',
    watch: (signal: AbortSignal, context: ProviderContext) => {
      const logger = context.logger.child({ providerName: 'file' })
      return 'problem' in target ? refuse(target.problem, logger) : watchTarget(target, options, signal, logger)
    },
  }
}

/** `providers.file` in the static configuration, Traefik's names. */
export const fileProviderSchema = obj({
  filename: str({ path: true, doc: 'one .yml, .yaml or .toml file' }),
  directory: str({ path: true, doc: 'a folder read recursively; wins over filename' }),
  watch: bool({ default: true, doc: 're-read and apply every change' }),
  // No default written out: absent is false, and the loaded configuration keeps the shape it had.
  debugLogGeneratedTemplate: bool({ doc: 'log, at DEBUG, the text each templated dynamic file renders to (default false)' }),
})

/** The entry `providers/index.ts` lists: `providers.file` of the static configuration. */
export const fileProviderEntry: ProviderEntry = {
  key: 'file',
  schema: fileProviderSchema,
  check: (options) => (options['filename'] === undefined && options['directory'] === undefined ? ['set filename or directory'] : []),
  reads: (options, file) => {
    const { directory, filename } = optionsOf(options, '/')
    if (directory !== undefined) return isReadFromDirectory(directory, file)
    return filename === file
  },
  create: (options, context) =>
    createFileProvider({
      ...optionsOf(options, context.configDir),
      ...(context.configFile === undefined ? {} : { staticConfigFile: context.configFile }),
      ...(context.ownFiles === undefined ? {} : { ownFiles: context.ownFiles }),
    }),
}

async function* refuse(problem: SourceProblem, logger: Logger): AsyncGenerator<Snapshot> {
  logger.error({ file: problem.source }, problem.message)
  yield { config: {}, problems: [problem] }
}

async function* watchTarget(target: FileTarget, options: FileProviderOptions, signal: AbortSignal, logger: Logger): AsyncGenerator<Snapshot> {
  if (signal.aborted) return
  const ownFiles = options.ownFiles ?? []
  const source = new FileSource(target, logger, {
    watching: options.watch,
    ownFiles,
    ...(options.staticConfigFile === undefined ? {} : { staticConfigFile: options.staticConfigFile }),
    ...(options.debugLogGeneratedTemplate === true ? { debugLogGeneratedTemplate: true } : {}),
  })
  if (!options.watch) {
    yield await source.first()
    return
  }
  const feed = await ChangeFeed.open(target, {
    debounceMs,
    maxDelayMs,
    ownFiles,
    onError: (error) => logger.error({ err: error, file: target.path }, `watching ${target.path}: changes may be missed`),
  })
  const stop = (): void => void feed.close()
  signal.addEventListener('abort', stop, { once: true })
  try {
    // Read only once the watcher is in place, so no change falls between the two.
    await feed.ready
    if (signal.aborted) return
    const first = await source.first()
    if (signal.aborted) return
    yield first
    for (let change = await feed.next(); change !== undefined; change = await feed.next()) {
      logger.debug({ file: target.path, changed: change.paths }, `re-reading ${target.path} after a change to ${describeChange(change)}`)
      const next = await source.rescan()
      if (signal.aborted) return
      // The watcher drops a snapshot equal to the last one; comparing here too would do it twice.
      if (next === undefined) continue
      yield next
    }
  } finally {
    signal.removeEventListener('abort', stop)
    await feed.close()
  }
}

function describeChange(change: Change): string {
  const more = change.total - change.paths.length
  return `${change.paths.join(', ')}${more > 0 ? ` and ${more} more` : ''}`
}

function targetOf(options: FileProviderOptions): FileTarget | { problem: SourceProblem } {
  if (options.directory !== undefined && options.directory !== '') return { kind: 'directory', path: resolve(options.directory) }
  if (options.filename === undefined || options.filename === '') {
    throw new JunctionError('JCT_ERR_STATIC_CONFIG', 'providers.file: neither filename nor directory is set')
  }
  const path = resolve(options.filename)
  if (!isSupportedExtension(path)) {
    return refusal(path, `unsupported file extension ${JSON.stringify(extensionOf(path))}; the file provider reads .yml, .yaml and .toml files`)
  }
  if (options.ownFiles?.includes(path) === true) return refusal(path, 'this is the file Junction logs to')
  return { kind: 'file', path }
}

function refusal(path: string, why: string): { problem: SourceProblem } {
  return { problem: { source: path, message: `providers.file.filename ${path}: ${why}; the file provider does not start` } }
}

/** The static loader validated these already; this only narrows `unknown` and resolves relative paths. */
function optionsOf(value: unknown, configDir: string): FileProviderOptions {
  const raw = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
  const path = (key: string): string | undefined => {
    const item = raw[key]
    if (item === undefined || item === '') return undefined
    if (typeof item !== 'string') throw new JunctionError('JCT_ERR_STATIC_CONFIG', `providers.file.${key}: expected a path, got ${typeof item}`)
    return resolve(configDir, item)
  }
  const filename = path('filename')
  const directory = path('directory')
  return {
    ...(filename === undefined ? {} : { filename }),
    ...(directory === undefined ? {} : { directory }),
    // Traefik's default: the file provider watches unless told not to.
    watch: raw['watch'] !== false,
    ...(raw['debugLogGeneratedTemplate'] === true ? { debugLogGeneratedTemplate: true } : {}),
  }
}
