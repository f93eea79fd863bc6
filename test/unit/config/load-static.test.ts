import { mkdtempSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { fileProviderEntry } from '../../../providers/file/index.ts'
import { loadStaticConfig, StaticConfigError, type StaticSources } from '../../../src/config/load-static.ts'
import type { StaticConfig } from '../../../src/config/static.ts'
import { providerOptions } from '../../../src/config/static-providers.ts'
import { redirectionPriority } from '../../../src/config/static-schema.ts'
import { JunctionError } from '../../../src/errors.ts'

/** Loads with the file provider, as `loadConfiguration` does with every provider Junction ships. */
const load = (sources: StaticSources): Promise<StaticConfig> => loadStaticConfig(sources, { providers: [fileProviderEntry] })
const fileOptions = (config: StaticConfig) => providerOptions(config.providers, 'file')

// Created at load time: the tables below name paths inside it.
const root = mkdtempSync(join(tmpdir(), 'junction-static-'))

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

let fileCount = 0
/** Writes a configuration file in its own folder and returns its path. */
async function configFile(name: string, text: string): Promise<string> {
  const dir = join(root, `case-${++fileCount}`)
  await mkdir(dir)
  const path = join(dir, name)
  await writeFile(path, text)
  return path
}

async function problemsOf(promise: Promise<unknown>): Promise<readonly string[]> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(StaticConfigError)
  return (error as StaticConfigError).problems
}

const baseYaml = `
entryPoints:
  web:
    address: ":8000"
    forwardedHeaders:
      trustedIPs: ["10.0.0.0/8"]
  websecure:
    address: ":8443"
providers:
  providersThrottleDuration: 5s
log:
  level: INFO
  format: json
`

describe('loadStaticConfig precedence', () => {
  it.each([
    {
      desc: 'the file alone',
      env: {},
      flags: [],
      expected: { web: ':8000', level: 'INFO', throttle: 5000, trusted: ['10.0.0.0/8'] },
    },
    {
      desc: 'env over the file',
      env: { JUNCTION_ENTRYPOINTS_WEB_ADDRESS: ':8001', JUNCTION_LOG_LEVEL: 'debug' },
      flags: [],
      expected: { web: ':8001', level: 'DEBUG', throttle: 5000, trusted: ['10.0.0.0/8'] },
    },
    {
      desc: 'flags over env over the file',
      env: { JUNCTION_ENTRYPOINTS_WEB_ADDRESS: ':8001', JUNCTION_LOG_LEVEL: 'debug' },
      flags: ['--entryPoints.web.address=:8002', '--providers.providersThrottleDuration', '250ms'],
      expected: { web: ':8002', level: 'DEBUG', throttle: 250, trusted: ['10.0.0.0/8'] },
    },
    {
      desc: 'a list from env replacing the file list',
      env: { JUNCTION_ENTRYPOINTS_WEB_FORWARDEDHEADERS_TRUSTEDIPS: '127.0.0.1,::1' },
      flags: [],
      expected: { web: ':8000', level: 'INFO', throttle: 5000, trusted: ['127.0.0.1', '::1'] },
    },
  ])('takes $desc, merging deeply', async ({ env, flags, expected }) => {
    const path = await configFile('junction.yml', baseYaml)
    const config = await load({ argv: [`--configFile=${path}`, ...flags], env, cwd: root })
    expect({
      web: config.entryPoints['web']?.address,
      level: config.log.level,
      throttle: config.providers.providersThrottleDuration,
      trusted: config.entryPoints['web']?.forwardedHeaders.trustedIPs,
    }).toEqual(expected)
    // What no layer above the file touched survives the merge.
    expect(config.entryPoints['websecure']?.port).toBe(8443)
    expect(config.log.format).toBe('json')
  })

  it('reads the same configuration from TOML', async () => {
    const path = await configFile(
      'junction.toml',
      `[entryPoints.web]
address = ":8000"
[entryPoints.web.transport.respondingTimeouts]
readTimeout = "90s"
idleTimeout = 30
[providers]
providersThrottleDuration = "1s"
[providers.file]
filename = "dynamic.toml"
watch = false
`,
    )
    const config = await load({ argv: ['--configFile', path], env: {}, cwd: root })
    expect(config.entryPoints['web']?.transport.respondingTimeouts).toEqual({ readTimeout: 90_000, writeTimeout: 0, idleTimeout: 30_000 })
    expect(config.providers).toEqual({ providersThrottleDuration: 1000, file: { filename: join(path, '..', 'dynamic.toml'), watch: false } })
  })
})

