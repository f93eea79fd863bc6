import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { buildDockerSnapshot, compileConstraints, type DockerBuildOptions, type DockerContainer } from '../../../../providers/docker/builder.ts'
import { normalizeName } from '../../../../src/provider-plugin.ts'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))

/** A fixture's input: the containers as `docker inspect` prints them, and the options that differ from the defaults below. */
interface FixtureInput {
  readonly options?: Partial<Omit<DockerBuildOptions, 'defaultRule' | 'constraints'>> & { readonly defaultRule?: string; readonly constraints?: string }
  readonly containers: readonly DockerContainer[]
}

/**
 * A stand-in for the template engine (it arrives from another branch): the
 * few actions the fixtures use, and an error for any other, as a template
 * naming a missing field fails.
 */
function renderRule(template: string): DockerBuildOptions['defaultRule'] {
  return (data) =>
    template.replace(/\{\{\s*(.*?)\s*\}\}/g, (_, action: string) => {
      if (action === '.Name') return data.Name
      if (action === 'normalize .Name') return normalizeName(data.Name)
      if (action === '.ContainerName') return data.ContainerName
      const label = /^index \.Labels "([^"]*)"$/.exec(action)
      if (label !== null) return data.Labels[label[1] ?? ''] ?? ''
      throw new Error(`template: defaultRule: can't evaluate ${action}`)
    })
}

function optionsOf(input: FixtureInput): DockerBuildOptions {
  const { defaultRule, constraints, ...rest } = input.options ?? {}
  return {
    prefix: 'junction',
    exposedByDefault: true,
    useBindPortIP: false,
    allowEmptyServices: false,
    listening: [],
    ...rest,
    defaultRule: renderRule(defaultRule ?? 'Host(`{{ normalize .Name }}`)'),
    ...(constraints === undefined ? {} : { constraints: compileConstraints(constraints) }),
  }
}

