import { describe, expect, it } from 'vitest'
import { checkDockerOptions, dockerProviderEntry, type DockerOptions } from '../../../../providers/docker/index.ts'
import { loadConfiguration } from '../../../../src/composition.ts'
import { StaticConfigError } from '../../../../src/config/load-static.ts'

const defaults: DockerOptions = {
  exposedByDefault: true,
  defaultRule: 'Host(`{{ normalize .Name }}`)',
  httpClientTimeout: 0,
  useBindPortIP: false,
  watch: true,
  allowEmptyServices: false,
  prefix: 'junction',
}

describe('providers.docker: defaults', () => {
  it("takes Traefik's defaults, and junction as the label prefix", async () => {
    const config = await loadConfiguration({ argv: ['--providers.docker=true'], env: {}, cwd: process.cwd() })
    expect(config.providers['docker']).toEqual(defaults)
  })

  it('reads every option from flags, durations in milliseconds', async () => {
    const argv = [
      '--providers.docker.endpoint=tcp://127.0.0.1:2376',
      '--providers.docker.tls.ca=ca.pem',
      '--providers.docker.tls.insecureSkipVerify=true',
      '--providers.docker.httpClientTimeout=30s',
      '--providers.docker.exposedByDefault=false',
      '--providers.docker.defaultRule=Host(`{{ .Name }}.docker.localhost`)',
      '--providers.docker.network=web',
      '--providers.docker.useBindPortIP=true',
      '--providers.docker.constraints=Label(`a`, `b`)',
      '--providers.docker.watch=false',
      '--providers.docker.allowEmptyServices=true',
      '--providers.docker.prefix=traefik',
    ]
    const config = await loadConfiguration({ argv, env: {}, cwd: process.cwd() })
    expect(config.providers['docker']).toEqual({
      endpoint: 'tcp://127.0.0.1:2376',
      tls: { ca: 'ca.pem', insecureSkipVerify: true },
      httpClientTimeout: 30_000,
      exposedByDefault: false,
      defaultRule: 'Host(`{{ .Name }}.docker.localhost`)',
      network: 'web',
      useBindPortIP: true,
      constraints: 'Label(`a`, `b`)',
      watch: false,
      allowEmptyServices: true,
      prefix: 'traefik',
    })
  })

  it("reports its checks through the static loader, with the provider's key", async () => {
    const error = await loadConfiguration({ argv: ['--providers.docker.endpoint=ssh://user@host'], env: {}, cwd: process.cwd() }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(StaticConfigError)
    expect((error as StaticConfigError).problems).toEqual([
      'providers.docker: endpoint "ssh://user@host": Junction does not connect to Docker over SSH; use unix://, tcp://, http:// or https://',
    ])
  })
})

describe('providers.docker: checks a schema cannot express', () => {
  it.each([
    { desc: 'the defaults are fine', options: {}, env: {}, expected: [] },
    { desc: 'a tcp endpoint with tls is fine', options: { endpoint: 'tcp://127.0.0.1:2376', tls: { ca: 'ca.pem', cert: 'c.pem', key: 'k.pem', insecureSkipVerify: false } }, env: {}, expected: [] },
    {
      desc: 'an unsupported scheme',
      options: { endpoint: 'npipe:////./pipe/docker_engine' },
      env: {},
      expected: ['endpoint "npipe:////./pipe/docker_engine": unsupported scheme "npipe"; use unix://, tcp://, http:// or https://'],
    },
    {
      desc: 'a bad DOCKER_HOST, named as such',
      options: {},
      env: { DOCKER_HOST: 'localhost:2375' },
      expected: ['DOCKER_HOST "localhost:2375": expected scheme://address, such as unix:///var/run/docker.sock or tcp://127.0.0.1:2375'],
    },
    {
      desc: 'tls on the default socket',
      options: { tls: { ca: 'ca.pem', insecureSkipVerify: false } },
      env: {},
      expected: ['tls is set, but endpoint "unix:///var/run/docker.sock" is a unix socket; tls applies to tcp://, http:// and https:// endpoints'],
    },
    {
      desc: 'tls on a DOCKER_HOST socket',
      options: { tls: { insecureSkipVerify: true } },
      env: { DOCKER_HOST: 'unix:///run/docker.sock' },
      expected: ['tls is set, but DOCKER_HOST "unix:///run/docker.sock" is a unix socket; tls applies to tcp://, http:// and https:// endpoints'],
    },
    { desc: 'a cert without its key', options: { endpoint: 'tcp://h:2376', tls: { cert: 'c.pem', insecureSkipVerify: false } }, env: {}, expected: ['tls.cert and tls.key go together: set both, or neither'] },
    { desc: 'a key without its cert', options: { endpoint: 'tcp://h:2376', tls: { key: 'k.pem', insecureSkipVerify: false } }, env: {}, expected: ['tls.cert and tls.key go together: set both, or neither'] },
    { desc: 'a username without a password', options: { username: 'u' }, env: {}, expected: ['username and password go together: set both, or neither'] },
    { desc: 'a password without a username', options: { password: 'p' }, env: {}, expected: ['username and password go together: set both, or neither'] },
    { desc: 'an empty prefix', options: { prefix: '' }, env: {}, expected: ['prefix "": expected a label prefix such as junction or traefik'] },
    { desc: 'a prefix ending in a dot', options: { prefix: 'traefik.' }, env: {}, expected: ['prefix "traefik.": expected a label prefix such as junction or traefik'] },
    { desc: 'a dotted prefix is fine', options: { prefix: 'com.example.router' }, env: {}, expected: [] },
  ] satisfies Array<{ desc: string; options: Partial<DockerOptions>; env: Record<string, string>; expected: string[] }>)('$desc', ({ options, env, expected }) => {
    expect(checkDockerOptions({ ...defaults, ...options }, env)).toEqual(expected)
  })

  it.each([
    { desc: 'a constraints expression that does not parse', options: { constraints: 'Label(`a`' }, expected: ['constraints "Label(`a`": missing ")" at column 10: to close "(" at column 6'] },
    { desc: 'a defaultRule with bad syntax', options: { defaultRule: 'Host(`{{ .Name `)' }, expected: ['defaultRule:1:16: unterminated raw quoted string'] },
    { desc: 'a defaultRule naming an unknown function', options: { defaultRule: 'Host(`{{ nope .Name }}`)' }, expected: ['defaultRule:1:10: function "nope" not defined'] },
    { desc: 'a defaultRule with Sprig functions and labels', options: { defaultRule: 'Host(`{{ index .Labels "app" | default .Name | lower }}.example.com`)' }, expected: [] },
  ])('reports $desc', ({ options, expected }) => {
    expect(checkDockerOptions({ ...defaults, ...options }, {})).toEqual(expected)
  })

  it('reports every problem at once', () => {
    expect(checkDockerOptions({ ...defaults, endpoint: 'ssh://h', username: 'u', prefix: '' }, {})).toHaveLength(3)
  })

  it('is what the entry checks with', () => {
    expect(dockerProviderEntry.key).toBe('docker')
    expect(dockerProviderEntry.check?.({ ...defaults, endpoint: 'tcp://127.0.0.1' })).toEqual(['endpoint "tcp://127.0.0.1": no port (tcp://host:2375)'])
  })
})
