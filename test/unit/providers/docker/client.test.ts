import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TLSSocket } from 'node:tls'
import { afterEach, describe, expect, it } from 'vitest'
import { createDockerApi, type ClientOptions, type DockerApi } from '../../../../providers/docker/client.ts'
import { parseEndpoint } from '../../../../providers/docker/endpoint.ts'
import type { DockerEvent } from '../../../../providers/docker/event-stream.ts'
import { eventually } from '../../../support/eventually.ts'
import { testCerts } from '../../../support/upstream.ts'

/** What the fake daemon saw of one request. */
interface Seen {
  readonly method: string
  readonly url: string
  readonly authorization: string | undefined
  readonly clientCertificate: string | undefined
}

/** A fake Docker Engine API: the routes the provider calls, answering what the test sets. */
class FakeEngine {
  readonly seen: Seen[] = []
  readonly eventStreams: ServerResponse[] = []
  readonly server: Server
  /** Set to answer the list with an error, or never. */
  list: 'ok' | 'fail' | 'hang' = 'ok'
  readonly cleanups: Array<() => Promise<void>> = []

  constructor(server: Server) {
    this.server = server
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.#route(req, res))
  }

  #route(req: IncomingMessage, res: ServerResponse): void {
    const subject = (req.socket as Partial<TLSSocket>).getPeerCertificate?.()?.subject?.CN
    const clientCertificate = typeof subject === 'string' ? subject : undefined
    this.seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, clientCertificate })
    const path = new URL(req.url ?? '/', 'http://engine').pathname
    const json = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    if (path === '/version') return json(200, { Version: '20.10.24', ApiVersion: '1.41' })
    if (path === '/containers/json') {
      if (this.list === 'hang') return
      if (this.list === 'fail') return json(500, { message: 'boom' })
      return json(200, [{ Id: 'abc', State: 'running' }])
    }
    if (path === '/containers/abc/json') return json(200, { Id: 'abc', Name: '/web', State: { Status: 'running' } })
    if (path.startsWith('/containers/')) return json(404, { message: 'No such container' })
    if (path === '/events') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.flushHeaders()
      this.eventStreams.push(res)
      return
    }
    json(404, { message: 'page not found' })
  }

  send(event: DockerEvent): void {
    for (const stream of this.eventStreams) stream.write(`${JSON.stringify(event)}\n`)
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    this.server.close()
    for (const cleanup of this.cleanups) await cleanup()
  }
}

const engines: FakeEngine[] = []
const controllers: AbortController[] = []

afterEach(async () => {
  for (const controller of controllers.splice(0)) controller.abort()
  for (const engine of engines.splice(0)) await engine.close()
})

function signal(): AbortSignal {
  const controller = new AbortController()
  controllers.push(controller)
  return controller.signal
}

async function startEngine(kind: 'tcp' | 'unix' | 'https' = 'tcp'): Promise<{ engine: FakeEngine; url: string }> {
  const server =
    kind === 'https' ? createHttpsServer({ cert: testCerts.cert, key: testCerts.key, requestCert: true, rejectUnauthorized: false }) : createHttpServer()
  const engine = new FakeEngine(server)
  engines.push(engine)
  if (kind === 'unix') {
    const dir = await mkdtemp(join(tmpdir(), 'junction-docker-client-'))
    engine.cleanups.push(() => rm(dir, { recursive: true, force: true }))
    server.listen(join(dir, 'docker.sock'))
    await once(server, 'listening')
    return { engine, url: `unix://${join(dir, 'docker.sock')}` }
  }
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return { engine, url: `${kind === 'https' ? 'https' : 'tcp'}://127.0.0.1:${port}` }
}

function restoreEnv(saved: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
  }
}

function api(url: string, options: Partial<Omit<ClientOptions, 'endpoint'>> = {}): DockerApi {
  return createDockerApi({ endpoint: parseEndpoint(url, options.tls !== undefined), configDir: tmpdir(), timeout: 0, ...options })
}

