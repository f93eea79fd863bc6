import type { Logger, Snapshot, SourceProblem } from '../../src/provider-plugin.ts'
import { LastGoodFiles, type FoundFile } from './last-good.ts'
import { scanDirectory, scanFile, type ScanResult } from './scan.ts'

/** What the file provider reads: one file, or every configuration file under a directory. */
export interface FileTarget {
  readonly kind: 'file' | 'directory'
  /** Absolute path. */
  readonly path: string
}

/** How a {@link FileSource} reads. */
export interface FileSourceOptions {
  /** Whether changes will be followed: says, when the source is missing at start, that it will be read once it appears. */
  readonly watching: boolean
  /** The static configuration file: only its dynamic sections are taken. */
  readonly staticConfigFile?: string
  /** Never read (Junction's own log files). */
  readonly ownFiles: readonly string[]
  /** Log the text each templated file renders to, at DEBUG. */
  readonly debugLogGeneratedTemplate?: boolean
}

/**
 * The file provider's view of its source: scans it, applies the last-good
 * rule per file and logs each problem once, when it first appears.
 */
export class FileSource {
  readonly #target: FileTarget
  readonly #logger: Logger
  readonly #options: FileSourceOptions
  readonly #excluded: ReadonlySet<string>
  readonly #lastGood: LastGoodFiles
  #logged = new Set<string>()
  #missing = false

  constructor(target: FileTarget, logger: Logger, options: FileSourceOptions) {
    this.#target = target
    this.#logger = logger
    this.#options = options
    this.#excluded = new Set(options.ownFiles)
    this.#lastGood = new LastGoodFiles({
      ...(options.staticConfigFile === undefined ? {} : { staticConfigFile: options.staticConfigFile }),
      ...(options.debugLogGeneratedTemplate === true ? { onRendered: (path: string, content: string) => logger.debug({ file: path }, `template ${path} rendered:\n${content}`) } : {}),
    })
  }

  /**
   * The first snapshot, which is always produced: a source that cannot be read
   * yet (a file still to be written) gives an empty configuration and a
   * problem saying why, logged as an error: nothing is served from it.
   */
  async first(): Promise<Snapshot> {
    const scan = await this.#read()
    if (scan.reachable) return this.#build(scan.files)
    const then = this.#options.watching ? 'nothing is read from it until it appears' : 'nothing is read from it (watch is off)'
    this.#logger.error({ file: this.#target.path }, `${scan.problem.message}; ${then}`)
    this.#missing = true
    return { config: {}, problems: [scan.problem] }
  }

  /**
   * A fresh whole snapshot, or undefined while the source cannot be read: a
   * directory deleted, a file deleted or moved away. Like any provider that
   * loses its source, the file provider then keeps silent and the last
   * snapshot stays live (Traefik's file provider does the same).
   */
  async rescan(): Promise<Snapshot | undefined> {
    const scan = await this.#read()
    if (!scan.reachable && !this.#missing) {
      this.#logger.warn({ file: this.#target.path }, `${scan.problem.message}; keeping the last configuration until it is back`)
    }
    this.#missing = !scan.reachable
    return scan.reachable ? this.#build(scan.files) : undefined
  }

  #read(): Promise<ScanResult> {
    return this.#target.kind === 'directory' ? scanDirectory(this.#target.path, this.#excluded) : scanFile(this.#target.path)
  }

  #build(files: readonly FoundFile[]): Snapshot {
    const snapshot = this.#lastGood.build(files)
    this.#logNew(snapshot.problems)
    return snapshot
  }

  #logNew(problems: readonly SourceProblem[]): void {
    const current = new Set<string>()
    for (const problem of problems) {
      const key = `${problem.source}\0${problem.message}`
      current.add(key)
      if (!this.#logged.has(key)) this.#logger.error({ file: problem.source }, problem.message)
    }
    this.#logged = current
  }
}
