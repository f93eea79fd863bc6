import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeDocker, dockerStatus, freePort, uniqueId } from '../support/docker.ts'
import { findExecutable } from '../support/docker-daemon.ts'
import { eventually } from '../support/eventually.ts'
import { httpGet } from '../support/http-get.ts'
import { repoRoot, spawnJunction, type JunctionProcess } from '../support/process.ts'

const run = promisify(execFile)
const example = join(repoRoot, 'examples', 'docker')

// Boots examples/docker as its README says: Junction on the host with the example's junction.yml, and
// `docker-compose up -d` on its compose.yml. Only the ports move (to free ones, through the variables the
// compose file reads, and an entry point on port 0), the image is the suite's busybox (BUSYBOX_IMAGE: no
// registry is reachable here), and a constraint keeps this Junction to this run's Compose project.
describeDocker('examples/docker', () => {
  const project = `junction-example-${uniqueId()}`
  let junction: JunctionProcess
  let env: Record<string, string>

  const compose = async (...args: string[]): Promise<void> => {
    const binary = await findExecutable('docker-compose')
    if (binary === undefined) throw new Error('docker-compose is missing: apt-get install docker-compose')
    await run(binary, ['-p', project, '-f', join(example, 'compose.yml'), ...args], { env, cwd: example, timeout: 120_000 })
  }
  const get = async (path: string): Promise<string | number> => {
    const { status, body } = await httpGet(await junction.port('web'), path, { host: 'web.localhost' })
    return status === 200 ? body : status
  }

  beforeAll(async () => {
    const [web, api] = await Promise.all([freePort(), freePort()])
    env = { PATH: process.env['PATH'] ?? '', BUSYBOX_IMAGE: dockerStatus().image, WEB_PORT: String(web), API_PORT: String(api) }
    junction = spawnJunction([
      `--configFile=${join(example, 'junction.yml')}`,
      '--entryPoints.web.address=127.0.0.1:0',
      '--providers.providersThrottleDuration=100ms',
      `--providers.docker.constraints=Label(\`com.docker.compose.project\`, \`${project}\`)`,
      '--log.format=json',
    ])
    await junction.port('web')
    await compose('up', '-d')
  }, 180_000)

  afterAll(async () => {
    junction?.kill()
    await compose('down', '--timeout', '1')
  }, 120_000)

  it('routes web.localhost to the web service', async () => {
    await eventually(async () => expect(await get('/')).toBe('hello from web\n'), { timeout: 10_000 })
  })

  it('routes web.localhost/api to the api service, the prefix stripped', async () => {
    await eventually(async () => expect(await get('/api/index.html')).toBe('hello from api\n'), { timeout: 10_000 })
  })

  it('no longer routes a service Compose stopped', async () => {
    await eventually(async () => expect(await get('/api/index.html')).toBe('hello from api\n'), { timeout: 10_000 })
    await compose('stop', '--timeout', '1', 'api')
    // Without the api router, /api/index.html falls to the web router, whose server has no such file.
    await eventually(async () => expect(await get('/api/index.html')).toBe(404), { timeout: 5_000 })
    expect(await get('/')).toBe('hello from web\n')
  })
})
