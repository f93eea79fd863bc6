import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { request } from 'node:http'
import { describe, it } from 'vitest'
import { freePort } from './docker-containers.ts'
import { eventually } from './eventually.ts'

/** The command Debian's `pebble` package installs. */
const command = 'pebble-challtestsrv'

/** A running pebble-challtestsrv: its fake DNS server and its management API, on loopback. */
export interface Challtestsrv {
  /** `http://127.0.0.1:<port>`: the management API (`/set-txt`, `/clear-txt`). */
  readonly managementUrl: string
  /** `127.0.0.1:<port>`: the DNS server (UDP and TCP). */
  readonly dnsServer: string
  stop(): Promise<void>
}

/** Why pebble-challtestsrv cannot run here, or undefined when it can. */
export function challtestsrvMissing(): string | undefined {
  const probe = spawnSync(command, ['-h'], { stdio: 'ignore' })
  return probe.error === undefined ? undefined : `${command} is not installed (Debian package pebble): ${probe.error.message}`
}

/**
 * `describe` for tests that need pebble-challtestsrv: without it, the block
 * fails under `CI=true` and is skipped elsewhere, the reason in its name.
 */
export function describeWithChalltestsrv(name: string, body: () => void): void {
  const missing = challtestsrvMissing()
  if (missing === undefined) return void describe(name, body)
  if (process.env['CI'] === 'true') {
    return void describe(name, () => {
      it('needs pebble-challtestsrv', () => {
        throw new Error(missing)
      })
    })
  }
  describe.skip(`${name} (skipped: ${missing})`, body)
}

/**
 * Starts pebble-challtestsrv with only its DNS server and management API,
 * each on a free loopback port, and waits until the API answers.
 */
export async function startChalltestsrv(): Promise<Challtestsrv> {
  const dnsPort = await freePort()
  const managementPort = await freePort()
  const child = spawn(
    command,
    ['-http01', '', '-https01', '', '-tlsalpn01', '', '-dns01', `127.0.0.1:${dnsPort}`, '-management', `127.0.0.1:${managementPort}`, '-defaultIPv4', '127.0.0.1', '-defaultIPv6', ''],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  // once() rejects on 'error' (the command could not start): that ends it too.
  const exited = once(child, 'exit').catch(() => undefined)
  const managementUrl = `http://127.0.0.1:${managementPort}`
  try {
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}: ${stderr}`)
      await answers(managementUrl)
    })
  } catch (error) {
    await stop(child, exited)
    throw error
  }
  return { managementUrl, dnsServer: `127.0.0.1:${dnsPort}`, stop: () => stop(child, exited) }
}

/** Resolves once the server answers an HTTP request at all. */
function answers(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      res.resume()
      resolve()
    })
      .on('error', reject)
      .end()
  })
}

async function stop(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
  await exited
}
