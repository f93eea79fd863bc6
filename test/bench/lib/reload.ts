/**
 * Reading Junction's JSON log for the reload scenario: the control plane
 * logs `configuration generation N is live` once every worker has
 * acknowledged generation N, with pino's `time` (milliseconds since the
 * epoch, Junction's clock when it logged).
 */

/** One `configuration generation N is live` line. */
export interface LiveGeneration {
  readonly generation: number
  /** The line's `time`: when the control plane logged it, in ms since the epoch. */
  readonly atMs: number
}

const liveMessage = /^configuration generation (\d+) is live$/

/** The generation and time of a JSON log line that says a generation is live on every worker; undefined for any other line. */
export function parseLiveLine(line: string): LiveGeneration | undefined {
  if (!line.startsWith('{')) return undefined
  let record: unknown
  try {
    record = JSON.parse(line)
  } catch {
    return undefined
  }
  if (typeof record !== 'object' || record === null) return undefined
  const { msg, generation, time } = record as Record<string, unknown>
  if (typeof msg !== 'string' || !liveMessage.test(msg)) return undefined
  if (typeof generation !== 'number' || typeof time !== 'number') return undefined
  return { generation, atMs: time }
}

/**
 * The live generations of one Junction process, as its log reports them;
 * {@link LiveLog.onLine} takes its stdout line by line.
 */
export class LiveLog {
  readonly #seen: LiveGeneration[] = []
  readonly #waiting = new Set<() => void>()

  /** Feeds one line of Junction's stdout; lines other than a live generation are ignored. */
  readonly onLine = (line: string): void => {
    const live = parseLiveLine(line)
    if (live === undefined) return
    this.#seen.push(live)
    for (const wake of [...this.#waiting]) wake()
  }

  /** The first generation above `after` the log reports (at once when it already has); rejects when `signal` aborts first. */
  next(after: number, signal: AbortSignal): Promise<LiveGeneration> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.#seen.find((g) => g.generation > after)
        if (found === undefined) return false
        finish()
        resolve(found)
        return true
      }
      const abort = (): void => {
        finish()
        reject(new Error(`no generation above ${after} went live: ${String(signal.reason)}`, { cause: signal.reason }))
      }
      const finish = (): void => {
        this.#waiting.delete(wake)
        signal.removeEventListener('abort', abort)
      }
      const wake = (): void => void check()
      if (check()) return
      if (signal.aborted) return abort()
      this.#waiting.add(wake)
      signal.addEventListener('abort', abort, { once: true })
    })
  }

  /** The highest generation logged so far; -1 before any. */
  get latest(): number {
    return this.#seen.reduce((max, g) => Math.max(max, g.generation), -1)
  }
}

/**
 * The worker counts the reload scenario times the one-router file at: 1 and
 * 2, and 4 on a machine with 2 cores or more (Junction runs pinned to one
 * of them like every proxy of the bench, so its workers share that core).
 */
export function reloadWorkerCounts(cores: number): number[] {
  return cores >= 2 ? [1, 2, 4] : [1, 2]
}
