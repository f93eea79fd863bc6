import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { open, readFile, writeFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { promisify } from 'node:util'
import { findExecutable, tail } from './docker-daemon.ts'

/** What the ACME tests need installed: Debian's `pebble` (with `pebble-challtestsrv`) and `openssl`. */
export const pebblePackages = 'apt-get install pebble openssl'

/** The facts of a running Pebble, for test files (`inject('pebble')`). */
export interface PebbleFacts {
  /** `https://127.0.0.1:<port>/dir` */
  readonly directoryUrl: string
  /** `https://127.0.0.1:<port>`: `/roots/0` is the issuing root, new at each start. */
  readonly managementUrl: string
  /** `http://127.0.0.1:<port>`: pebble-challtestsrv's management API (`/add-a`, `/set-txt`, `/clear-txt`). */
  readonly challtestsrvUrl: string
  /** `127.0.0.1:<port>`: the DNS server Pebble resolves names with (pebble-challtestsrv). */
  readonly dnsServer: string
  /** The PEM of the throw-away CA that signed Pebble's own HTTPS certificate. */
  readonly caPem: string
  /** Where Pebble validates HTTP-01 and TLS-ALPN-01 challenges, on the address a name resolves to. */
  readonly httpPort: number
  readonly tlsPort: number
}

export interface Pebble extends PebbleFacts {
  stop(): Promise<void>
}

const run = promisify(execFile)

/**
 * Starts pebble-challtestsrv (as Pebble's DNS server only: its own
 * challenge servers off, no AAAA answers, so validation goes to IPv4 on
 * loopback) and Pebble on free ports of 127.0.0.1, with a throw-away CA
 * for Pebble's HTTPS made by openssl in `dir`. Pebble sleeps no random
 * time before validating, rejects no nonce and reuses no authorization, so
 * every order goes through its challenges at once.
 */
export async function startPebble(dir: string): Promise<Pebble> {
  const pebble = await findExecutable('pebble')
  const challtestsrv = await findExecutable('pebble-challtestsrv')
  const openssl = await findExecutable('openssl')
  if (pebble === undefined || challtestsrv === undefined) throw new Error('pebble is not installed')
  if (openssl === undefined) throw new Error('openssl is not installed')
  const caPem = await makeCertificates(openssl, dir)
  const [listen, management, dns, dnsManagement, httpPort, tlsPort] = (await freePorts(6)) as [number, number, number, number, number, number]
  const config = {
    pebble: {
      listenAddress: `127.0.0.1:${listen}`,
      managementListenAddress: `127.0.0.1:${management}`,
      certificate: join(dir, 'pebble.pem'),
      privateKey: join(dir, 'pebble.key'),
      httpPort,
      tlsPort,
      ocspResponderURL: '',
      externalAccountBindingRequired: false,
    },
  }
  await writeFile(join(dir, 'pebble.json'), JSON.stringify(config))
  const children: Daemon[] = []
  const stop = async (): Promise<void> => {
    await Promise.all(children.map((child) => child.stop()))
  }
  try {
    const dnsServer = `127.0.0.1:${dns}`
    const challtestsrvUrl = `http://127.0.0.1:${dnsManagement}`
    children.push(
      await daemon(
        challtestsrv,
        ['-defaultIPv4', '127.0.0.1', '-defaultIPv6', '', '-dns01', dnsServer, '-http01', '', '-https01', '', '-tlsalpn01', '', '-management', `127.0.0.1:${dnsManagement}`],
        {},
        join(dir, 'challtestsrv.log'),
        () => answersHttp(`${challtestsrvUrl}/clear-txt`, caPem),
      ),
    )
    const directoryUrl = `https://127.0.0.1:${listen}/dir`
    children.push(
      await daemon(
        pebble,
        ['-config', join(dir, 'pebble.json'), '-dnsserver', dnsServer],
        { PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '0' },
        join(dir, 'pebble.log'),
        () => answersHttp(directoryUrl, caPem),
      ),
    )
    return { directoryUrl, managementUrl: `https://127.0.0.1:${management}`, challtestsrvUrl, dnsServer, caPem, httpPort, tlsPort, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

interface Daemon {
  stop(): Promise<void>
}

async function daemon(binary: string, args: readonly string[], env: Record<string, string>, logFile: string, ready: () => Promise<boolean>): Promise<Daemon> {
  const log = await open(logFile, 'a')
  let child: ChildProcess
  try {
    child = spawn(binary, args, { stdio: ['ignore', log.fd, log.fd], env: { ...process.env, ...env } })
  } finally {
    await log.close()
  }
  const exited = once(child, 'exit')
  const pid = child.pid
  if (pid === undefined) throw new Error(`starting ${binary}: ${(await Promise.race([once(child, 'error'), delay(1000, ['no pid'])]))[0]}`)
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    process.kill(pid, 'SIGTERM')
    const timer = setTimeout(() => child.exitCode === null && process.kill(pid, 'SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
  const deadline = Date.now() + 15_000
  while (!(await ready())) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await stop()
      throw new Error(`${binary} ${args.join(' ')} did not answer:\n${await tail(logFile)}`)
    }
    await delay(50)
  }
  return { stop }
}

/** Whether a URL answers at all (any status), trusting `ca` for HTTPS. */
function answersHttp(url: string, ca: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = url.startsWith('https:') ? httpsRequest(url, { ca, method: 'POST', agent: false }) : httpRequest(url, { method: 'POST', agent: false })
    request.on('response', (response) => {
      response.resume()
      resolve(true)
    })
    request.on('error', () => resolve(false))
    request.end('{}')
  })
}

/** A CA, and a certificate it signs for `localhost` and 127.0.0.1 that Pebble serves its API with; returns the CA's PEM. */
async function makeCertificates(openssl: string, dir: string): Promise<string> {
  const file = (name: string): string => join(dir, name)
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  await run(openssl, ['req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=Junction test Pebble HTTPS CA'])
  await run(openssl, ['req', ...ec, '-keyout', file('pebble.key'), '-out', file('pebble.csr'), '-subj', '/CN=localhost'])
  await writeFile(file('san.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n')
  await run(openssl, ['x509', '-req', '-in', file('pebble.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('pebble.pem'), '-days', '2', '-extfile', file('san.cnf')])
  return readFile(file('ca.pem'), 'utf8')
}

/** Ports nothing listens on, on any address (a wildcard bind checks them all), held together so they differ. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = createServer()
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, resolve))
      return server
    }),
  )
  const ports = servers.map((server) => (server.address() as AddressInfo).port)
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
  return ports
}
