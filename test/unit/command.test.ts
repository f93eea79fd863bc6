import { describe, expect, it } from 'vitest'
import { mostUsedFlags, parseCommand } from '../../src/command.ts'
import { loadConfiguration } from '../../src/composition.ts'

describe('parseCommand', () => {
  it.each([
    { desc: '--help anywhere', argv: ['--log.level=DEBUG', '--help'], expected: { kind: 'help' } },
    { desc: '-h', argv: ['-h'], expected: { kind: 'help' } },
    { desc: '--help before --version', argv: ['--version', '--help'], expected: { kind: 'help' } },
    { desc: '--version anywhere', argv: ['--entryPoints.web.address=:80', '--version'], expected: { kind: 'version' } },
    { desc: "Traefik's version command", argv: ['version'], expected: { kind: 'version' } },
    { desc: 'flags', argv: ['--entryPoints.web.address=:80'], expected: { kind: 'start', argv: ['--entryPoints.web.address=:80'] } },
    { desc: 'version as a value, not a command', argv: ['--log.filePath', 'version'], expected: { kind: 'start', argv: ['--log.filePath', 'version'] } },
  ])('reads $desc', ({ argv, expected }) => {
    expect(parseCommand(argv)).toEqual(expected)
  })
})

describe('the flags --help lists', () => {
  it.each(mostUsedFlags.filter(({ flag }) => flag !== 'configFile'))('--$flag=$value is a static option Junction accepts', async ({ flag, value }) => {
    const argv = [`--${flag}=${value}`, ...(flag.startsWith('providers.file.') && !flag.endsWith('name') && !flag.endsWith('directory') ? ['--providers.file.directory=dynamic'] : [])]
    const config = await loadConfiguration({ argv, env: {}, cwd: '/srv/junction' })
    expect(config.warnings).toEqual([])
  })
})
