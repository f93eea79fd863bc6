/**
 * Pure parts of the memory scenario's client (`clients/idle-connections.ts`):
 * reading one HTTP/1.1 response off a raw socket, the line the client prints
 * once every connection has its response, and the open-file limit both ends
 * need.
 */

/** One response read whole: its status and body length. */
export interface ResponseRead {
  readonly status: number
  readonly bodyBytes: number
}

/**
 * The response at the start of `text` (bytes as latin1), once it is all
 * there; undefined while more is to come. Only `Content-Length` bodies: the
 * backend sends its files with one, and every proxy measured keeps it. A
 * response without one, or with bytes past its body (nothing was asked for
 * them), throws.
 */
export function readResponse(text: string): ResponseRead | undefined {
  const headEnd = text.indexOf('\r\n\r\n')
  if (headEnd < 0) return undefined
  const head = text.slice(0, headEnd)
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]
  if (status === undefined) throw new Error(`reading a response: no status line in ${JSON.stringify(head.slice(0, 40))}`)
  const length = /\r\ncontent-length:[ \t]*(\d+)[ \t]*(?:\r\n|$)/i.exec(head)?.[1]
  if (length === undefined) throw new Error(`reading a response: status ${status} without Content-Length`)
  const bodyBytes = text.length - headEnd - 4
  if (bodyBytes < Number(length)) return undefined
  if (bodyBytes > Number(length)) throw new Error(`reading a response: ${bodyBytes - Number(length)} bytes past the body`)
  return { status: Number(status), bodyBytes }
}

/** What the client reports once every connection has its response (or failed). */
export interface ClientReport {
  /** Connections whose response was a 200 with the expected body, open since. */
  readonly open: number
  readonly failures: number
  /** What went wrong with the first failed connection. */
  readonly first?: string
}

const readyPrefix = 'ready '
const closedPrefix = 'closed '

/** The line the client prints once every connection is done (open and idle, or failed). */
export function readyLine(report: ClientReport): string {
  return `${readyPrefix}${JSON.stringify(report)}\n`
}

/** The line the client prints the first time the proxy closes an idle connection. */
export function closedLine(afterMs: number): string {
  return `${closedPrefix}${Math.round(afterMs)}\n`
}

/** The client's ready report out of its output, or undefined while there is none. */
export function parseReady(output: string): ClientReport | undefined {
  const line = output.split('\n').find((l) => l.startsWith(readyPrefix))
  return line === undefined ? undefined : (JSON.parse(line.slice(readyPrefix.length)) as ClientReport)
}

/** Milliseconds after the ready line at which the proxy first closed an idle connection, or undefined if it has not. */
export function parseClosed(output: string): number | undefined {
  const line = output.split('\n').find((l) => l.startsWith(closedPrefix))
  return line === undefined ? undefined : Number(line.slice(closedPrefix.length))
}

/** The soft and hard "Max open files" of `/proc/<pid>/limits` text (proc(5)); `unlimited` reads as Infinity. */
export function parseOpenFileLimit(text: string): { soft: number; hard: number } {
  const match = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)\s+files/m.exec(text)
  if (match === null) throw new Error('parsing proc limits: no "Max open files" line')
  const read = (value: string | undefined): number => (value === 'unlimited' ? Infinity : Number(value))
  return { soft: read(match[1]), hard: read(match[2]) }
}

/**
 * Why `connections` idle connections cannot be held, or undefined. Node
 * raises its soft limit to the hard one at start, so the hard limit is what
 * the proxy (one descriptor per client connection, plus its backend pool and
 * its own files) and the client (one per connection) each get.
 */
export function openFileProblem(limit: { hard: number }, connections: number, spare = 1000): string | undefined {
  const needed = connections + spare
  if (limit.hard >= needed) return undefined
  return `${connections} connections need an open-file limit of at least ${needed}, this shell's hard limit is ${limit.hard} (ulimit -Hn)`
}
