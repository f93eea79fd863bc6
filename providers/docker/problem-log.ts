import type { Logger, Snapshot, SourceProblem } from '../../src/provider-plugin.ts'

/**
 * Logs the problems of each snapshot (a label that does not decode, a
 * container that cannot be routed) once, when they first appear, not again
 * at every rebuild while they last; they stay in every snapshot, for the
 * runtime report. A problem that goes away and comes back is logged again.
 *
 * @example
 * const log = new ProblemLog(logger)
 * log.report(snapshot) // one ERROR line per new problem: `container web-1: label junction.http.routers.web.priority: expected an integer, got "high"; ...`
 */
export class ProblemLog {
  readonly #logger: Logger
  #seen = new Set<string>()

  constructor(logger: Logger) {
    this.#logger = logger
  }

  report(snapshot: Snapshot): void {
    const now = new Set<string>()
    for (const problem of snapshot.problems) {
      const key = keyOf(problem)
      now.add(key)
      if (!this.#seen.has(key)) this.#logger.error({ source: problem.source }, `${problem.source}: ${problem.message}`)
    }
    this.#seen = now
  }
}

function keyOf(problem: SourceProblem): string {
  return `${problem.source}\u0000${problem.message}`
}
