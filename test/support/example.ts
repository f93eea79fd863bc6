import { spawn, type ChildProcess } from 'node:child_process'
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { eventually } from './eventually.ts'
import { repoRoot } from './process.ts'

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

export interface RunningExample {
  readonly child: ChildProcess
  /** The entry point's port, read from the "entry point web listening" log line. */
  readonly port: number
  get(path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }>
  stop(): Promise<void>
}

/**
 * Boots an example as a user would (`node examples/<name>/start.ts`), except
 * for ports: the entry point gets a free one, and each port of `ports` (by
 * the environment variable through which the example takes it, ports the
 * example's dynamic files name) moves to a free one, in a copy of its
 * `dynamic/` folder and in that variable (comma-separated).
 */
export async function bootExample(name: string, ports: Readonly<Record<string, readonly number[]>>): Promise<RunningExample> {
  const example = join(repoRoot, 'examples', name)
  const dir = await mkdtemp(join(tmpdir(), `junction-${name}-`))
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '' }
  const moves: Array<[number, number]> = []
  for (const [variable, defaults] of Object.entries(ports)) {
    const free = await Promise.all(defaults.map(() => freePort()))
    defaults.forEach((port, i) => moves.push([port, free[i] as number]))
    env[variable] = free.join(',')
  }
  await cp(join(example, 'dynamic'), dir, { recursive: true })
  for (const file of await readdir(dir)) {
    let text = await readFile(join(dir, file), 'utf8')
    for (const [from, to] of moves) text = text.replaceAll(`127.0.0.1:${from}`, `127.0.0.1:${to}`)
    await writeFile(join(dir, file), text)
  }
  const child = spawn(process.execPath, [join(example, 'start.ts'), '--entryPoints.web.address=127.0.0.1:0', `--providers.file.directory=${dir}`], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.setEncoding('utf8').on('data', (data: string) => (output += data))
  child.stderr?.setEncoding('utf8').on('data', (data: string) => (output += data))
  const port = await eventually(
    () => {
      const match = /entry point web listening.*address="[^"]*:(\d+)"/.exec(output)
      if (!match) throw new Error(`not listening yet: ${output}`)
      return Number(match[1])
    },
    { timeout: 15_000 },
  )
  const get = (path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> =>
    new Promise((resolve, reject) => {
      request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (data: string) => (body += data))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      })
        .on('error', reject)
        .end()
    })
  await eventually(async () => expect((await get('/')).status).toBe(200))
  return {
    child,
    port,
    get,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGKILL')
      await rm(dir, { recursive: true, force: true })
    },
  }
}
