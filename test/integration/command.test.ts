import { readFileSync } from 'node:fs'
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
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

  it('SIGTERM while the workers start: Junction drains once they have, and exits 0', async () => {
    // The warning for log.maxSize is the start's first line, written before any worker is asked for.
    junction = spawnJunction(['--entryPoints.web.address=127.0.0.1:0', '--log.level=INFO', '--log.format=json', '--log.maxSize=10', '--workers=2'])
    await eventually(() => expect(junction!.logs.map((line) => line['msg'])).toContain('log.maxSize: not honoured yet, ignored: log rotation is not supported yet'))
    junction.child.kill('SIGTERM')
    expect(await junction.exited).toEqual({ code: 0, signal: null })
    const messages = junction.logs.map((line) => line['msg'])
    // Whether the entry point was listening when the signal came depends on the race; the drain and the clean exit do not.
    expect(messages.filter((msg) => msg !== 'entry point web listening')).toEqual([
      'log.maxSize: not honoured yet, ignored: log rotation is not supported yet',
      'draining',
      'stopped',
    ])
  })
})

describe('the command npm installs (src/bin.js)', () => {
  // Node 24 refusing TypeScript stands for an older system Node.js: the launcher must hand over to the Node.js Junction brings.
  const noTypeScript = { script: 'src/bin.js', nodeOptions: ['--no-experimental-strip-types'] }
  const bundled = (JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'node', 'package.json'), 'utf8')) as { version: string }).version

  it.each([
    { desc: 'a Node.js that strips types runs it in its own process', options: { script: 'src/bin.js' }, expected: process.version },
    { desc: 'a Node.js that cannot run TypeScript hands it to the bundled Node.js', options: noTypeScript, expected: `v${bundled}` },
  ])('$desc', async ({ options, expected }) => {
    junction = spawnJunction(['--version'], options)
    const { code } = await junction.exited
    const running = junction
    await eventually(() => expect(running.child.stdout?.readableEnded).toBe(true))
    expect({ code, stdout: running.stdout(), stderr: running.stderr() }).toEqual({ code: 0, stdout: `junction ${version} on Node.js ${expected}\n`, stderr: '' })
  })

  it.each([
    { desc: 'on a Node.js that strips types', nodeOptions: [] },
    { desc: 'relaunched on the bundled Node.js', nodeOptions: ['--no-experimental-strip-types'] },
  ])('runs as an installed package, under node_modules where Node will not strip types, $desc', async ({ nodeOptions }) => {
    const installed = join(await mkdtemp(join(tmpdir(), 'junction-installed-')), 'node_modules', 'junction')
    try {
      for (const part of ['package.json', 'src', 'providers', 'middlewares']) await cp(join(repoRoot, part), join(installed, part), { recursive: true })
      await symlink(join(repoRoot, 'node_modules'), join(installed, 'node_modules'))
      junction = spawnJunction(['--version'], { script: join(installed, 'src', 'bin.js'), nodeOptions })
      const { code } = await junction.exited
      const running = junction
      await eventually(() => expect(running.child.stdout?.readableEnded).toBe(true))
      // Every module is loaded by then: main.ts imports the whole catalogue. No experimental warning either.
      expect({ code, stdout: running.stdout(), stderr: running.stderr() }).toEqual({ code: 0, stdout: `junction ${version} on Node.js v${bundled}\n`, stderr: '' })
    } finally {
      await rm(join(installed, '..', '..'), { recursive: true, force: true })
    }
  })

  it('passes the exit code on: a bad static configuration exits 1 with its problems', async () => {
    junction = spawnJunction(['--log.level=LOUD'], noTypeScript)
    expect(await junction.exited).toEqual({ code: 1, signal: null })
    await eventually(() => expect(junction!.stderr()).toBe('invalid static configuration:\n  --log.level: expected one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL, PANIC, got "LOUD"\n'))
  })

  it.each(['SIGTERM', 'SIGINT'] as const)('forwards %s: Junction drains and both exit 0', async (signal) => {
    junction = spawnJunction(['--entryPoints.web.address=127.0.0.1:0', '--log.level=INFO', '--log.format=json'], noTypeScript)
    await junction.port('web')
    junction.child.kill(signal)
    expect(await junction.exited).toEqual({ code: 0, signal: null })
    await eventually(() => expect(junction!.logs.map((line) => line['msg'])).toEqual(['entry point web listening', 'draining', 'stopped']))
  })

  it('drains once when a terminal\'s Ctrl-C reaches the launcher\'s process group, and both exit 0', async () => {
    junction = spawnJunction(['--entryPoints.web.address=127.0.0.1:0', '--log.level=INFO', '--log.format=json'], { ...noTypeScript, detached: true })
    await junction.port('web')
    // The whole process group, as a terminal signals its foreground job. Junction runs in a group of its own and gets
    // SIGINT once, from the launcher: a second one would mean "exit now, drain or not".
    process.kill(-junction.child.pid!, 'SIGINT')
    expect(await junction.exited).toEqual({ code: 0, signal: null })
    await eventually(() => expect(junction!.logs.map((line) => line['msg'])).toEqual(['entry point web listening', 'draining', 'stopped']))
  })
})
