import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import pino from 'pino'
import { createFileProvider, type FileProviderOptions } from '../../../../providers/file/index.ts'
import type { Snapshot } from '../../../../src/provider-plugin.ts'

/** One running file provider: what it emitted and logged so far. */
export interface Run {
  readonly snapshots: Snapshot[]
  readonly logs: Array<{ level: number; msg: string; file?: string; changed?: string[] }>
  /** Settles when the provider's iterator has returned (or thrown). */
  readonly done: Promise<void>
  readonly controller: AbortController
}

const runs: Run[] = []
const directories: string[] = []

/** A fresh directory under the OS temp directory, removed by {@link cleanUp}. */
export async function tempDir(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'junction-file-'))
  directories.push(directory)
  return directory
}

/** Writes `files` (path relative to `root` → content), creating directories as needed. */
export async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true })
    await writeFile(join(root, path), content)
  }
}

/** Starts the provider and collects its snapshots and debug logs in the background. */
export function start(options: FileProviderOptions): Run {
  const controller = new AbortController()
  const snapshots: Snapshot[] = []
  const logs: Run['logs'] = []
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as Run['logs'][number]) })
  const done = (async () => {
    for await (const snapshot of createFileProvider(options).watch(controller.signal, { logger })) snapshots.push(snapshot)
  })()
  const run = { snapshots, logs, done, controller }
  runs.push(run)
  return run
}

/** Stops every provider started by the test and removes its directories. */
export async function cleanUp(): Promise<void> {
  for (const run of runs.splice(0)) {
    run.controller.abort()
    await run.done
  }
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true })
}

/** A file declaring one HTTP router per name, each routing `Host(\`<name>.example\`)` to `app`. */
export function routersYaml(...names: string[]): string {
  return `http:\n  routers:\n${names.map((name) => `    ${name}:\n      rule: Host(\`${name}.example\`)\n      service: app\n`).join('')}`
}

/** The configuration {@link routersYaml} declares, merged over all `names`. */
export function routersConfig(...names: string[]): Record<string, unknown> {
  if (names.length === 0) return {}
  return { http: { routers: Object.fromEntries(names.map((name) => [name, { rule: `Host(\`${name}.example\`)`, service: 'app' }])) } }
}

/** A snapshot without problems. */
export function clean(config: Record<string, unknown>): Snapshot {
  return { config, problems: [] }
}

/** How many log lines carry `msg`. */
export function logged(run: Run, msg: string): number {
  return run.logs.filter((line) => line.msg.endsWith(msg)).length
}

/** How many `fs.watch` handles the process holds open. */
export function openWatchHandles(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'FSEventWrap').length
}

/** How many timers the process has pending. */
export function pendingTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length
}

/** Every value of a finite async iterable (Array.fromAsync is past the project's ES2024 lib). */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = []
  for await (const value of iterable) values.push(value)
  return values
}
