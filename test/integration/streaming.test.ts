import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { singleRouteYaml } from '../support/dynamic.ts'
import { eventually } from '../support/eventually.ts'
import { spawnJunction, type JunctionProcess } from '../support/process.ts'
import { generatedBody, startUpstream, type Upstream } from '../support/upstream.ts'

const size = 100 * 1024 * 1024

let dir: string
let upstream: Upstream
let junction: JunctionProcess
let port: number

function counter(): { sink: Writable; count: () => number } {
  let count = 0
  const sink = new Writable({
    write(data: Buffer, _encoding, done) {
      count += data.length
      done()
    },
  })
  return { sink, count: () => count }
}

/** Resident and peak resident memory of a process, in bytes, from /proc. */
async function memory(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const field = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1]) * 1024
  return { rss: field('VmRSS'), peak: field('VmHWM') }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'junction-stream-'))
  upstream = await startUpstream()
  await writeFile(join(dir, 'dynamic.yml'), singleRouteYaml(upstream.url))
  junction = spawnJunction(['--entryPoints.web.address=127.0.0.1:0', `--providers.file.filename=${join(dir, 'dynamic.yml')}`, '--log.level=INFO', '--log.format=json'])
  port = await junction.port('web')
  await eventually(() => new Promise<void>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/count', method: 'POST' }, (res) => {
      res.resume()
      if (res.statusCode === 200) resolve()
      else reject(new Error(`status ${res.statusCode}`))
    }).on('error', reject).end('warm')
  }))
})

afterAll(async () => {
  junction.kill()
  await upstream.close()
  await rm(dir, { recursive: true, force: true })
})

function upload(): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/count', method: 'POST', headers: { 'content-length': size } }, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (data: string) => (text += data))
      res.on('end', () => resolve(text))
    })
    req.on('error', reject)
    pipeline(generatedBody(size), req).catch(reject)
  })
}

function download(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: `/download/${size}` }, (res) => {
      const { sink, count } = counter()
      pipeline(res, sink).then(() => resolve(count()), reject)
    })
      .on('error', reject)
      .end()
  })
}

describe('streaming', () => {
  it('streams 100 MB uploads and downloads: past the first, two more of each grow the proxy by less than 50 MB', async () => {
    const pid = junction.child.pid as number
    // A cold Node process collects socket buffers only once 64 MB of external
    // memory has piled up (V8's external-allocation soft limit), so its first
    // 100 MB each way peaks about 80 MB higher whatever the proxy: measured
    // here, Junction +82 MB, the minimal node:http proxy of test/bench +86 MB.
    // That slack is paid once. A proxy that buffered would grow by the body
    // size on every transfer, so the growth is measured over the two rounds
    // that follow a first one.
    expect(await upload()).toBe(JSON.stringify({ bytes: size }))
    expect(await download()).toBe(size)
    // Resets the peak (VmHWM) to the current RSS (proc(5), clear_refs).
    await writeFile(`/proc/${pid}/clear_refs`, '5')
    const before = await memory(pid)

    for (let round = 0; round < 2; round++) {
      expect(await upload()).toBe(JSON.stringify({ bytes: size }))
      expect(await download()).toBe(size)
    }

    const after = await memory(pid)
    expect(after.peak - before.rss).toBeLessThan(50 * 1024 * 1024)
  })
})
