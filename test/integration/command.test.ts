import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { mostUsedFlags } from '../../src/command.ts'
import { eventually } from '../support/eventually.ts'
import { repoRoot, spawnJunction, type JunctionProcess } from '../support/process.ts'

let junction: JunctionProcess | undefined

afterEach(() => {
  junction?.kill()
  junction = undefined
})

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version

/** Runs `junction ...args` to its end: exit code, and both outputs once closed. */
async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  junction = spawnJunction(args)
  const { code } = await junction.exited
  const process = junction
  // Output may still be in the pipes when the process exits.
  await eventually(() => expect(process.child.stdout?.readableEnded).toBe(true))
  return { code, stdout: process.stdout(), stderr: process.stderr() }
}

describe('the junction command', () => {
  it.each([{ args: ['--help'] }, { args: ['-h'] }, { args: ['--configFile=missing.yml', '--help'] }])(
    'TestPrintHelp: junction $args prints the usage and exits 0, reading no configuration',
    async ({ args }) => {
      const { code, stdout, stderr } = await run(args)
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
      const lines = stdout.split('\n')
      expect(lines[0]).toBe(`Junction ${version}: a dynamic edge router configured in Traefik v3's language.`)
      expect(lines).toContain('Usage:')
      expect(lines).toContain('  Flags override environment variables, which override the file, option by')
      for (const { flag, value, doc } of mostUsedFlags) {
        expect(lines.filter((line) => line.startsWith(`  --${flag}=${value} `) && line.endsWith(` ${doc}`))).toHaveLength(1)
      }
      expect(lines.at(-2)).toBe(`Every option, the dynamic configuration and examples: ${join(repoRoot, 'README.md')}`)
      expect(stdout).not.toContain('panic:')
    },
  )

  it.each([{ args: ['--version'] }, { args: ['version'] }, { args: ['--log.level=LOUD', '--version'] }])(
    'junction $args prints the version from package.json and the Node.js running it, and exits 0',
    async ({ args }) => {
      expect(await run(args)).toEqual({ code: 0, stdout: `junction ${version} on Node.js ${process.version}\n`, stderr: '' })
    },
  )
})

describe('stopping', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s: every log line reaches the output, in order, before Junction exits 0', async (signal) => {
    junction = spawnJunction(['--entryPoints.web.address=127.0.0.1:0', '--log.level=INFO', '--log.format=json'])
    await junction.port('web')
    junction.child.kill(signal)
    expect(await junction.exited).toEqual({ code: 0, signal: null })
    await eventually(() => expect(junction!.logs.map((line) => line['msg'])).toEqual(['entry point web listening', 'draining', 'stopped']))
  })
})
