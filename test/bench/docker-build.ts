/**
 * How long the Docker provider's pure builder takes to turn labelled
 * containers into a snapshot (target: 500 containers in under 100 ms).
 * The containers are synthetic but varied, as a busy host has them: plain
 * containers on the default rule, routers with rules (regexps among them),
 * middlewares, services on labelled ports, Compose replicas sharing one
 * service, TCP services. `npx node test/bench/docker-build.ts` prints one
 * measurement; the bench report calls {@link measureDockerBuild}.
 */
import { buildDockerSnapshot, type DockerBuildOptions, type DockerContainer } from '../../providers/docker/builder.ts'

/**
 * Build time over `repeat` builds of the same `containers` containers, after
 * three warm-up builds (the provider rebuilds at every change, so a build
 * after the first is the case that counts; the first also fills the rule
 * checks' memo).
 */
export async function measureDockerBuild(containers = 500, repeat = 20): Promise<{ medianMs: number; maxMs: number }> {
  const input = syntheticContainers(containers)
  for (let i = 0; i < 3; i++) buildDockerSnapshot(input, options)
  const times: number[] = []
  for (let i = 0; i < repeat; i++) {
    const start = performance.now()
    buildDockerSnapshot(input, options)
    times.push(performance.now() - start)
    // Let the event loop turn between builds, as the provider's watch loop does.
    await new Promise((resolve) => setImmediate(resolve))
  }
  times.sort((a, b) => a - b)
  const middle = Math.floor(times.length / 2)
  const medianMs = times.length % 2 === 1 ? (times[middle] ?? 0) : ((times[middle - 1] ?? 0) + (times[middle] ?? 0)) / 2
  return { medianMs, maxMs: times.at(-1) ?? 0 }
}

const options: DockerBuildOptions = {
  prefix: 'junction',
  exposedByDefault: true,
  defaultRule: ({ Name }) => `Host(\`${Name}.docker.localhost\`)`,
  useBindPortIP: false,
  allowEmptyServices: false,
  listening: [{ entryPoint: 'web', address: '0.0.0.0', port: 80 }],
}

/** `count` containers, cycling through six kinds of label sets; every third Compose app has three replicas. */
export function syntheticContainers(count: number): DockerContainer[] {
  return Array.from({ length: count }, (_, i) => container(i, labelsFor(i)))
}

function labelsFor(i: number): Record<string, string> {
  const app = `app${Math.floor(i / 3)}`
  switch (i % 6) {
    case 0:
      return {}
    case 1:
      return {
        [`junction.http.routers.${app}-api.rule`]: `Host(\`${app}.example.com\`) && PathPrefix(\`/api\`)`,
        [`junction.http.routers.${app}-api.middlewares`]: `${app}-strip,${app}-headers`,
        [`junction.http.middlewares.${app}-strip.stripprefix.prefixes`]: '/api',
        [`junction.http.middlewares.${app}-headers.headers.customresponseheaders.X-App`]: app,
        [`junction.http.services.${app}-api.loadbalancer.server.port`]: '8080',
      }
    case 2:
      return {
        'com.docker.compose.project': 'shop',
        'com.docker.compose.service': `web${Math.floor(i / 18)}`,
        [`junction.http.services.web${Math.floor(i / 18)}.loadbalancer.server.port`]: '3000',
        [`junction.http.routers.web${Math.floor(i / 18)}.rule`]: `Host(\`web${Math.floor(i / 18)}.shop.example.com\`)`,
      }
    case 3:
      return {
        [`junction.http.routers.${app}-re.rule`]: `HostRegexp(\`^[a-z]+\\.${app}\\.example\\.com$\`) || PathRegexp(\`^/${app}/v[0-9]+/\`)`,
        [`junction.http.routers.${app}-re.entrypoints`]: 'web,websecure',
        [`junction.http.routers.${app}-re.priority`]: String(100 + i),
        [`junction.http.services.${app}-re.loadbalancer.passhostheader`]: 'false',
      }
    case 4:
      return {
        [`junction.tcp.routers.${app}-db.rule`]: `HostSNI(\`${app}-db.example.com\`)`,
        [`junction.tcp.routers.${app}-db.tls.passthrough`]: 'true',
        [`junction.tcp.services.${app}-db.loadbalancer.server.port`]: '5432',
      }
    default:
      return { 'junction.enable': 'true', 'junction.docker.network': 'backend', 'com.example.team': 'payments' }
  }
}

function container(i: number, labels: Record<string, string>): DockerContainer {
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
  return {
    Id: i.toString(16).padStart(12, '0'),
    Name: `/container-${i}`,
    Config: { Labels: labels, ExposedPorts: { '80/tcp': {}, '3000/tcp': {}, '5432/tcp': {}, '8080/tcp': {} } },
    State: { Status: 'running', Running: true },
    HostConfig: { NetworkMode: 'bridge' },
    NetworkSettings: {
      Networks: { backend: { IPAddress: ip }, bridge: { IPAddress: `172.17.${(i >> 8) & 255}.${i & 255}` } },
      Ports: { '80/tcp': null, '3000/tcp': null, '5432/tcp': null, '8080/tcp': null },
    },
  }
}

if (import.meta.main) {
  const result = await measureDockerBuild()
  console.log(`docker builder, 500 labelled containers: median ${result.medianMs.toFixed(1)} ms, max ${result.maxMs.toFixed(1)} ms (20 builds)`)
}
