import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { eventually } from './eventually.ts'

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export interface JunctionProcess {
  readonly child: ChildProcess
  /** Every JSON log line so far. */
  readonly logs: Array<Record<string, unknown>>
  readonly stderr: () => string
  /** Everything written to standard output so far, as is. */
  readonly stdout: () => string
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** The port an entry point bound, read from its "listening" log line. */
  port(entryPoint: string): Promise<number>
  kill(): void
}

/** How {@link spawnJunction} starts the command. */
export interface SpawnOptions {
  readonly cwd?: string
  readonly env?: Record<string, string>
  /** The script, absolute or relative to the repository: `src/main.ts` (the default), or `src/bin.js`, the command npm installs. */
  readonly script?: string
  /** Options for the Node.js running it (`--no-experimental-strip-types`). */
  readonly nodeOptions?: readonly string[]
  /** In a process group of its own, which a test may signal as a terminal does (`process.kill(-pid, 'SIGINT')`). */
  readonly detached?: boolean
  /** Give the command a standard input the test writes to (`child.stdin`). */
  readonly stdin?: boolean
}

/**
 * Runs the real `junction` command (src/main.ts on this Node) as a child
 * process. Pass `--log.format=json --log.level=INFO` for `port()` to work.
 */
export function spawnJunction(args: string[], options: SpawnOptions = {}): JunctionProcess {
  // As many workers as the suite's project asks for (1, or 2: see vitest.config.ts), unless the test says.
  const workers = args.some((arg) => arg.startsWith('--workers')) ? [] : [`--workers=${process.env['JUNCTION_TEST_WORKERS'] ?? 1}`]
  const child = spawn(process.execPath, [...(options.nodeOptions ?? []), resolve(repoRoot, options.script ?? 'src/main.ts'), ...args, ...workers], {
    cwd: options.cwd ?? repoRoot,
    env: { PATH: process.env['PATH'] ?? '', ...options.env },
    stdio: [options.stdin === true ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  })
  const logs: Array<Record<string, unknown>> = []
  let stderr = ''
  let stdout = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>)
    } catch {
      logs.push({ msg: line })
    }
  })
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }))
  return {
    child,
    logs,
    stderr: () => stderr,
    stdout: () => stdout,
    exited,
    port: (entryPoint) =>
      eventually(() => {
        const line = logs.find((log) => log['entryPoint'] === entryPoint && typeof log['address'] === 'string')
        if (line === undefined) throw new Error(`entry point ${entryPoint} not listening yet; stderr: ${stderr}`)
        return Number(String(line['address']).split(':').pop())
      }, { timeout: 15_000 }),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
  }
}
