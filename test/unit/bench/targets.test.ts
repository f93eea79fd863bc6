import { describe, expect, it } from 'vitest'
import { nginxArgs } from '../../bench/lib/configs.ts'
import { junctionEnv, targets } from '../../bench/lib/targets.ts'

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

describe('nginxArgs', () => {
  it('keeps every nginx file under the prefix', () => {
    expect(nginxArgs('/tmp/b/nginx')).toEqual(['-p', '/tmp/b/nginx', '-c', '/tmp/b/nginx/nginx.conf', '-e', '/tmp/b/nginx/error.log'])
  })
})