describe('loadStaticConfig defaults', () => {
  it('fills in Traefik defaults, durations in milliseconds, and freezes the result', async () => {
    const config = await load({ argv: ['--entryPoints.web.address=127.0.0.1:0'], env: {}, cwd: root })
    const expected: StaticConfig = {
      entryPoints: {
        web: {
          address: '127.0.0.1:0',
          host: '127.0.0.1',
          port: 0,
          protocol: 'tcp',
          asDefault: false,
          allowACMEByPass: false,
          reusePort: false,
          transport: {
            respondingTimeouts: { readTimeout: 60_000, writeTimeout: 0, idleTimeout: 180_000 },
            lifeCycle: { requestAcceptGraceTimeout: 0, graceTimeOut: 10_000 },
            keepAliveMaxTime: 0,
            keepAliveMaxRequests: 0,
          },
          forwardedHeaders: { insecure: false, trustedIPs: [], connection: [], notAppendXForwardedFor: false },
          http: { middlewares: [], encodeQuerySemicolons: false, sanitizePath: true, maxHeaderBytes: 1_048_576 },
          http2: { maxConcurrentStreams: 250, maxDecoderHeaderTableSize: 4096, maxEncoderHeaderTableSize: 4096 },
          udp: { timeout: 3000 },
        },
      },
      providers: { providersThrottleDuration: 2000 },
      log: { level: 'ERROR', format: 'common' },
      workers: 'auto',
      core: { defaultRuleSyntax: 'v3' },
      configDir: root,
      warnings: [],
    }
    expect(config).toEqual(expected)
    expect(Object.isFrozen(config)).toBe(true)
    expect(Object.isFrozen(config.entryPoints['web']?.transport.respondingTimeouts)).toBe(true)
    expect(() => {
      ;(config.log as { level: string }).level = 'DEBUG'
    }).toThrow(TypeError)
  })

  it.each([
    {
      desc: 'an entry point redirection',
      flags: ['--entryPoints.web.address=:80', '--entryPoints.web.http.redirections.entryPoint.to=websecure', '--entryPoints.websecure.address=:443'],
      pick: (c: StaticConfig) => c.entryPoints['web']?.http.redirections,
      expected: { entryPoint: { to: 'websecure', scheme: 'https', permanent: true, priority: redirectionPriority } },
    },
    {
      desc: 'the file provider',
      flags: ['--entryPoints.web.address=:80', '--providers.file.directory=/etc/junction'],
      pick: (c: StaticConfig) => fileOptions(c),
      expected: { directory: '/etc/junction', watch: true },
    },
    {
      desc: 'the API, declared by a bare flag',
      flags: ['--entryPoints.web.address=:80', '--api'],
      pick: (c: StaticConfig) => c.api,
      expected: { dashboard: true, insecure: false, debug: false, basePath: '/' },
    },
    {
      desc: 'a certificate resolver, its storage next to the configuration',
      flags: ['--entryPoints.web.address=:80', '--certificatesResolvers.le.acme.email=ops@example.test', '--certificatesResolvers.le.acme.httpChallenge.entryPoint=web'],
      pick: (c: StaticConfig) => c.certificatesResolvers,
      expected: {
        le: {
          acme: {
            email: 'ops@example.test',
            caServer: 'https://acme-v02.api.letsencrypt.org/directory',
            storage: join(root, 'acme.json'),
            keyType: 'RSA4096',
            certificatesDuration: 2160,
            httpChallenge: { entryPoint: 'web' },
          },
        },
      },
    },
    {
      desc: 'a global serversTransport, durations as written for the services code',
      flags: ['--entryPoints.web.address=:80', '--serversTransport.forwardingTimeouts.dialTimeout=5s', '--serversTransport.maxIdleConnsPerHost=7'],
      pick: (c: StaticConfig) => c.serversTransport,
      expected: { forwardingTimeouts: { dialTimeout: '5s' }, maxIdleConnsPerHost: 7 },
    },
  ])('defaults $desc', async ({ flags, pick, expected }) => {
    const config = await load({ argv: flags, env: {}, cwd: root })
    expect(pick(config)).toEqual(expected)
  })

  it.each([
    { desc: 'http on :80 when no entry point is defined', flags: [], expected: { http: ':80' } },
    { desc: 'traefik on :8080 for the insecure API', flags: ['--entryPoints.web.address=:81', '--api.insecure'], expected: { web: ':81', traefik: ':8080' } },
    { desc: 'traefik on :8080 for ping', flags: ['--entryPoints.web.address=:81', '--ping'], expected: { web: ':81', traefik: ':8080' } },
    { desc: 'no traefik entry point for ping elsewhere', flags: ['--entryPoints.web.address=:81', '--ping.entryPoint=web'], expected: { web: ':81' } },
  ])('adds $desc, as Traefik does', async ({ flags, expected }) => {
    const config = await load({ argv: flags, env: {}, cwd: root })
    expect(Object.fromEntries(Object.entries(config.entryPoints).map(([name, ep]) => [name, ep.address]))).toEqual(expected)
  })
})

