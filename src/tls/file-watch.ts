import { dirname } from 'node:path'
import { watch, type FSWatcher } from 'chokidar'

export interface TlsFileWatchOptions {
  /** Quiet time after the last event before `onSettled` is called: a certificate and its key are written one after the other. */
  readonly debounceMs: number
  /** How long a steady stream of events can postpone `onSettled`. */
  readonly maxDelayMs: number
  /** Called once a burst of events in the watched directories has settled. */
  readonly onSettled: () => void
  readonly onError: (error: unknown) => void
}

/**
 * Watches the directories that hold the `tls` section's files and says when
 * something in them changed. It watches directories, not the files: a
 * certificate renewed by a rename over the old one (certbot, an atomic
 * write) or by a Kubernetes Secret's `..data` link swap shows up as events
 * beside the file, never on the file's old inode. Events carry no verdict:
 * the control plane compares the files with what it last read
 * (`TlsFileReader.changed`) and publishes a generation only for a real change.
 */
export class TlsFileWatch {
  readonly #options: TlsFileWatchOptions
  #watcher: FSWatcher | undefined
  #directories = new Set<string>()
  #timer: NodeJS.Timeout | undefined
  /** When the burst under way began (ms, monotonic). */
  #burstStart: number | undefined
  #closed = false

  constructor(options: TlsFileWatchOptions) {
    this.#options = options
  }

  /**
   * Watches the directories of `paths` (absolute) from now on, and only
   * those. A new set of directories gets a new watcher, which checks once
   * it is ready: a file changed between its read and its watch start is
   * not missed.
   */
  follow(paths: Iterable<string>): void {
    if (this.#closed) return
    const directories = new Set<string>()
    for (const path of paths) directories.add(dirname(path))
    if (directories.size === this.#directories.size && [...directories].every((directory) => this.#directories.has(directory))) return
    this.#directories = directories
    void this.#watcher?.close()
    this.#watcher = undefined
    if (directories.size === 0) return
    // Depth 0: what lies in each directory, not below it.
    const watcher = watch([...directories], { ignoreInitial: true, depth: 0 })
    watcher.on('all', () => this.#event())
    watcher.on('error', this.#options.onError)
    watcher.once('ready', () => this.#event())
    this.#watcher = watcher
  }

  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#timer)
    await this.#watcher?.close()
  }

  #event(): void {
    const { debounceMs, maxDelayMs } = this.#options
    const now = performance.now()
    this.#burstStart ??= now
    clearTimeout(this.#timer)
    const wait = Math.max(0, Math.min(debounceMs, this.#burstStart + maxDelayMs - now))
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.#burstStart = undefined
      if (!this.#closed) this.#options.onSettled()
    }, wait)
  }
}
