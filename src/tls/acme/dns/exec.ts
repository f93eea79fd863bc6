import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import type { DnsChallengeRecord, DnsProvider } from '../contracts.ts'
import { seconds, setting, type DnsEnv } from './settings.ts'

/** What one run of the program may take. */
export interface ExecLimits {
  /** The program (and whatever it started) is killed once it has run this long, in ms. */
  readonly timeout: number
  /** How much of the end of its output is kept for the error message, in bytes. */
  readonly outputBytes: number
}

/**
 * Two minutes: lego sets no limit of its own, but a program that hangs must
 * not hold an order forever; a DNS API call takes seconds.
 */
export const execLimits: ExecLimits = Object.freeze({ timeout: 120_000, outputBytes: 4096 })

/** lego's defaults (`dns01.DefaultPropagationTimeout`, `DefaultPollingInterval`), in seconds; its sequence interval defaults to the propagation timeout. */
const defaultPropagationTimeout = 60
const defaultPollingInterval = 2

/**
 * lego's `exec` provider: `EXEC_PATH` names a program run (without a shell)
 * as `<EXEC_PATH> present|cleanup <fqdn> <value>`, or with `EXEC_MODE=RAW`
 * as `<EXEC_PATH> present|cleanup -- <domain> <token> <keyAuthorization>`;
 * a non-zero exit fails the challenge. `EXEC_PROPAGATION_TIMEOUT`,
 * `EXEC_POLLING_INTERVAL` and `EXEC_SEQUENCE_INTERVAL` (seconds) are read
 * as lego reads them and handed to the resolver (exec challenges are
 * solved one at a time, as in lego).
 *
 * @throws Error when `EXEC_PATH` is missing or not an executable file, or a setting is invalid.
 * @example
 * const provider = execProvider({ EXEC_PATH: '/usr/local/bin/update-dns' })
 * await provider.present(record, signal)
 */
export function execProvider(env: DnsEnv, limits: ExecLimits = execLimits): DnsProvider {
  const name = 'exec'
  const program = setting(name, env, 'EXEC_PATH')
  if (program === '') throw new Error(`dns provider ${name}: EXEC_PATH is not set (the program that adds and removes the TXT record)`)
  // A bare name is looked up in PATH when it runs, as lego's exec.Command does; a path can be checked now.
  if (program.includes('/')) {
    try {
      accessSync(program, constants.X_OK)
    } catch (error) {
      throw new Error(`dns provider ${name}: EXEC_PATH ${program} cannot be run: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error })
    }
  }
  const mode = setting(name, env, 'EXEC_MODE')
  if (mode !== '' && mode !== 'RAW') throw new Error(`dns provider ${name}: EXEC_MODE: expected RAW or nothing, got ${JSON.stringify(mode)}`)
  const timeout = seconds(name, env, 'EXEC_PROPAGATION_TIMEOUT', defaultPropagationTimeout)
  const interval = seconds(name, env, 'EXEC_POLLING_INTERVAL', defaultPollingInterval, 1)
  const sequenceInterval = seconds(name, env, 'EXEC_SEQUENCE_INTERVAL', defaultPropagationTimeout)
  const argsOf = (action: string, record: DnsChallengeRecord): string[] =>
    mode === 'RAW' ? [action, '--', record.domain, record.token, record.keyAuthorization] : [action, record.fqdn, record.value]
  return {
    name,
    propagation: { timeout, interval },
    sequenceInterval,
    present: (record, signal) => runProgram(program, argsOf('present', record), limits, signal),
    cleanup: (record, signal) => runProgram(program, argsOf('cleanup', record), limits, signal),
  }
}

/**
 * Runs `program` with `args` and no shell, its output drained (only the
 * end of it kept, so a program that prints without end costs bounded
 * memory). It runs in a process group of its own, so a timeout or an abort
 * kills what it started too: a shell script's children would otherwise
 * hold its output open and the run would never end.
 */
function runProgram(program: string, args: readonly string[], limits: ExecLimits, signal: AbortSignal): Promise<void> {
  const action = `${program} ${args[0]}`
  if (signal.aborted) return Promise.reject(new Error(`dns provider exec: ${action}: aborted`, { cause: signal.reason }))
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    const stdout = new Tail(limits.outputBytes)
    const stderr = new Tail(limits.outputBytes)
    child.stdout.on('data', (chunk: Buffer) => stdout.add(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.add(chunk))
    let stopped: string | undefined
    const stop = (why: string): void => {
      if (stopped !== undefined) return
      stopped = why
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
      } catch {
        // The group is gone already.
      }
    }
    const timer = setTimeout(() => stop(`killed after ${limits.timeout} ms`), limits.timeout)
    const onAbort = (): void => stop('aborted')
    signal.addEventListener('abort', onAbort, { once: true })
    let settled = false
    const settle = (error: Error | undefined): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      if (error === undefined) resolve()
      else reject(error)
    }
    child.once('error', (error) => settle(new Error(`dns provider exec: ${action}: ${error.message}`, { cause: error })))
    child.once('close', (code, killedBy) => {
      if (stopped !== undefined) return settle(new Error(`dns provider exec: ${action}: ${stopped}`, stopped === 'aborted' ? { cause: signal.reason } : undefined))
      if (code === 0) return settle(undefined)
      const output = stderr.text() || stdout.text()
      settle(new Error(`dns provider exec: ${action} exited with ${code === null ? `signal ${killedBy}` : `code ${code}`}${output === '' ? '' : `: ${output}`}`))
    })
  })
}

/** The last `limit` bytes of a stream, whatever its length. */
class Tail {
  readonly #limit: number
  #kept = Buffer.alloc(0)

  constructor(limit: number) {
    this.#limit = limit
  }

  add(chunk: Buffer): void {
    const limit = this.#limit
    // Copies, so a large chunk is never held alive by the part of it kept.
    if (chunk.length >= limit) {
      this.#kept = Buffer.from(chunk.subarray(chunk.length - limit))
      return
    }
    const joined = Buffer.concat([this.#kept, chunk])
    this.#kept = joined.length > limit ? joined.subarray(joined.length - limit) : joined
  }

  /** The bytes kept, as text, trimmed. */
  text(): string {
    return this.#kept.toString('utf8').trim()
  }
}
