import { describe, expect, it } from 'vitest'
import { nginxArgs } from '../../bench/lib/configs.ts'
import { junctionEnv, targets } from '../../bench/lib/targets.ts'

describe('junctionEnv', () => {
  it.each([
    {
      desc: 'sets the forwarder under the name the static loader reads',
      input: { env: { PATH: '/bin' }, forwarder: 'undici' },
      expected: { PATH: '/bin', JUNCTION_EXPERIMENTAL_FORWARDER: 'undici' },
    },
    {
      desc: 'drops the caller’s JUNCTION_* variables, which would change what is measured',
      input: { env: { PATH: '/bin', JUNCTION_LOG_LEVEL: 'DEBUG', JUNCTION_FORWARDER: 'undici' }, forwarder: 'http-proxy' },
      expected: { PATH: '/bin', JUNCTION_EXPERIMENTAL_FORWARDER: 'http-proxy' },
    },
  ])('$desc', ({ input, expected }) => {
    expect(junctionEnv(input.env, input.forwarder)).toEqual(expected)
  })
})

describe('targets', () => {
  it('lists every peer of the brief once, baseline first', () => {
    expect(targets.map((t) => t.name)).toEqual([
      'direct',
      'junction-undici',
      'junction-http-proxy',
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
