import { mkdtemp, rm, writeFile } from 'node:fs/promises'
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
  // How much memory a transfer costs is a benchmark figure (test/bench, streaming scenario), side by side with other proxies.
  it('streams 100 MB uploads and downloads whole, several in a row, through the junction command', async () => {
    for (let round = 0; round < 2; round++) {
      expect(await upload()).toBe(JSON.stringify({ bytes: size }))
      expect(await download()).toBe(size)
    }
  })
})