describe('docker client', () => {
  it.each(['tcp', 'unix'] as const)('reads version, every container and one inspection over %s', async (kind) => {
    const { engine, url } = await startEngine(kind)
    const docker = api(url)
    expect(await docker.version(signal())).toEqual({ Version: '20.10.24', ApiVersion: '1.41' })
    expect(await docker.listContainers(signal())).toEqual([{ Id: 'abc', State: 'running' }])
    expect(await docker.inspect('abc', signal())).toEqual({ Id: 'abc', Name: '/web', State: { Status: 'running' } })
    expect(engine.seen.map((seen) => `${seen.method} ${seen.url}`)).toEqual(['GET /version', 'GET /containers/json?all=true', 'GET /containers/abc/json'])
    expect(docker.endpoint).toBe(url)
  })

  it('answers undefined for a container removed since it was listed', async () => {
    const { url } = await startEngine()
    expect(await api(url).inspect('gone', signal())).toBeUndefined()
  })

  it('names the call and the endpoint in an error the daemon answers', async () => {
    const { engine, url } = await startEngine()
    engine.list = 'fail'
    await expect(api(url).listContainers(signal())).rejects.toThrow(new Error(`listing containers at ${url}: (HTTP code 500) server error - boom`))
  })

  it('names the call and the endpoint when nothing listens there', async () => {
    const { engine, url } = await startEngine()
    await engine.close()
    const port = url.split(':').pop()
    await expect(api(url).version(signal())).rejects.toThrow(new Error(`reading the docker version at ${url}: connect ECONNREFUSED 127.0.0.1:${port}`))
  })

  it('names the socket when no daemon runs on it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'junction-docker-client-'))
    try {
      const path = join(dir, 'docker.sock')
      await expect(api(`unix://${path}`).listContainers(signal())).rejects.toThrow(new Error(`listing containers at unix://${path}: connect ENOENT ${path}`))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('gives up on a call after httpClientTimeout, saying so', async () => {
    const { engine, url } = await startEngine()
    engine.list = 'hang'
    const started = Date.now()
    await expect(api(url, { timeout: 150 }).listContainers(signal())).rejects.toThrow(new Error(`listing containers at ${url}: no answer within httpClientTimeout (150ms)`))
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
  })

  it('never cuts the event stream with httpClientTimeout, and reads its events', async () => {
    const { engine, url } = await startEngine()
    const events = await api(url, { timeout: 100 }).events(signal())
    expect(engine.seen.at(-1)?.url).toBe(`/events?filters=${encodeURIComponent(JSON.stringify({ type: ['container', 'network'] }))}`)
    const received: DockerEvent[] = []
    const reading = (async () => {
      for await (const event of events) {
        received.push(event)
        if (received.length === 2) return
      }
    })()
    engine.send({ Type: 'container', Action: 'start', Actor: { ID: 'abc' } })
    // Three times the timeout with nothing on the stream.
    await new Promise((resolve) => setTimeout(resolve, 300))
    engine.send({ Type: 'container', Action: 'die', Actor: { ID: 'abc' } })
    await reading
    expect(received.map((event) => event.Action)).toEqual(['start', 'die'])
  })

  it('closes the event stream when its signal aborts', async () => {
    const { engine, url } = await startEngine()
    const controller = new AbortController()
    const events = await api(url).events(controller.signal)
    const reading = (async () => {
      for await (const _ of events) void _
    })()
    const response = engine.eventStreams[0]!
    controller.abort()
    await expect(reading).rejects.toThrow()
    await eventually(() => expect(response.socket?.destroyed ?? true).toBe(true))
  })

  it.each([
    { desc: 'both set: basic authentication', username: 'user', password: 'secret', expected: `Basic ${Buffer.from('user:secret').toString('base64')}` },
    { desc: 'a username alone: none', username: 'user', password: '', expected: undefined },
    { desc: 'neither: none', username: '', password: '', expected: undefined },
  ])('authorization header with $desc', async ({ username, password, expected }) => {
    const { engine, url } = await startEngine()
    const docker = api(url, { username, password })
    await docker.version(signal())
    await docker.events(signal())
    expect(engine.seen.map((seen) => seen.authorization)).toEqual([expected, expected])
  })

  it('uses the configured endpoint, not DOCKER_HOST or DOCKER_CLIENT_TIMEOUT from the environment', async () => {
    const { engine, url } = await startEngine('unix')
    const saved = { DOCKER_HOST: process.env['DOCKER_HOST'], DOCKER_CLIENT_TIMEOUT: process.env['DOCKER_CLIENT_TIMEOUT'] }
    Object.assign(process.env, { DOCKER_HOST: 'tcp://127.0.0.1:1', DOCKER_CLIENT_TIMEOUT: '1' })
    try {
      const docker = api(url)
      expect(await docker.listContainers(signal())).toEqual([{ Id: 'abc', State: 'running' }])
    } finally {
      restoreEnv(saved)
    }
    expect(engine.seen).toHaveLength(1)
  })
})

describe('docker client and the environment', () => {
  it('says which endpoint it could not make a client for when docker-modem trips over DOCKER_CERT_PATH', () => {
    const saved = { DOCKER_HOST: process.env['DOCKER_HOST'], DOCKER_CERT_PATH: process.env['DOCKER_CERT_PATH'] }
    const certs = join(tmpdir(), 'junction-no-such-certs')
    Object.assign(process.env, { DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_CERT_PATH: certs })
    try {
      expect(() => api('unix:///run/docker.sock')).toThrow(
        new Error(`creating a docker client for unix:///run/docker.sock: ENOENT: no such file or directory, open '${join(certs, 'ca.pem')}'`),
      )
    } finally {
      restoreEnv(saved)
    }
  })
})

describe('docker client over TLS', () => {
  it('verifies the daemon against tls.ca given as a file, relative to the configuration folder', async () => {
    const { engine, url } = await startEngine('https')
    const dir = await mkdtemp(join(tmpdir(), 'junction-docker-tls-'))
    try {
      await writeFile(join(dir, 'ca.pem'), testCerts.ca)
      const docker = api(url.replace('https://', 'tcp://'), { tls: { ca: 'ca.pem' }, configDir: dir })
      expect(await docker.version(signal())).toEqual({ Version: '20.10.24', ApiVersion: '1.41' })
      expect(engine.seen[0]?.clientCertificate).toBeUndefined()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('presents tls.cert and tls.key given inline', async () => {
    const { engine, url } = await startEngine('https')
    const docker = api(url, { tls: { ca: testCerts.ca, cert: testCerts.cert, key: testCerts.key } })
    await docker.version(signal())
    expect(engine.seen[0]?.clientCertificate).toBe('localhost')
  })

  it('refuses a daemon whose certificate it cannot verify, and accepts it with insecureSkipVerify', async () => {
    const { url } = await startEngine('https')
    await expect(api(url).version(signal())).rejects.toThrow(`reading the docker version at ${url}: unable to verify the first certificate`)
    expect(await api(url, { tls: { insecureSkipVerify: true } }).version(signal())).toEqual({ Version: '20.10.24', ApiVersion: '1.41' })
  })

  it('names the tls field and the file it cannot read', () => {
    const dir = join(tmpdir(), 'junction-no-such-dir')
    expect(() => api('tcp://127.0.0.1:2376', { tls: { cert: 'cert.pem', key: 'key.pem' }, configDir: dir })).toThrow(
      new Error(`providers.docker.tls.cert: reading ${join(dir, 'cert.pem')}: ENOENT: no such file or directory, open '${join(dir, 'cert.pem')}'`),
    )
  })
})
