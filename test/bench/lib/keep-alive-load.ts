import { request, type Agent } from 'node:http'

/** A fixed number of GETs through a keep-alive agent, each checked for status and body length. */
export interface KeepAliveLoad {
  readonly port: number
  readonly path: string
  /** Host header; the agent's default (`127.0.0.1:<port>`) without one. */
  readonly host?: string
  readonly count: number
  /** Requests in flight at once; the agent should allow as many sockets. */
  readonly concurrency: number
  readonly expectedBytes: number
  readonly agent: Agent
}

/** What went wrong with one response, or undefined when it is a 200 with the expected body length. */
export function responseProblem(status: number, bytes: number, expectedBytes: number): string | undefined {
  if (status === 200 && bytes === expectedBytes) return undefined
  return `status ${status} with ${bytes} bytes`
}

/** The note of a phase whose responses were not all right. */
export function failuresNote(failures: number, count: number, expectedBytes: number, first: string): string {
  return `${failures} of ${count} responses not 200 with ${expectedBytes} bytes (first: ${first})`
}

// A proxy under valgrind answers in milliseconds; this only stops a hung one.
const requestTimeoutMs = 60_000

function get(o: KeepAliveLoad): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const headers = o.host === undefined ? {} : { host: o.host }
    const req = request({ host: '127.0.0.1', port: o.port, path: o.path, headers, agent: o.agent }, (res) => {
      let bytes = 0
      res.on('data', (d: Buffer) => (bytes += d.length))
      res.once('error', reject)
      res.once('end', () => resolve({ status: res.statusCode ?? 0, bytes }))
    })
    req.setTimeout(requestTimeoutMs, () => req.destroy(new Error(`GET ${o.path}: no response within ${requestTimeoutMs} ms`)))
    req.once('error', reject)
    req.end()
  })
}

/**
 * Sends `count` GETs, `concurrency` at a time, and throws after the last one
 * if any was not a 200 with the expected body length (a socket error counts
 * as one such response).
 */
export async function sendRequests(o: KeepAliveLoad): Promise<void> {
  let left = o.count
  let failures = 0
  let first: string | undefined
  const worker = async (): Promise<void> => {
    while (left > 0) {
      left--
      const problem = await get(o).then(
        (r) => responseProblem(r.status, r.bytes, o.expectedBytes),
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      )
      if (problem === undefined) continue
      failures++
      first ??= problem
    }
  }
  await Promise.all(Array.from({ length: o.concurrency }, worker))
  if (first !== undefined) throw new Error(failuresNote(failures, o.count, o.expectedBytes, first))
}
