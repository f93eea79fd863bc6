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
  /**
   * A static configuration file (`name` ends in `.toml` or `.yml`), passed as
   * `--configFile`. `{{ .DynamicConfPath }}` in it (as in Traefik's fixtures)
   * becomes the dynamic file's path; without it, the path is given by flag.
   */
  readonly static?: { readonly name: string; readonly text: string }
  /** Static flags, after the file (so they override it). */
  readonly flags?: readonly string[]
  /** The dynamic configuration file, read through `--providers.file.filename`. */
  readonly dynamic: { readonly name: string; readonly text: string }
}

/**
 * Runs the real `junction` command on a static configuration (a file,
 * flags, or both) and one dynamic file, in a fresh temporary folder, and
 * resolves once the first generation built from the dynamic file is live.
 * Logs are JSON, so entry point ports and generations can be read from them.
 *
 * Entry point addresses belong on 127.0.0.1 with port 0 (`127.0.0.1:0`).
 */
export async function startJunctionCommand(options: CommandOptions): Promise<CommandJunction> {
  const dir = await mkdtemp(join(tmpdir(), 'junction-command-'))
  const dynamicPath = join(dir, options.dynamic.name)
  await writeFile(dynamicPath, options.dynamic.text)
  const args: string[] = []
  const placeholder = '{{ .DynamicConfPath }}'
  const staticText = options.static?.text ?? ''
  if (options.static !== undefined) {
    const staticPath = join(dir, options.static.name)
    await writeFile(staticPath, staticText.replaceAll(placeholder, dynamicPath))
    args.push(`--configFile=${staticPath}`)
  }
  args.push(...(options.flags ?? []))
  if (!staticText.includes(placeholder)) args.push(`--providers.file.filename=${dynamicPath}`)
  args.push('--log.format=json')
  // The ports and generations are read from INFO lines; a fixture's own DEBUG level shows them too.
  if (!args.some((arg) => arg.startsWith('--log.level=')) && !/\blevel\s*[=:]\s*"?(DEBUG|INFO|TRACE)/i.test(staticText)) args.push('--log.level=INFO')
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
