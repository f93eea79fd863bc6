import { spawn } from 'node:child_process'

/** What one wrk run reports, in the units the bench prints. */
export interface WrkResult {
  /** Requests completed (wrk's "N requests in Xs"). */
  readonly requests: number
  readonly requestsPerSecond: number
  /** 99th percentile latency in milliseconds (needs `--latency`). */
  readonly p99Ms: number
  /** Responses outside 2xx/3xx. */
  readonly non2xx: number
  /** connect + read + write + timeout socket errors. */
  readonly socketErrors: number
}

const timeUnitsMs: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
const countSuffixes: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9 }

/** Converts a wrk time such as `812.00us`, `2.33ms` or `1.02s` to milliseconds. */
export function parseWrkTime(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m|h)$/.exec(text.trim())
  const unit = m?.[2] === undefined ? undefined : timeUnitsMs[m[2]]
  if (!m?.[1] || unit === undefined) throw new Error(`parsing wrk time: unrecognised ${JSON.stringify(text)}`)
  return Number(m[1]) * unit
}

/** Converts a wrk count such as `37451` or `1.20M` to a number. */
export function parseWrkCount(text: string): number {
  const m = /^([\d.]+)([kMG]?)$/.exec(text.trim())
  const factor = countSuffixes[m?.[2] ?? 'x']
  if (!m?.[1] || factor === undefined) throw new Error(`parsing wrk count: unrecognised ${JSON.stringify(text)}`)
  return Math.round(Number(m[1]) * factor)
}

function match(output: string, re: RegExp, what: string): string {
  const m = re.exec(output)
  if (!m?.[1]) throw new Error(`parsing wrk output: no ${what} in ${JSON.stringify(output.slice(0, 400))}`)
  return m[1]
}

/** Parses wrk 4's text report; run wrk with `--latency` so the p99 line exists. */
export function parseWrkOutput(output: string): WrkResult {
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output)
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1]
  return {
    requests: parseWrkCount(match(output, /^\s*(\S+) requests in /m, 'request count')),
    requestsPerSecond: Number(match(output, /^Requests\/sec:\s+([\d.]+)/m, 'requests/sec')),
    p99Ms: parseWrkTime(match(output, /^\s*99(?:\.0+)?%\s+(\S+)/m, 'p99 latency')),
    non2xx: non2xx === undefined ? 0 : Number(non2xx),
    socketErrors: errors ? errors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  }
}

/** How to drive one wrk run. */
export interface WrkOptions {
  readonly url: string
  readonly seconds: number
  readonly connections: number
  /** CPU the load generator is pinned to. */
  readonly core: number
  readonly headers?: Readonly<Record<string, string>>
  /** Stops wrk when the bench is interrupted. */
  readonly signal?: AbortSignal
}

/** The argv (after `taskset`) for one run: one wrk thread, since it has one core. */
export function wrkArgs(o: WrkOptions): string[] {
  // wrk replaces its own Host header only when ours is spelled exactly `Host`;
  // any other case sends both, and servers keep the first.
  const headers = Object.entries(o.headers ?? {}).flatMap(([k, v]) => ['-H', `${k.toLowerCase() === 'host' ? 'Host' : k}: ${v}`])
  return ['-c', String(o.core), 'wrk', '-t1', `-c${o.connections}`, `-d${o.seconds}s`, '--latency', ...headers, o.url]
}

/** Runs wrk pinned to `core` and parses its report. */
export async function runWrk(o: WrkOptions): Promise<WrkResult> {
  const child = spawn('taskset', wrkArgs(o), { stdio: ['ignore', 'pipe', 'pipe'], ...(o.signal ? { signal: o.signal } : {}) })
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d))
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', resolve)
  })
  if (code !== 0) throw new Error(`running wrk on ${o.url}: exit ${code}: ${out.trim().slice(0, 400)}`)
  return parseWrkOutput(out)
}
