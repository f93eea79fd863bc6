import { describe, expect, it } from 'vitest'
import { nginxArgs } from '../../bench/lib/configs.ts'
import { memoryTargets } from '../../bench/memory.ts'
import { junctionEnv, junctionHostRouters, junctionWithFlags, launchCommand, targets } from '../../bench/lib/targets.ts'

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

describe('junctionWithFlags', () => {
  it.each([
    { desc: 'without flags, the plain Junction row', input: { label: 'Junction', flags: [] }, expected: { name: 'junction', label: 'Junction' } },
    {
      desc: 'with static flags, a name of its own that still reads as a Junction row',
      input: { label: 'Junction, 100 requests per connection', flags: ['--entryPoints.web.transport.keepAliveMaxRequests=100', '--log.level=DEBUG'] },
      expected: { name: 'junction-entryPoints.web.transport.keepAliveMaxRequests=100,log.level=DEBUG', label: 'Junction, 100 requests per connection' },
    },
  ])('names $desc', ({ input, expected }) => {
    const t = junctionWithFlags(input.label, input.flags)
    expect({ name: t.name, label: t.label }).toEqual(expected)
  })
})

describe('memoryTargets', () => {
  it('measures each Junction row, then the node:http proxy', () => {
    expect(memoryTargets().map((t) => [t.name, t.label])).toEqual([
      ['junction', 'Junction'],
      ['node-http', 'node:http proxy'],
    ])
  })
})

describe('nginxArgs', () => {
  it('keeps every nginx file under the prefix', () => {
    expect(nginxArgs('/tmp/b/nginx')).toEqual(['-p', '/tmp/b/nginx', '-c', '/tmp/b/nginx/nginx.conf', '-e', '/tmp/b/nginx/error.log'])
  })
})
