import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eventually } from './eventually.ts'
import { spawnJunction, type JunctionProcess } from './process.ts'

export interface CommandJunction {
  readonly process: JunctionProcess
  /** The folder holding the configuration files written for this run. */
  readonly dir: string
  /** The port an entry point bound. */
  port(entryPoint: string): Promise<number>
  stop(): Promise<void>
}

export interface CommandOptions {
  /** Static configuration flags (`--entryPoints.web.address=127.0.0.1:0`). */
  readonly flags?: readonly string[]
  /** The dynamic configuration file, read through `--providers.file.filename`. */
  readonly dynamic: { readonly name: string; readonly text: string }
}

/**
 * Runs the real `junction` command on a static configuration given as
 * flags and one dynamic file, in a fresh temporary folder, and
 * resolves once the first generation built from the dynamic file is live.
 * Logs are JSON, so entry point ports and generations can be read from them.
 *
 * Entry point addresses belong on 127.0.0.1 with port 0 (`127.0.0.1:0`).
 */
export async function startJunctionCommand(options: CommandOptions): Promise<CommandJunction> {
  const dir = await mkdtemp(join(tmpdir(), 'junction-command-'))
  const dynamicPath = join(dir, options.dynamic.name)
  await writeFile(dynamicPath, options.dynamic.text)
  const args = [...(options.flags ?? []), `--providers.file.filename=${dynamicPath}`, '--log.format=json']
  // The ports and generations are read from INFO lines.
  if (!args.some((arg) => arg.startsWith('--log.level='))) args.push('--log.level=INFO')
  const process = spawnJunction(args, { cwd: dir })
  try {
    await eventually(
      () => {
        if (!process.logs.some((line) => typeof line['generation'] === 'number' && line['generation'] >= 1)) {
          throw new Error(`no generation live yet; stderr: ${process.stderr()}`)
        }
      },
      { timeout: 15_000 },
    )
  } catch (error) {
    process.kill()
    await process.exited
    await rm(dir, { recursive: true, force: true })
    throw error
  }
  return {
    process,
    dir,
    port: (entryPoint) => process.port(entryPoint),
    stop: async () => {
      process.kill()
      await process.exited
      await rm(dir, { recursive: true, force: true })
    },
  }
}
