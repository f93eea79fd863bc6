import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Clock } from '../../src/tls/acme/clock.ts'
import type { Logger } from '../../src/observability/logger.ts'
import { startJunction, type TestJunction } from './junction.ts'
import { loopbackSite, pebble, resolveTo } from './pebble.ts'

/** A Junction with one certificate resolver, `pebble`, on the run's Pebble. */
export interface AcmeJunction extends TestJunction {
  /** Its loopback address: `web` listens there on Pebble's HTTP-01 port, `websecure` on its TLS-ALPN-01 port. */
  readonly address: string
  readonly httpsPort: number
  /** `acme.json`. */
  readonly storage: string
}

export interface AcmeJunctionOptions {
  /** The challenge the resolver answers. */
  readonly challenge: 'http' | 'tls' | 'dns'
  /** The loopback site: a fresh one when absent (a restart passes the one it had). */
  readonly site?: { readonly address: string; readonly domain: (label: string) => string }
  /** Names Pebble's DNS resolves to the site's address (HTTP-01 and TLS-ALPN-01 connect there). */
  readonly hosts?: readonly string[]
  /** The folder (storage and dynamic configuration in it); a restart passes the one it had. */
  readonly dir?: string
  readonly initial?: unknown
  readonly flags?: readonly string[]
  readonly clock?: Clock
  readonly logger?: Logger
  /** Another CA server (an unreachable one). */
  readonly caServer?: string
}

/**
 * Starts Junction with a resolver on Pebble: entry points `web` and
 * `websecure` on the ports Pebble validates, on a loopback address of the
 * test's own; the resolver trusts Pebble's HTTPS through `caCertificates`
 * and makes EC256 keys (RSA4096, the default, takes seconds each).
 */
export async function startAcmeJunction(options: AcmeJunctionOptions): Promise<AcmeJunction> {
  const facts = pebble()
  const site = options.site ?? (await loopbackSite())
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'junction-acme-')))
  const caFile = join(dir, 'pebble-https-ca.pem')
  await writeFile(caFile, facts.caPem)
  for (const host of options.hosts ?? []) await resolveTo(host, site.address)
  const storage = join(dir, 'acme.json')
  const challenge = {
    http: ['--certificatesResolvers.pebble.acme.httpChallenge.entryPoint=web'],
    tls: ['--certificatesResolvers.pebble.acme.tlsChallenge=true'],
    dns: ['--certificatesResolvers.pebble.acme.dnsChallenge.provider=challtestsrv', `--certificatesResolvers.pebble.acme.dnsChallenge.resolvers=${facts.dnsServer}`],
  }[options.challenge]
  const junction = await startJunction({
    dir,
    flags: [
      `--entryPoints.web.address=${site.address}:${facts.httpPort}`,
      `--entryPoints.websecure.address=${site.address}:${facts.tlsPort}`,
      `--certificatesResolvers.pebble.acme.caServer=${options.caServer ?? facts.directoryUrl}`,
      `--certificatesResolvers.pebble.acme.caCertificates=${caFile}`,
      `--certificatesResolvers.pebble.acme.storage=${storage}`,
      '--certificatesResolvers.pebble.acme.email=ops@junction.test',
      '--certificatesResolvers.pebble.acme.keyType=EC256',
      ...challenge,
      ...(options.flags ?? []),
    ],
    env: { CHALLTESTSRV_URL: facts.challtestsrvUrl },
    ...(options.initial !== undefined && { initial: options.initial }),
    ...(options.clock && { clock: options.clock }),
    ...(options.logger && { logger: options.logger }),
  })
  return { ...junction, address: site.address, httpsPort: facts.tlsPort, storage }
}

/**
 * A router on `websecure` for `host`, its certificate from the resolver,
 * forwarding to `upstream` (`http://127.0.0.1:<port>`).
 */
export function acmeRouters(upstream: string, routers: Readonly<Record<string, { host?: string; domains?: unknown; rule?: string }>>): unknown {
  return {
    http: {
      routers: Object.fromEntries(
        Object.entries(routers).map(([name, { host, domains, rule }]) => [
          name,
          { rule: rule ?? `Host(\`${host}\`)`, entryPoints: ['websecure'], service: 'app', tls: { certResolver: 'pebble', ...(domains !== undefined && { domains }) } },
        ]),
      ),
      services: { app: { loadBalancer: { servers: [{ url: upstream }] } } },
    },
  }
}
