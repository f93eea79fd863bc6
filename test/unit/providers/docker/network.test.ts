import { describe, expect, it } from 'vitest'
import type { DockerContainer } from '../../../../providers/docker/container.ts'
import { isHealthy, isRunning, serviceName } from '../../../../providers/docker/container.ts'
import { defaultPort, serverAddress, type AddressContext } from '../../../../providers/docker/network.ts'

function container(name: string, over: { mode?: string; networks?: Record<string, string>; ports?: DockerContainer['NetworkSettings']['Ports']; exposed?: string[]; labels?: Record<string, string> } = {}): DockerContainer {
  return {
    Id: `id-${name}`,
    Name: `/${name}`,
    Config: { Labels: over.labels ?? {}, ExposedPorts: Object.fromEntries((over.exposed ?? []).map((port) => [port, {}])) },
    State: { Status: 'running', Running: true },
    HostConfig: { NetworkMode: over.mode ?? 'bridge' },
    NetworkSettings: {
      Networks: Object.fromEntries(Object.entries(over.networks ?? {}).map(([network, ip]) => [network, { IPAddress: ip, GlobalIPv6Address: '' }])),
      Ports: over.ports ?? {},
    },
  }
}

function context(containers: readonly DockerContainer[], over: Partial<AddressContext> = {}): AddressContext {
  const byRef = new Map(containers.flatMap((c) => [[c.Id, c], [c.Name.slice(1), c]] as const))
  return { useBindPortIP: false, find: (ref) => byRef.get(ref), labelNetwork: (c) => c.Config.Labels?.['junction.docker.network'], network: undefined, notes: [], ...over }
}

describe('serverAddress', () => {
  const app = container('app', { networks: { front: '10.0.1.2', back: '10.0.2.2' }, labels: { 'junction.docker.network': 'back' } })

  it.each([
    { desc: 'a shared network stack named by container name', mode: 'container:app', expected: { host: '10.0.2.2', port: 9000 } },
    { desc: 'a shared network stack named by ID', mode: 'container:id-app', expected: { host: '10.0.2.2', port: 9000 } },
    { desc: 'a shared network stack of a missing container', mode: 'container:gone', expected: { message: 'network mode container:gone: no such container' } },
  ])('$desc: the other container\'s address, on the network its label names', ({ mode, expected }) => {
    const sidecar = container('sidecar', { mode })
    expect(serverAddress(sidecar, undefined, 'http', 9000, context([app, sidecar]))).toEqual(expected)
  })

  it('refuses two containers sharing each other\'s network stack', () => {
    const a = container('a', { mode: 'container:b' })
    const b = container('b', { mode: 'container:a' })
    expect(serverAddress(a, undefined, 'http', 80, context([a, b]))).toEqual({ message: 'network mode container:a: the containers share each other\'s network' })
  })

  it.each([
    { desc: 'tcp binding for http', protocol: 'http' as const, expected: { host: '192.0.2.1', port: 8053 } },
    { desc: 'udp binding for udp', protocol: 'udp' as const, expected: { host: '192.0.2.1', port: 9053 } },
  ])('useBindPortIP takes the $desc of a port published for both', ({ protocol, expected }) => {
    const dns = container('dns', {
      networks: { bridge: '172.17.0.9' },
      ports: { '53/tcp': [{ HostIp: '192.0.2.1', HostPort: '8053' }], '53/udp': [{ HostIp: '192.0.2.1', HostPort: '9053' }] },
    })
    expect(serverAddress(dns, undefined, protocol, 53, context([dns], { useBindPortIP: true }))).toEqual(expected)
  })
})

describe('defaultPort', () => {
  it.each([
    { desc: 'the lowest tcp port for http', ports: ['8080/tcp', '443/tcp', '53/udp'], protocol: 'http' as const, expected: 443 },
    { desc: 'the lowest udp port for udp', ports: ['8080/tcp', '5353/udp', '53/udp'], protocol: 'udp' as const, expected: 53 },
    { desc: 'any protocol when none matches', ports: ['53/udp'], protocol: 'tcp' as const, expected: 53 },
    { desc: 'a port without protocol is tcp', ports: ['8080'], protocol: 'http' as const, expected: 8080 },
    { desc: 'no port', ports: [], protocol: 'http' as const, expected: undefined },
    { desc: 'malformed keys skipped', ports: ['http/tcp', '99999/tcp', '81/tcp'], protocol: 'http' as const, expected: 81 },
  ])('$desc', ({ ports, protocol, expected }) => {
    const bridged = container('c', { ports: Object.fromEntries(ports.map((port) => [port, null])) })
    expect(defaultPort(bridged, protocol)).toBe(expected)
  })

  it('reads Config.ExposedPorts when NetworkSettings.Ports is empty, as on the host network', () => {
    expect(defaultPort(container('h', { mode: 'host', exposed: ['9000/tcp', '8000/tcp'] }), 'http')).toBe(8000)
  })
})

describe('container state and name', () => {
  const state = (Status: string, health?: string): DockerContainer => ({ ...container('s'), State: { Status, Running: Status === 'running', ...(health === undefined ? {} : { Health: { Status: health } }) } })
  it.each([
    { status: 'running', health: undefined, expected: [true, true] },
    { status: 'running', health: 'healthy', expected: [true, true] },
    { status: 'running', health: 'none', expected: [true, true] },
    { status: 'running', health: 'starting', expected: [true, false] },
    { status: 'running', health: 'unhealthy', expected: [true, false] },
    { status: 'paused', health: undefined, expected: [false, true] },
    { status: 'restarting', health: undefined, expected: [false, true] },
    { status: 'exited', health: undefined, expected: [false, true] },
  ])('$status, health $health: running and healthy are $expected', ({ status, health, expected }) => {
    const subject = state(status, health)
    expect([isRunning(subject), isHealthy(subject)]).toEqual(expected)
  })

  it.each([
    { desc: 'the container name, normalised', labels: {}, expected: 'my-app-1' },
    { desc: 'Compose: service and project', labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'web' }, expected: 'web-shop' },
    { desc: 'Compose project alone: the container name', labels: { 'com.docker.compose.project': 'shop' }, expected: 'my-app-1' },
    { desc: 'an empty Compose service: the container name', labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': '' }, expected: 'my-app-1' },
  ])('serviceName: $desc', ({ labels, expected }) => {
    expect(serviceName(container('my_app.1', { labels }))).toBe(expected)
  })
})
