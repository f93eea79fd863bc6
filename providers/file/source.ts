import type { Logger, Snapshot, SourceProblem } from '../../src/plugin.ts'
import { LastGoodFiles, type FoundFile } from './last-good.ts'
import { scanDirectory, scanFile, type ScanResult } from './scan.ts'

/** What the file provider reads: one file, or every configuration file under a directory. */
export interface FileTarget {
  readonly kind: 'file' | 'directory'
  /** Absolute path. */
  readonly path: string
}

/**
 * The file provider's view of its source: scans it, applies the last-good
 * rule per file and logs each problem once, when it first appears.
 */
export class FileSource {
  readonly #target: FileTarget
  readonly #logger: Logger
  readonly #lastGood: LastGoodFiles
  #logged = new Set<string>()
  #missing = false

  /** `staticConfigFile`: the static configuration file, of which only the dynamic sections are taken. */
  constructor(target: FileTarget, logger: Logger, options: { readonly staticConfigFile?: string } = {}) {
    this.#target = target
    this.#logger = logger
    this.#lastGood = new LastGoodFiles(options)
  }

  /**
   * The first snapshot, which is always produced: a source that cannot be read
   * yet (a file still to be written) gives an empty configuration and a
   * problem saying why.
   */
  async first(): Promise<Snapshot> {
    const scan = await this.#scan()
    if (scan.reachable) return this.#build(scan.files)
    return { config: {}, problems: [scan.problem] }
  }

  /**
   * A fresh whole snapshot, or undefined while the source cannot be read: a
   * directory deleted, a file deleted or moved away. Like any provider that
   * loses its source, the file provider then keeps silent and the last
   * snapshot stays live (Traefik's file provider does the same).
   */
  async rescan(): Promise<Snapshot | undefined> {
    const scan = await this.#scan()
    return scan.reachable ? this.#build(scan.files) : undefined
  }

  async #scan(): Promise<ScanResult> {
    const scan = this.#target.kind === 'directory' ? await scanDirectory(this.#target.path) : await scanFile(this.#target.path)
    if (!scan.reachable && !this.#missing) {
      this.#logger.warn({ file: this.#target.path }, `${scan.problem.message}; keeping the last configuration until it is back`)
    }
    this.#missing = !scan.reachable
    return scan
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
