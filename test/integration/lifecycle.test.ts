import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { singleRouteYaml } from '../support/dynamic.ts'
import { eventually } from '../support/eventually.ts'
import { spawnJunction, type JunctionProcess } from '../support/process.ts'

let dir: string
let junction: JunctionProcess | undefined
let upstream: Server | undefined

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'junction-lifecycle-'))
})

afterEach(async () => {
  junction?.kill()
  junction = undefined
  upstream?.close()
  upstream = undefined
  await rm(dir, { recursive: true, force: true })
})

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false }, (res: IncomingMessage) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
      .on('error', reject)
      .end()
  })
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'))
  })
}

describe('SIGTERM', () => {
  it('stops accepting, lets the in-flight request finish, then exits 0', async () => {
    const held: ServerResponse[] = []
    upstream = createServer((req, res) => {
      if (req.url === '/slow') held.push(res)
      else res.end('fast')
    })
    await new Promise<void>((resolve) => upstream!.listen(0, '127.0.0.1', resolve))
    const upstreamPort = (upstream.address() as AddressInfo).port
    await writeFile(join(dir, 'dynamic.yml'), singleRouteYaml(`http://127.0.0.1:${upstreamPort}`))
    junction = spawnJunction([
      '--entryPoints.web.address=127.0.0.1:0',
      '--entryPoints.web.transport.lifeCycle.graceTimeOut=20s',
      `--providers.file.filename=${join(dir, 'dynamic.yml')}`,
      '--log.level=INFO',
      '--log.format=json',
    ])
    const port = await junction.port('web')
    await eventually(async () => expect(await get(port, '/fast')).toEqual({ status: 200, body: 'fast' }))

    const slow = get(port, '/slow')
    await eventually(() => expect(held).toHaveLength(1))
    junction.child.kill('SIGTERM')
    await eventually(async () => expect(await refused(port)).toBe(true))
    expect(junction.child.exitCode).toBe(null)

    held[0]!.end('finished after SIGTERM')
    expect(await slow).toEqual({ status: 200, body: 'finished after SIGTERM' })
    expect(await junction.exited).toEqual({ code: 0, signal: null })
  })

  it('closes requests still running when graceTimeOut runs out, and exits 0', async () => {
    upstream = createServer(() => {
      // Never answers: the drain must give up at graceTimeOut.
    })
    await new Promise<void>((resolve) => upstream!.listen(0, '127.0.0.1', resolve))
    const upstreamPort = (upstream.address() as AddressInfo).port
    await writeFile(join(dir, 'dynamic.yml'), singleRouteYaml(`http://127.0.0.1:${upstreamPort}`))
    junction = spawnJunction([
      '--entryPoints.web.address=127.0.0.1:0',
      '--entryPoints.web.transport.lifeCycle.graceTimeOut=300ms',
      `--providers.file.filename=${join(dir, 'dynamic.yml')}`,
      '--log.level=INFO',
      '--log.format=json',
    ])
    const port = await junction.port('web')
    await eventually(() => expect(junction!.logs.some((log) => String(log['msg']).includes('generation 1'))).toBe(true))
    const arrived = new Promise<void>((resolve) => upstream!.once('request', () => resolve()))
    const hanging = get(port, '/hang').then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    )
    await arrived
    junction.child.kill('SIGTERM')
    // The upstream never answers: exiting at all means graceTimeOut ended the wait.
    expect(await junction.exited).toEqual({ code: 0, signal: null })
    expect(await hanging).toBe('ECONNRESET')
  })
})

describe('static configuration', () => {
  it('exits 1 before binding any port, listing every problem', async () => {
    // Hold a port: if junction tried to bind it, the error would be EADDRINUSE, not the list.
    const holder = createServer()
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    const held = (holder.address() as AddressInfo).port
    try {
      await writeFile(join(dir, 'static.yml'), `entryPoints:\n  web:\n    address: "127.0.0.1:${held}"\n  admin:\n    address: ":80a"\nlog:\n  level: LOUD\n`)
      junction = spawnJunction([`--configFile=${join(dir, 'static.yml')}`, '--entryPoints.web.transport.respondingTimeouts.readTimeout=soon'])
      const { code } = await junction.exited
      expect(code).toBe(1)
      const stderr = junction.stderr()
      expect(stderr).toContain('entryPoints.admin.address: invalid port "80a"')
      expect(stderr).toContain('log.level')
      expect(stderr).toContain('entryPoints.web.transport.respondingTimeouts.readTimeout')
      expect(stderr).not.toContain('EADDRINUSE')
    } finally {
      holder.close()
    }
  })

  it('exits 1 naming the entry point when its address is taken', async () => {
    const holder = createServer()
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    const held = (holder.address() as AddressInfo).port
    try {
      junction = spawnJunction([`--entryPoints.web.address=127.0.0.1:${held}`])
      expect((await junction.exited).code).toBe(1)
      expect(junction.stderr()).toBe(`entry point web: listening on 127.0.0.1:${held}: listen EADDRINUSE: address already in use 127.0.0.1:${held}\n`)
    } finally {
      holder.close()
    }
  })
})