/** Every fixture case, and what it shows. */
const intents: Readonly<Record<string, string>> = {
  'allow-empty-services': 'unhealthy containers keep their services, with no server, under allowEmptyServices',
  'allow-non-running': "allownonrunning keeps a stopped container's routers and services, with no server",
  'compose-replicas': 'Compose replicas are named <service>_<project>, normalised, and share one router and one service',
  'conflicting-definitions': 'objects defined differently by several containers are left out and reported for each of them',
  'constraints': 'constraints keep only the containers whose labels match',
  'container-network-mode': "a container sharing another's network is reached at that container's address",
  'default-rule-empty': 'a default rule that renders empty leaves the router out',
  'default-rule-fails': 'a default rule that fails to render leaves that router out, the service stays',
  'enable-false': 'enable=false leaves a container out, whatever its other labels',
  'exposed-by-default-false': 'with exposedByDefault false only enable=true containers are routed',
  'health': 'only healthy containers (or without a health check) are routed',
  'host-network': 'host network containers are reached on 127.0.0.1, on their exposed or labelled port',
  'invalid-bad-value': 'a label with a bad value keeps its container out, naming the label',
  'invalid-line-break': "a value with CR, LF or NUL keeps its container out, except a rule's white space",
  'invalid-name-with-at': 'an object name with @ keeps its container out; references with @ are fine',
  'invalid-port-and-enable': 'a bad port label or enable label keeps its container out',
  'invalid-rule': 'a rule that parses in no syntax (or not in the one named) keeps its container out',
  'invalid-unknown-key': 'unknown keys in a section keep the container out; keys outside the sections are reported and ignored',
  'ipv6-network': 'an IPv6-only network gives a bracketed address; IPv4 is preferred when both exist',
  'labels-case-insensitive': 'labels match case-insensitively, names keep their case',
  'lowest-exposed-port': 'without a port label the lowest exposed port of the protocol is used',
  'network-label': 'the docker.network label overrides the network option, even empty (then the first network)',
  'network-not-found': 'a network the container is not on is reported, and the first network used',
  'network-option': 'the network option picks among several networks',
  'no-port': 'a container without a port to reach is not routed, unless a port label says one',
  'non-running': 'containers that are not running are left out',
  'one-container-no-label': 'a container without labels gets one router with the default rule and one service',
  'replicas-merged': 'replicas declaring the same service become one load balancer with all their servers',
  'router-rule-label': 'a router label without a service gets a service made for the container',
  'self-loop': "a service with a server at one of Junction's own entry points is refused",
  'server-url-and-scheme-labels': 'url labels are kept as written; scheme labels change the scheme',
  'server-url-with-port': 'a url label beside a port label keeps the container out',
  'service-port-label-bound-to-router': 'a router without a service label binds to the only service, on the labelled port',
  'several-networks': 'with several networks and no choice, the first by name is used',
  'tcp-labels': 'tcp labels: routers without a rule are left out, tcp alone makes no http router',
  'tls-default-store': 'the default TLS store is read from labels',
  'traefik-docs-custom-port': 'Traefik docs: a custom port for the container',
  'traefik-docs-middleware': 'Traefik docs: declaring and referencing a middleware',
  'traefik-docs-one-service': 'Traefik docs: deploying and exposing one service',
  'traefik-docs-provider-options': 'Traefik docs: traefik.enable and traefik.docker.network',
  'traefik-docs-router-labels': 'Traefik docs: every router label',
  'traefik-docs-service-by-label': 'Traefik docs: automatic service assignment and creation, explicit definition',
  'traefik-docs-service-labels': 'Traefik docs: every service label (healthcheck.status=42 is refused: Junction wants 100-599)',
  'traefik-docs-service-url': 'Traefik docs: a url label',
  'traefik-docs-tcp': 'Traefik docs: tcp routers, services and middlewares',
  'traefik-docs-two-routers': 'Traefik docs: more than one router and service per container',
  'traefik-docs-udp': 'Traefik docs: udp routers and services',
  'two-services-no-router': 'two services and no router label make no router',
  'two-services-router-without-service': 'a router without a service label among several services is left out',
  'udp-labels': 'udp labels: the lowest udp port, explicit ports, ambiguous routers left out',
  'use-bind-port-ip': 'useBindPortIP uses the published host address and port when there is one',
  'weighted-failover-mirroring': 'weighted, failover and mirroring services declared from labels pass through',
}

const cases = readdirSync(fixtures)
  .filter((file) => file.endsWith('.input.json'))
  .map((file) => file.slice(0, -'.input.json'.length))
  .sort()

describe('docker builder: golden fixtures', () => {
  it('has the fixture cases it is meant to have', () => {
    expect(cases).toEqual(Object.keys(intents).sort())
  })

  it.each(cases.map((name) => ({ name, intent: intents[name] ?? '' })))('$name: $intent', ({ name }) => {
    const input = JSON.parse(readFileSync(join(fixtures, `${name}.input.json`), 'utf8')) as FixtureInput
    const expectedFile = join(fixtures, `${name}.expected.json`)
    const snapshot = buildDockerSnapshot(input.containers, optionsOf(input))
    // UPDATE_GOLDEN=1 rewrites the expected files; review the diff before committing it.
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(expectedFile, `${JSON.stringify(snapshot, null, 2)}\n`)
    expect(snapshot).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')))
  })
})

describe('docker builder: one snapshot for one state', () => {
  it('gives the same snapshot, byte for byte, whatever order containers and their labels come in', () => {
    const input = JSON.parse(readFileSync(join(fixtures, 'replicas-merged.input.json'), 'utf8')) as FixtureInput
    const others = ['compose-replicas', 'tcp-labels', 'conflicting-definitions'].flatMap(
      (name) => (JSON.parse(readFileSync(join(fixtures, `${name}.input.json`), 'utf8')) as FixtureInput).containers,
    )
    const containers = [...input.containers, ...others]
    const reversed = containers.toReversed().map((container) => ({
      ...container,
      Config: { ...container.Config, Labels: Object.fromEntries(Object.entries(container.Config.Labels ?? {}).reverse()) },
    }))
    const first = buildDockerSnapshot(containers, optionsOf(input))
    expect(JSON.stringify(buildDockerSnapshot(reversed, optionsOf(input)))).toBe(JSON.stringify(first))
  })
})

