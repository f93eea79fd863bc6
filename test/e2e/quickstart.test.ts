import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.ts'
import { repoRoot } from '../support/process.ts'

const example = join(repoRoot, 'examples', 'quickstart')
let dir: string
let child: ChildProcess
let output = ''
let port: number

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port: free } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return free
}

function get(path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (data: string) => (body += data))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
      .on('error', reject)
      .end()
  })
}

/**
 * Boots examples/quickstart exactly as `npm run quickstart` does, except for
 * ports: the whoami servers and the entry point move to free ones, through
 * the example's own overrides (WHOAMI_PORTS, extra junction flags).
 */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'junction-quickstart-'))
  const whoami = [await freePort(), await freePort()]
  await cp(join(example, 'dynamic'), dir, { recursive: true })
  for (const file of await readdir(dir)) {
    const text = await readFile(join(dir, file), 'utf8')
    await writeFile(join(dir, file), text.replace('127.0.0.1:8081', `127.0.0.1:${whoami[0]}`).replace('127.0.0.1:8082', `127.0.0.1:${whoami[1]}`))
  }
  child = spawn(
    process.execPath,
    [join(example, 'start.ts'), '--entryPoints.web.address=127.0.0.1:0', `--providers.file.directory=${dir}`],
    { env: { PATH: process.env['PATH'] ?? '', WHOAMI_PORTS: whoami.join(',') }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  child.stdout?.setEncoding('utf8').on('data', (data: string) => (output += data))
  child.stderr?.setEncoding('utf8').on('data', (data: string) => (output += data))
  port = await eventually(() => {
    const match = /entry point web listening.*address="[^"]*:(\d+)"/.exec(output)
    if (!match) throw new Error(`not listening yet: ${output}`)
    return Number(match[1])
  }, { timeout: 15_000 })
  await eventually(async () => expect((await get('/')).status).toBe(200))
})

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL')
  await rm(dir, { recursive: true, force: true })
})

describe('examples/quickstart', () => {
  it('balances the two whoami servers', async () => {
    const names = []
    for (let i = 0; i < 4; i++) names.push(/^Name: (.*)$/m.exec((await get('/hello')).body)?.[1])
    // Equal weights alternate; where the cycle starts depends on the warm-up requests.
    const first = names[0] === 'whoami-1' ? ['whoami-1', 'whoami-2'] : ['whoami-2', 'whoami-1']
    expect(names).toEqual([...first, ...first])
  })

  it('strips /api and tags the response on the api router', async () => {
    const response = await get('/api/users')
    expect(response.body).toContain('GET /users HTTP/1.1')
    expect(response.body).toContain('x-forwarded-prefix: /api')
    expect(response.headers['x-served-by']).toBe('junction')
  })

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM')
    const [code] = await once(child, 'exit')
    expect(code).toBe(0)
  })
})
