import { describe, expect, it } from 'vitest'
import { nginxArgs } from '../../bench/lib/configs.ts'
import { memorySubjects } from '../../bench/memory.ts'
import { declaresWorkersOption, junctionEnv, junctionHostRouters, junctionVariant, launchCommand, targets, workersFlags } from '../../bench/lib/targets.ts'

describe('junctionEnv', () => {
  it.each([
    { desc: 'passes the rest of the environment as it is', input: { PATH: '/bin', HOME: '/root' }, expected: { PATH: '/bin', HOME: '/root' } },
    {
      desc: 'drops the caller’s JUNCTION_* variables, which would change what is measured',
      input: { PATH: '/bin', JUNCTION_LOG_LEVEL: 'DEBUG', JUNCTION_EXPERIMENTAL_FORWARDER: 'http-proxy' },
      expected: { PATH: '/bin' },
    },
  ])('$desc', ({ input, expected }) => {
    expect(junctionEnv(input)).toEqual(expected)
  })
})

describe('targets', () => {
  it('lists every peer of the brief once, baseline first', () => {
    expect(targets.map((t) => t.name)).toEqual([
      'direct',
      'junction',
      'junction-2-workers',
      'junction-regexp',
      'haproxy',
      'nginx',
      'node-http',
      'http-proxy',
      'http-proxy-3',
      'fastify-http-proxy',
    ])
  })
})

describe('launchCommand', () => {
  const launch = { prefix: ['valgrind', '--tool=callgrind'] as [string, ...string[]], readyTimeoutMs: 1000 }

  it.each([
    { desc: 'without a tool, the command as it is', input: undefined, expected: { command: '/usr/bin/node', args: ['main.ts', '--port=1'] } },
    {
      desc: 'under a tool, the tool first and the command as its arguments',
      input: launch,
      expected: { command: 'valgrind', args: ['--tool=callgrind', '/usr/bin/node', 'main.ts', '--port=1'] },
    },
  ])('$desc', ({ input, expected }) => {
    expect(launchCommand(input, '/usr/bin/node', ['main.ts', '--port=1'])).toEqual(expected)
  })
})

describe('junctionHostRouters', () => {
  it('is loaded with the Host header of its last router', () => {
    const t = junctionHostRouters(10_000)
    expect({ name: t.name, label: t.label, host: t.host }).toEqual({
      name: 'junction-host-routers',
      label: 'Junction (10,000 host routers)',
      host: 'h9999.test',
    })
  })
})

describe('junctionVariant', () => {
  it.each([
    { desc: 'without flags, the plain Junction row', input: { label: 'Junction', run: {} }, expected: { name: 'junction', label: 'Junction' } },
    { desc: 'with one worker said explicitly, still the plain row', input: { label: 'Junction, 1 worker', run: { workers: 1 } }, expected: { name: 'junction', label: 'Junction, 1 worker' } },
    { desc: 'with 2 workers, a name of its own', input: { label: 'Junction, 2 workers', run: { workers: 2 } }, expected: { name: 'junction-2-workers', label: 'Junction, 2 workers' } },
    {
      desc: 'with static flags, a name of its own that still reads as a Junction row',
      input: { label: 'Junction, 100 requests per connection', run: { flags: ['--entryPoints.web.transport.keepAliveMaxRequests=100', '--log.level=DEBUG'] } },
      expected: { name: 'junction-entryPoints.web.transport.keepAliveMaxRequests=100,log.level=DEBUG', label: 'Junction, 100 requests per connection' },
    },
    {
      desc: 'with workers and flags, the workers first',
      input: { label: 'Junction, 4 workers, debug', run: { workers: 4, flags: ['--log.level=DEBUG'] } },
      expected: { name: 'junction-4-workers,log.level=DEBUG', label: 'Junction, 4 workers, debug' },
    },
  ])('names $desc', ({ input, expected }) => {
    const t = junctionVariant(input.label, input.run)
    expect({ name: t.name, label: t.label }).toEqual(expected)
  })
})

describe('workersFlags', () => {
  it.each([
    { desc: 'one worker, said explicitly where the option exists', input: { workers: 1, supported: true }, expected: ['--workers=1'] },
    { desc: 'two workers where the option exists', input: { workers: 2, supported: true }, expected: ['--workers=2'] },
    { desc: 'no flag for a checkout from before the option, which runs as one process', input: { workers: 1, supported: false }, expected: [] },
  ])('$desc', ({ input, expected }) => {
    expect(workersFlags(input.workers, input.supported)).toEqual(expected)
  })

  it('refuses more than one worker where the option does not exist', () => {
    expect(() => workersFlags(2, false)).toThrow('running 2 workers: this checkout has no workers option')
  })
})

describe('declaresWorkersOption', () => {
  it.each([
    { desc: 'the option in the static schema', input: "  log: obj({}),\n  workers: str({ default: 'auto' }),\n", expected: true },
    { desc: 'a schema without it', input: "  log: obj({}),\n  api: obj({}),\n", expected: false },
    { desc: 'the word in a comment or another key only', input: "  // one process, no workers yet\n  maxWorkers: num(),\n", expected: false },
  ])('$desc', ({ input, expected }) => {
    expect(declaresWorkersOption(input)).toBe(expected)
  })
})

describe('memorySubjects', () => {
  it('measures Junction with 1 and 2 workers through the installed command, each warmed first, then the node:http proxy', () => {
    expect(memorySubjects().map((m) => [m.target.name, m.target.label, m.workers, m.warmFirst])).toEqual([
      ['junction', 'Junction, 1 worker', 1, true],
      ['junction-2-workers', 'Junction, 2 workers', 2, true],
      ['node-http', 'node:http proxy', undefined, false],
    ])
  })
})

describe('nginxArgs', () => {
  it('keeps every nginx file under the prefix', () => {
    expect(nginxArgs('/tmp/b/nginx')).toEqual(['-p', '/tmp/b/nginx', '-c', '/tmp/b/nginx/nginx.conf', '-e', '/tmp/b/nginx/error.log'])
  })
})