describe('compileConstraints', () => {
  it('matches labels with Label and LabelRegex', () => {
    const keep = compileConstraints('Label(`env`, `prod`) && !LabelRegex(`team`, `^qa-`)')
    expect([keep({ env: 'prod', team: 'web' }), keep({ env: 'prod', team: 'qa-1' }), keep({})]).toEqual([true, false, false])
  })

  it('refuses a bad expression with a message saying where', () => {
    expect(() => compileConstraints('Label(`env`)')).toThrow('constraints "Label(`env`)": Label takes 2 arguments, got 1 at column 1')
  })
})

describe('docker builder: hostile labels', () => {
  const base: DockerContainer = {
    Id: 'c0ffee000001',
    Name: '/hostile',
    Config: { Labels: {} },
    State: { Status: 'running', Running: true },
    HostConfig: { NetworkMode: 'bridge' },
    NetworkSettings: { Networks: { bridge: { IPAddress: '172.17.0.2' } }, Ports: { '80/tcp': null } },
  }
  const neighbour: DockerContainer = { ...base, Id: 'c0ffee000002', Name: '/neighbour', NetworkSettings: { Networks: { bridge: { IPAddress: '172.17.0.3' } }, Ports: { '80/tcp': null } } }
  const neighbourConfig = { http: { routers: { neighbour: { rule: 'Host(`neighbour`)', service: 'neighbour' } }, services: { neighbour: { loadBalancer: { servers: [{ url: 'http://172.17.0.3:80' }] } } } } }

  it('keeps out a container whose label key nests 100,000 levels deep, and routes the others', () => {
    const key = `junction.http.middlewares.p.plugin.x.${Array.from({ length: 100_000 }, () => 'a').join('.')}`
    const hostile = { ...base, Config: { Labels: { [key]: 'v' } } }
    expect(buildDockerSnapshot([hostile, neighbour], optionsOf({ containers: [] }))).toEqual({
      config: neighbourConfig,
      problems: [{ source: 'container hostile', message: `label ${key}: more than 64 segments: refused; the container is not routed` }],
    })
  })

  it('keeps out a container the builder cannot read, and routes the others', () => {
    // An inspection without NetworkSettings breaks the type's promise; it must break only this container.
    const unreadable = { ...base, NetworkSettings: null } as unknown as DockerContainer
    expect(buildDockerSnapshot([unreadable, neighbour], optionsOf({ containers: [] }))).toEqual({
      config: neighbourConfig,
      problems: [{ source: 'container hostile', message: "the container could not be read: Cannot read properties of null (reading 'Ports'); the container is not routed" }],
    })
  })

  it('reports each of 200,000 labels nothing reads, one problem per label', () => {
    const labels = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`junction.x${i}`, 'v']))
    const snapshot = buildDockerSnapshot([{ ...base, Config: { Labels: labels } }], optionsOf({ containers: [] }))
    expect([snapshot.problems.length, snapshot.problems[0]]).toEqual([
      200_000,
      { source: 'container hostile', message: 'label junction.x0: unknown key "x0" (labels configure http, tcp, udp, tls.stores.default, enable, docker); ignored' },
    ])
  })

  it('routes a container with 5,000 routers and a 1 MiB header value', () => {
    const labels: Record<string, string> = { 'junction.http.middlewares.big.headers.customresponseheaders.X-Big': 'x'.repeat(1 << 20) }
    for (let i = 0; i < 5_000; i++) labels[`junction.http.routers.r${i}.rule`] = `Host(\`r${i}.test\`)`
    const snapshot = buildDockerSnapshot([{ ...base, Config: { Labels: labels } }], optionsOf({ containers: [] }))
    const http = snapshot.config['http'] as { routers: Record<string, { service: string }> }
    expect([snapshot.problems, Object.keys(http.routers).length, http.routers['r4999']?.service]).toEqual([[], 5_000, 'hostile'])
  })
})