describe('loadStaticConfig sources', () => {
  it.each([
    { desc: 'a value after a space', argv: ['--entrypoints.web.address', ':9000'], expected: { address: ':9000', watch: undefined } },
    {
      desc: 'a bare boolean before another flag',
      argv: ['--providers.file.watch', '--providers.file.directory=/d', '--entryPoints.web.address=:1'],
      expected: { address: ':1', watch: true },
    },
    {
      desc: 'a boolean after a space',
      argv: ['--providers.file.watch', 'false', '--providers.file.directory=/d', '--entryPoints.web.address=:1'],
      expected: { address: ':1', watch: false },
    },
    { desc: 'a declared entry point then its address', argv: ['--entryPoints.web', '--entryPoints.web.address=:2'], expected: { address: ':2', watch: undefined } },
  ])('reads flags: $desc', async ({ argv, expected }) => {
    const config = await load({ argv, env: {}, cwd: root })
    expect({ address: config.entryPoints['web']?.address, watch: fileOptions(config)?.['watch'] }).toEqual(expected)
  })

  it('reads env names case-insensitively, entry point names lowercased, and JUNCTION_CONFIGFILE', async () => {
    const path = await configFile('junction.yaml', 'log:\n  level: warn\n')
    const config = await load({
      argv: [],
      env: {
        JUNCTION_ENTRYPOINTS_PUBLIC_ADDRESS: ':7000',
        junction_entrypoints_public_asdefault: 'true',
        JUNCTION_CONFIGFILE: path,
        HOME: '/root',
        JUNCTION_UNSET: undefined,
      },
      cwd: root,
    })
    expect(Object.keys(config.entryPoints)).toEqual(['public'])
    expect(config.entryPoints['public']?.asDefault).toBe(true)
    expect(config.log.level).toBe('WARN')
  })

  it('resolves relative paths against the file for the file, and the working directory for flags and env', async () => {
    const path = await configFile(
      'junction.yml',
      'entryPoints:\n  web:\n    address: ":80"\nproviders:\n  file:\n    directory: ./dynamic\nlog:\n  filePath: logs/junction.log\n',
    )
    const fromFile = await load({ argv: [`--configFile=${path}`], env: {}, cwd: root })
    expect(fileOptions(fromFile)?.['directory']).toBe(join(path, '..', 'dynamic'))
    expect(fromFile.log.filePath).toBe(join(path, '..', 'logs', 'junction.log'))
    expect(fromFile.configDir).toBe(join(path, '..'))
    const fromFlags = await load({
      argv: [`--configFile=${path}`, '--providers.file.directory=routes'],
      env: { JUNCTION_LOG_FILEPATH: 'out.log' },
      cwd: '/srv',
    })
    expect(fileOptions(fromFlags)?.['directory']).toBe('/srv/routes')
    expect(fromFlags.log.filePath).toBe('/srv/out.log')
  })
})

