import { spawn, type ChildProcess } from 'node:child_process'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'
import { eventually } from '../../support/eventually.ts'

/** A daemon the bench started, in its own process group, pinned to one CPU. */
export interface Daemon {
  readonly name: string
  /** PID of the daemon itself: taskset execs it, so this is what /proc measures. */
  readonly pid: number
  /** Resolves with the exit code (or signal name) once the process has ended. */
  readonly exited: Promise<number | string>
  /** The last few KiB the daemon printed, for error messages. */
  output(): string
}

/** How to start one daemon. */
export interface DaemonSpec {
  readonly name: string
  readonly command: string
  readonly args: readonly string[]
  readonly core: number
  readonly env?: NodeJS.ProcessEnv
  readonly cwd?: string
  /** Called with each whole line the daemon writes to stdout, as it arrives (the reload scenario reads Junction's JSON log). */
  readonly onLine?: (line: string) => void
}

const keepOutput = 4096

/**
 * Owns every daemon the bench starts, so that all of them are stopped — by
 * process group, since nginx forks workers — on success, failure or Ctrl-C.
 */
export class DaemonSet {
  readonly #running = new Map<number, { child: ChildProcess; daemon: Daemon }>()

  /** Starts `spec` under `taskset -c <core>` as the leader of a new process group. */
  start(spec: DaemonSpec): Daemon {
    const child = spawn('taskset', ['-c', String(spec.core), spec.command, ...spec.args], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: spec.env ?? process.env,
      cwd: spec.cwd,
    })
    if (child.pid === undefined) throw new Error(`starting ${spec.name}: spawn gave no pid`)
    let tail = ''
    const keep = (d: string): void => {
      tail = (tail + d).slice(-keepOutput)
    }
    child.stdout?.setEncoding('utf8').on('data', keep)
    if (spec.onLine) child.stdout?.on('data', lineSplitter(spec.onLine))
    child.stderr?.setEncoding('utf8').on('data', keep)
    const exited = new Promise<number | string>((resolve) => {
      child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'))
      child.once('error', (err) => {
        keep(`${err.message}\n`)
        resolve('spawn error')
      })
    })
    const daemon: Daemon = { name: spec.name, pid: child.pid, exited, output: () => tail }
    this.#running.set(child.pid, { child, daemon })
    void exited.then(() => this.#running.delete(daemon.pid))
    return daemon
  }

  /** Stops the daemon's whole process group: SIGTERM, then SIGKILL after `graceMs`. */
  async stop(daemon: Daemon, graceMs = 5000): Promise<void> {
    signalGroup(daemon.pid, 'SIGTERM')
    const grace = new AbortController()
    const ended = await Promise.race([
      daemon.exited.then(() => true),
      delay(graceMs, false, { signal: grace.signal }).catch(() => true),
    ])
    grace.abort()
    // Also after a clean exit: a group member (an nginx worker) may outlive its leader.
    signalGroup(daemon.pid, 'SIGKILL')
    if (!ended) await daemon.exited
    this.#running.delete(daemon.pid)
  }

  /** Stops every daemon still running. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#running.values()].map(({ daemon }) => this.stop(daemon)))
  }

  /** Last resort for process exit paths that cannot await: SIGKILL every group now. */
  killAllNow(): void {
    for (const pid of this.#running.keys()) signalGroup(pid, 'SIGKILL')
  }
}

/** Asks the kernel for a free port on 127.0.0.1 for a daemon that cannot report the one it got. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('finding a free port: no address')
  return address.port
}

/**
 * A stream `data` listener that calls `onLine` once per whole line: a chunk
 * may end mid-line, and the rest of that line comes with the next chunk.
 */
export function lineSplitter(onLine: (line: string) => void): (chunk: string) => void {
  let partial = ''
  return (chunk) => {
    const parts = (partial + chunk).split('\n')
    partial = parts.pop() ?? ''
    for (const line of parts) onLine(line)
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
  }
}

/** Sends one GET on a fresh connection and resolves with the status code. */
export function getStatus(port: number, path: string, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = host === undefined ? {} : { host }
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      res.resume()
      res.once('end', () => resolve(res.statusCode ?? 0))
      res.once('error', reject)
    })
    req.setTimeout(2000, () => req.destroy(new Error(`GET ${path}: no response within 2 s`)))
    req.once('error', reject)
    req.end()
  })
}

/**
 * Polls until `GET path` answers `status`; fails early, with the daemon's own
 * output, if the daemon exits first.
 */
export async function waitForStatus(
  daemon: Daemon | undefined,
  o: { port: number; path: string; host?: string; status?: number; timeoutMs?: number },
): Promise<void> {
  const expected = o.status ?? 200
  let dead: string | undefined
  void daemon?.exited.then((code) => (dead = String(code)))
  await eventually(
    async () => {
      if (dead !== undefined) return
      const status = await getStatus(o.port, o.path, o.host)
      if (status !== expected) throw new Error(`GET ${o.path} on port ${o.port}: status ${status}, want ${expected}`)
    },
    { timeout: o.timeoutMs ?? 15_000, interval: 20 },
  ).catch((err: unknown) => {
    throw new Error(`waiting for ${daemon?.name ?? 'port'} ${o.port}: ${(err as Error).message}\n${daemon?.output() ?? ''}`, { cause: err })
  })
  if (dead !== undefined) throw new Error(`waiting for ${daemon?.name}: it exited (${dead}) before answering\n${daemon?.output() ?? ''}`)
}
