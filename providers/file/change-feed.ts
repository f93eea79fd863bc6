import { stat } from 'node:fs/promises'
import { dirname, relative, resolve, sep } from 'node:path'
import { watch, type FSWatcher } from 'chokidar'
import type { Stats } from 'node:fs'
import { isSupportedExtension } from '../../src/provider-plugin.ts'

/** How events are gathered into one change. */
export interface ChangeFeedOptions {
  /** Quiet time after the last event before a change is signalled. */
  readonly debounceMs: number
  /** Upper bound on how long a steady stream of events can postpone the signal. */
  readonly maxDelayMs: number
  /** Absolute paths whose events never count: Junction's own log files. */
  readonly ownFiles?: readonly string[]
  readonly onError: (error: unknown) => void
}

/** A settled burst of events: some of the paths it touched (at most {@link shownPaths}), and how many there were. */
export interface Change {
  readonly paths: readonly string[]
  readonly total: number
}

/** How many paths of a burst a {@link Change} keeps, for a log line: a `git checkout` may touch thousands. */
const shownPaths = 5

/** Events about a file, as opposed to a directory (`addDir`, `unlinkDir`). */
const fileEvents = new Set(['add', 'change', 'unlink'])

/**
 * Turns file system events at or under a target (a file or a directory) into
 * settled "something changed" signals, many events making one signal. The
 * caller re-reads the whole source on each signal, so the events' details do
 * not matter and an extra event costs one re-read.
 *
 * The watch is anchored at the target's nearest existing parent rather than
 * the target itself, with everything off the path to the target ignored: a
 * file that does not exist yet is picked up when it appears, and a directory
 * deleted and recreated is watched again. For a file, every entry beside it
 * counts too (but not what lies below them): a Kubernetes ConfigMap updates
 * `dynamic.yml -> ..data/dynamic.yml` by swapping the `..data` link, and the
 * only event is on `..data`.
 *
 * Under a directory, events about files the provider never reads (other
 * extensions than `.yml`, `.yaml` and `.toml`) do not count, and the events
 * of Junction's own log files never count: with the log inside the watched
 * folder, each re-read would log a line that wakes the feed again.
 */
export class ChangeFeed {
  readonly #options: ChangeFeedOptions
  readonly #watcher: FSWatcher
  readonly #ready: Promise<void>
  readonly #closed = Promise.withResolvers<void>()
  #timer: NodeJS.Timeout | undefined
  #burstStart: number | undefined
  #pending = false
  /** The paths of the burst under way; bounded by what a second of events can touch (see `maxDelayMs`). */
  #paths = new Set<string>()
  readonly #counts: (event: string, path: string) => boolean
  #wake: (() => void) | undefined
  #closing: Promise<void> | undefined

  /** Starts watching `target`, a file or a directory (absolute or relative to the working directory). */
  static async open(target: { readonly kind: 'file' | 'directory'; readonly path: string }, options: ChangeFeedOptions): Promise<ChangeFeed> {
    const absolute = resolve(target.path)
    const own = new Set(options.ownFiles)
    if (target.kind === 'directory') {
      const near = (path: string): boolean => path === absolute || isInside(absolute, path) || isInside(path, absolute)
      const relevant = (path: string, stats?: Stats): boolean => near(path) && !own.has(path) && !(stats?.isFile() === true && !isSupportedExtension(path))
      // Stats come with some events only: the event's name says whether it is about a file.
      const counts = (event: string, path: string): boolean => !own.has(path) && !(fileEvents.has(event) && !isSupportedExtension(path))
      return new ChangeFeed(await nearestExistingParent(absolute), relevant, counts, undefined, options)
    }
    const directory = dirname(absolute)
    // Anchored above the file's directory too, so that directory may be deleted and recreated.
    const anchor = await nearestExistingParent(directory)
    const relevant = (path: string): boolean => (isInside(absolute, path) || dirname(path) === directory) && !own.has(path)
    // Deep enough to reach the file's directory, not into the directories beside the file.
    const depth = relative(anchor, directory).split(sep).filter(Boolean).length
    return new ChangeFeed(anchor, relevant, (_event, path) => !own.has(path), depth, options)
  }

  private constructor(
    anchor: string,
    relevant: (path: string, stats?: Stats) => boolean,
    counts: (event: string, path: string) => boolean,
    depth: number | undefined,
    options: ChangeFeedOptions,
  ) {
    this.#options = options
    this.#counts = counts
    this.#watcher = watch(anchor, {
      ignoreInitial: true,
      ignored: (path, stats) => !relevant(resolve(path), stats),
      ...(depth === undefined ? {} : { depth }),
    })
    this.#watcher.on('all', this.#onEvent)
    this.#watcher.on('error', options.onError)
    this.#ready = new Promise((done) => this.#watcher.once('ready', () => done()))
  }

  /** Resolves once the initial scan of the watcher is done (or the feed is closed). */
  get ready(): Promise<void> {
    return Promise.race([this.#ready, this.#closed.promise])
  }

  /** Resolves with the change once a burst of events has settled, undefined once the feed is closed. */
  async next(): Promise<Change | undefined> {
    while (!this.#pending && this.#closing === undefined) {
      await new Promise<void>((wake) => (this.#wake = wake))
    }
    if (this.#closing !== undefined) return undefined
    const change = { paths: [...this.#paths].slice(0, shownPaths), total: this.#paths.size }
    this.#pending = false
    this.#paths = new Set()
    return change
  }

  /** Stops the watcher and the debounce timer and ends any pending {@link next}. Idempotent. */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      clearTimeout(this.#timer)
      this.#timer = undefined
      this.#closing = this.#watcher.close()
      this.#closed.resolve()
      this.#wakeUp()
    }
    return this.#closing
  }

  readonly #onEvent = (event: string, path: string): void => {
    const absolute = resolve(path)
    if (this.#closing !== undefined || !this.#counts(event, absolute)) return
    this.#paths.add(absolute)
    const now = Date.now()
    this.#burstStart ??= now
    clearTimeout(this.#timer)
    const wait = Math.max(0, Math.min(this.#options.debounceMs, this.#burstStart + this.#options.maxDelayMs - now))
    this.#timer = setTimeout(this.#settle, wait)
  }

  readonly #settle = (): void => {
    this.#timer = undefined
    this.#burstStart = undefined
    this.#pending = true
    this.#wakeUp()
  }

  #wakeUp(): void {
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }
}

function isInside(path: string, directory: string): boolean {
  return path.startsWith(directory.endsWith(sep) ? directory : directory + sep)
}

async function nearestExistingParent(target: string): Promise<string> {
  let directory = dirname(target)
  for (;;) {
    try {
      if ((await stat(directory)).isDirectory()) return directory
    } catch {
      // Not there (yet): look one level up.
    }
    const parent = dirname(directory)
    if (parent === directory) return directory
    directory = parent
  }
}