describe('loadStaticConfig problems', () => {
  it('lists every problem, path first, in one coded error', async () => {
    const path = await configFile(
      'junction.yml',
      `
entryPoints:
  web:
    address: ":80a"
    forwardedHeaders:
      trustedIPs: ["10.0.0.0/8", "10.0.0.0/33", "nope"]
  websecure:
    adress: ":443"
  other:
    address: "0.0.0.0:8080"
    http:
      redirections:
        entryPoint:
          to: websecur
  again:
    address: ":8080"
    transport:
      respondingTimeouts:
        readTimeout: 10 minutes
providers:
  file:
    watch: maybe
log:
  level: LOUD
`,
    )
    const promise = load({
      argv: [`--configFile=${path}`, '--entryPoints.web.asDefault=sometimes', '--metrics.prometheus.entryPoint=metrics', 'stray'],
      env: { JUNCTION_PROVIDERS_NOPE: 'x' },
      cwd: root,
    })
    expect(await problemsOf(promise)).toEqual([
      '"stray": unexpected argument; flags read --name=value',
      'entryPoints.websecure.adress: unknown field',
      'entryPoints.again.transport.respondingTimeouts.readTimeout: invalid duration "10 minutes": expected a Go duration such as "100ms", "1m30s" or a number of seconds',
      'providers.file.watch: expected a boolean, got "maybe"',
      'log.level: expected one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL, PANIC, got "LOUD"',
      'JUNCTION_PROVIDERS_NOPE: the nope provider is not available in Junction yet; available: file',
      '--entryPoints.web.asDefault: expected a boolean, got "sometimes"',
      'entryPoints.web.address: invalid port "80a"',
      'entryPoints.web.forwardedHeaders.trustedIPs[1]: invalid IP or CIDR "10.0.0.0/33"',
      'entryPoints.web.forwardedHeaders.trustedIPs[2]: invalid IP or CIDR "nope"',
      'entryPoints.websecure.address: missing',
      'entryPoints.other.http.redirections.entryPoint.to: unknown entry point "websecur"',
      'entryPoints.again.address: ":8080" overlaps entry point "other" ("0.0.0.0:8080")',
      'metrics.prometheus.entryPoint: unknown entry point "metrics"',
      'providers.file: set filename or directory',
    ])
  })

  it('puts every problem in the message, one per line, under JCT_ERR_STATIC_CONFIG', async () => {
    const error = await load({ argv: ['--entryPoints.a.address=:1', '--entryPoints.b.address=:1', '--log.format=xml'], env: {}, cwd: root }).catch(
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(JunctionError)
    expect((error as JunctionError).code).toBe('JCT_ERR_STATIC_CONFIG')
    expect((error as JunctionError).message).toBe(
      [
        'invalid static configuration:',
        '  --log.format: expected one of common, json, got "xml"',
        '  entryPoints.b.address: ":1" overlaps entry point "a" (":1")',
      ].join('\n'),
    )
  })

  it.each([
    { desc: 'a redirection to a port', flags: ['--entryPoints.web.http.redirections.entryPoint.to=:443'] },
    { desc: 'two entry points on port 0', flags: ['--entryPoints.other.address=127.0.0.1:0'] },
    { desc: 'tcp and udp on one port', flags: ['--entryPoints.other.address=127.0.0.1:0/udp'] },
    { desc: 'one port on two hosts', flags: ['--entryPoints.web.address=127.0.0.1:5000', '--entryPoints.other.address=127.0.0.2:5000'] },
    { desc: 'one port shared with reusePort', flags: ['--entryPoints.web.address=:5000', '--entryPoints.web.reusePort', '--entryPoints.other.address=:5000', '--entryPoints.other.reusePort'] },
    { desc: 'IPv6 trusted ranges', flags: ['--entryPoints.web.forwardedHeaders.trustedIPs=::1,fd00::/8,192.168.1.1/32'] },
  ])('accepts $desc', async ({ flags }) => {
    await expect(load({ argv: ['--entryPoints.web.address=127.0.0.1:0', ...flags], env: {}, cwd: root })).resolves.toBeDefined()
  })

  it.each([
    { desc: 'an unknown extension', name: 'junction.json', text: '{}', expected: /: unsupported configuration file extension "\.json"; use \.yml, \.yaml or \.toml$/ },
    { desc: 'bad YAML', name: 'junction.yml', text: 'entryPoints:\n  web: [\n', expected: /^parsing .*junction\.yml: .*line \d+/ },
    { desc: 'bad TOML', name: 'junction.toml', text: '[entryPoints\n', expected: /^parsing .*junction\.toml: .*line \d+/ },
    { desc: 'a file that is not a mapping', name: 'junction.yml', text: '- a\n- b\n', expected: /^parsing .*junction\.yml: expected a mapping at the top level, found a sequence$/ },
  ])('reports $desc', async ({ name, text, expected }) => {
    const path = await configFile(name, text)
    const problems = await problemsOf(load({ argv: [`--configFile=${path}`], env: {}, cwd: root }))
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(expected)
  })

  it('reports a missing file', async () => {
    const problems = await problemsOf(load({ argv: ['--configFile=missing.yml'], env: {}, cwd: root }))
    expect(problems).toEqual([`reading ${join(root, 'missing.yml')}: ENOENT: no such file or directory, open '${join(root, 'missing.yml')}'`])
  })
})

describe('loadStaticConfig: dynamic sections beside the static configuration', () => {
  const dynamicYaml = `
http:
  routers:
    web:
      rule: Host(\`example.test\`)
      service: app
TCP:
  routers: {}
udp:
  services: {}
tls:
  options:
    default:
      minVersion: VersionTLS12
`

  it('skips http, tcp, udp and tls (any case) in the file that providers.file.filename names, without a warning', async () => {
    const path = await configFile('traefik.yml', `entryPoints:\n  web:\n    address: ":8000"\nproviders:\n  file:\n    filename: traefik.yml\n${dynamicYaml}`)
    const config = await load({ argv: [`--configFile=${path}`], env: {}, cwd: root })
    expect(Object.keys(config).sort()).toEqual(['configDir', 'configFile', 'core', 'entryPoints', 'log', 'providers', 'warnings', 'workers'])
    expect(config.configFile).toBe(path)
    expect(fileOptions(config)).toEqual({ filename: path, watch: true })
    expect(config.warnings).toEqual([])
  })

  it('needs no warning either when the file lies in the directory the file provider reads', async () => {
    const path = await configFile('traefik.toml', `[entryPoints.web]\naddress = ":8000"\n[providers.file]\ndirectory = "."\n[http.routers.web]\nrule = "Path(\`/\`)"\nservice = "app"\n`)
    const config = await load({ argv: [`--configFile=${path}`], env: {}, cwd: root })
    expect(config.warnings).toEqual([])
  })

  it.each([
    { desc: 'no file provider', providers: '', flags: [] as string[] },
    { desc: 'a file provider reading another file', providers: 'providers:\n  file:\n    filename: dynamic.yml\n', flags: [] },
    { desc: 'a file provider whose directory skips dotfiles', providers: 'providers:\n  file:\n    directory: .\n', flags: [], name: '.traefik.yml' },
  ])('warns that the dynamic sections are not applied with $desc', async ({ providers, flags, name }) => {
    const path = await configFile(name ?? 'traefik.yml', `entryPoints:\n  web:\n    address: ":8000"\n${providers}${dynamicYaml}`)
    const config = await load({ argv: [`--configFile=${path}`, ...flags], env: {}, cwd: root })
    expect(config.warnings).toEqual([
      `${path}: http, TCP, udp, tls: dynamic configuration that no provider reads, ignored; set providers.file.filename to this file to apply it`,
    ])
  })

  it('still refuses every other unknown top-level key, each listed', async () => {
    const path = await configFile('traefik.yml', `entryPoints:\n  web:\n    address: ":8000"\nhtpp:\n  routers: {}\nrouters: {}\n${dynamicYaml}`)
    expect(await problemsOf(load({ argv: [`--configFile=${path}`], env: {}, cwd: root }))).toEqual(['htpp: unknown field', 'routers: unknown field'])
  })

  it('sets dynamic sections given by environment variables aside with a warning, as Traefik reads none of them', async () => {
    const config = await load({
      argv: ['--entryPoints.web.address=:8000'],
      env: { JUNCTION_HTTP_ROUTERS_WEB_RULE: 'Host(`example.test`)', JUNCTION_TLS_OPTIONS_DEFAULT_MINVERSION: 'VersionTLS12' },
      cwd: root,
    })
    expect(config.warnings).toEqual([
      'JUNCTION_HTTP_ROUTERS_WEB_RULE: http is dynamic configuration, which environment variables do not carry; ignored: write it in a file the file provider reads (providers.file.filename or directory)',
      'JUNCTION_TLS_OPTIONS_DEFAULT_MINVERSION: tls is dynamic configuration, which environment variables do not carry; ignored: write it in a file the file provider reads (providers.file.filename or directory)',
    ])
  })

  it('refuses dynamic sections given by flags, as Traefik does, saying where they belong', async () => {
    const problems = await problemsOf(
      load({ argv: ['--entryPoints.web.address=:8000', '--http.routers.web.rule', 'Host(`example.test`)', '--UDP.services.dns.loadBalancer.servers[0].address=127.0.0.1:53'], env: {}, cwd: root }),
    )
    expect(problems).toEqual([
      '--http.routers.web.rule: http is dynamic configuration, which flags do not carry; write it in a file the file provider reads (providers.file.filename or directory)',
      '--UDP.services.dns.loadBalancer.servers[0].address: UDP is dynamic configuration, which flags do not carry; write it in a file the file provider reads (providers.file.filename or directory)',
    ])
  })
})
