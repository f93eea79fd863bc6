/** A problem a provider found in its source (a file that does not parse, a label that does not decode). */
export interface SourceProblem {
  /** Where: a file path, a container name, a KV key. */
  readonly source: string
  readonly message: string
}

/**
 * A whole snapshot of what one provider knows. `config` is raw (parsed, not
 * validated): the engine validates it object by object, so one bad router
 * never takes the others down.
 */
export interface Snapshot {
  readonly config: Record<string, unknown>
  readonly problems: readonly SourceProblem[]
}
