import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { eventually } from '../support/eventually.ts'
import { freePort } from '../support/example.ts'
import { describePebble, httpsGet, loopbackSite, pebble, pebbleRoot, resolveTo } from '../support/pebble.ts'
import { repoRoot } from '../support/process.ts'

const host = 'app.example.test'

// Boots examples/https-acme as its start.ts does, against the run's Pebble:
// the entry points move to Pebble's validation ports on a loopback address
// of this test's own (which Pebble's DNS gives for app.example.test), the
// resolver to Pebble's URL and HTTPS CA, storage and whoami elsewhere.
describePebble('examples/https-acme', () => {
  let child: ChildProcess
  let dir: string
  let address: string
  let output = ''
  beforeAll(async () => {
    const facts = pebble()
    address = (await loopbackSite()).address
    await resolveTo(host, address)
    dir = await mkdtemp(join(tmpdir(), 'junction-https-acme-'))
    await writeFile(join(dir, 'ca.pem'), facts.caPem)
    const whoamiPort = await freePort()
    await cp(join(repoRoot, 'examples', 'https-acme', 'dynamic'), join(dir, 'dynamic'), { recursive: true })
    const app = join(dir, 'dynamic', 'app.yml')
    await writeFile(app, (await readFile(app, 'utf8')).replaceAll('127.0.0.1:8084', `127.0.0.1:${whoamiPort}`))
    child = spawn(
      process.execPath,
      [
        join(repoRoot, 'examples', 'https-acme', 'start.ts'),
        `--entryPoints.web.address=${address}:${facts.httpPort}`,
        `--entryPoints.websecure.address=${address}:${facts.tlsPort}`,
        `--certificatesResolvers.pebble.acme.caServer=${facts.directoryUrl}`,
        `--certificatesResolvers.pebble.acme.caCertificates=${join(dir, 'ca.pem')}`,
        `--certificatesResolvers.pebble.acme.storage=${join(dir, 'acme.json')}`,
        `--providers.file.directory=${join(dir, 'dynamic')}`,
      ],
      { env: { PATH: process.env['PATH'] ?? '', WHOAMI_PORT: String(whoamiPort) }, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    child.stdout?.setEncoding('utf8').on('data', (data: string) => (output += data))
    child.stderr?.setEncoding('utf8').on('data', (data: string) => (output += data))
  })
  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL')
    await rm(dir, { recursive: true, force: true })
  })

  it("orders app.example.test's certificate over HTTP-01 and serves the site with it, verified against Pebble's root", async () => {
    const root = await pebbleRoot()
    const answer = await eventually(
      async () => {
        const got = await httpsGet(address, pebble().tlsPort, host, root)
        expect(got.authorized).toBe(true)
        return got
      },
      { timeout: 30_000, interval: 200 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${output}`)
    })
    expect([answer.certificate.subjectaltname, answer.status, answer.body.split('\n')[0]]).toEqual([`DNS:${host}`, 200, 'Name: whoami'])
    expect(output).toContain(`certificate resolver pebble: certificate for ${host} issued`)
  })

  it('redirects plain HTTP to HTTPS on the challenge entry point', async () => {
    const { status, location } = await new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
      request({ host: address, port: pebble().httpPort, path: '/page', headers: { host }, agent: false }, (res) => {
        res.resume()
        resolve({ status: res.statusCode ?? 0, location: res.headers.location })
      })
        .on('error', reject)
        .end()
    })
    expect([status, location]).toEqual([301, `https://${host}:${pebble().tlsPort}/page`])
  })

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM')
    const [code] = await once(child, 'exit')
    expect(code).toBe(0)
  })
})
