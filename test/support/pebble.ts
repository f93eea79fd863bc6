import { request as httpsRequest } from 'node:https'
import { connect, type PeerCertificate } from 'node:tls'
import { describe, inject, it } from 'vitest'
import type { PebbleFacts } from './pebble-daemon.ts'

/**
 * What tests of certificate resolvers use: the run's Pebble (started by
 * pebble-setup.ts), a loopback address and domain names of their own that
 * Pebble's DNS resolves to it, Pebble's issuing root, and a TLS client.
 */

/** The run's Pebble; only call inside {@link describePebble}. */
export function pebble(): PebbleFacts {
  const status = inject('pebble')
  if (!status.available) throw new Error(status.reason)
  return status
}

/**
 * `describe` for tests that need Pebble. Without it, the block fails under
 * `CI=true` and is skipped elsewhere; either way the reason, with the
 * packages to install, is in the test's name.
 */
export function describePebble(name: string, body: () => void): void {
  const status = inject('pebble')
  if (status.available) {
    describe(name, body)
    return
  }
  const reason = `Pebble is not available: ${status.reason}`
  if (process.env['CI'] === 'true') {
    describe(name, () => {
      it('needs Pebble', () => {
        throw new Error(reason)
      })
    })
    return
  }
  describe.skip(`${name} (skipped: ${reason})`, body)
}

let used = 0

/**
 * A loopback address no other test process uses (127.a.b.c from this
 * process's id, then a counter), and a domain name in it: Pebble
 * validates challenges on the address a name resolves to, so each test
 * binds its entry points there and names its domains after it.
 */
export async function loopbackSite(): Promise<{ address: string; domain: (label: string) => string }> {
  used++
  const address = `127.${(process.pid >> 8) & 255}.${process.pid & 255}.${2 + (used % 250)}`
  const zone = `p${process.pid}-${used}.junction.test`
  const domain = (label: string): string => `${label}.${zone}`
  return { address, domain }
}

/** Makes Pebble's DNS answer `address` for `host`. */
export async function resolveTo(host: string, address: string): Promise<void> {
  await challtestsrv('/add-a', { host, addresses: [address] })
}

async function challtestsrv(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${pebble().challtestsrvUrl}${path}`, { method: 'POST', body: JSON.stringify(body) })
  if (!response.ok) throw new Error(`pebble-challtestsrv ${path}: ${response.status} ${await response.text()}`)
}

/** Pebble's issuing root, new at each start of Pebble. */
export function pebbleRoot(): Promise<string> {
  return new Promise((resolve, reject) => {
    httpsRequest(`${pebble().managementUrl}/roots/0`, { ca: pebble().caPem, agent: false }, (response) => {
      let body = ''
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      response.on('end', () => (response.statusCode === 200 ? resolve(body) : reject(new Error(`/roots/0: ${response.statusCode} ${body}`))))
    })
      .on('error', reject)
      .end()
  })
}

/** What an HTTPS request through Junction got: the certificate it was served, whether it verified against `ca`, and the response. */
export interface HttpsAnswer {
  readonly authorized: boolean
  readonly authorizationError?: string
  readonly certificate: PeerCertificate
  readonly status: number
  readonly body: string
}

/** GET `path` over TLS at `address:port` with SNI and Host `servername`, checked against `ca` (the answer says whether it verified). */
export function httpsGet(address: string, port: number, servername: string, ca: string, path = '/'): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port, servername, ca, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] })
    socket.on('error', reject)
    socket.once('secureConnect', () => {
      const certificate = socket.getPeerCertificate()
      const authorized = socket.authorized
      const authorizationError = socket.authorizationError?.message
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${servername}\r\nConnection: close\r\n\r\n`)
      let text = ''
      socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
      socket.on('end', () => {
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)
        const body = text.slice(text.indexOf('\r\n\r\n') + 4)
        resolve({ authorized, ...(authorizationError !== undefined && { authorizationError }), certificate, status, body })
      })
    })
  })
}
