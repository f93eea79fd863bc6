/** Writes one progress line to stderr; the report goes to stdout. */
export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`)
}

/** An error's message, or the value itself as text. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** The first line of an error's message, for a table cell. */
export function firstLine(err: unknown): string {
  return errorMessage(err).split('\n')[0] ?? ''
}
