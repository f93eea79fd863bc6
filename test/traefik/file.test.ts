/**
 * Traefik's FileSuite (integration/file_test.go), ported as black-box tests
 * of the real `junction` command. The fixtures are Traefik's
 * (integration/fixtures/file/), inline, with three changes: the entry point
 * listens on 127.0.0.1:0 instead of :8000; servers on Docker addresses
 * (172.17.0.x, whoami containers the tests never request) and on port 80
 * become ports on 127.0.0.1 where nothing listens; `{{ .SelfFilename }}`,
 * which Traefik's `adaptFile` fills in, is the file's path.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.ts'
import { freePort } from '../support/example.ts'
import { httpGet } from '../support/http-get.ts'
import { spawnJunction, type JunctionProcess } from '../support/process.ts'

let dir: string
let junction: JunctionProcess | undefined

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'junction-traefik-file-'))
})

afterEach(async () => {
  junction?.kill()
  junction = undefined
  await rm(dir, { recursive: true, force: true })
})

/** Traefik's fixtures log at DEBUG in its own format; the port reads JSON lines to find the entry point's port. */
const jsonLogs = '--log.format=json'

/** Traefik's `try.GetRequest(url, 1s, StatusCodeIs(code))`: poll until the status is the one expected. */
async function statusBecomes(port: number, path: string, expected: number, headers: Record<string, string> = {}): Promise<void> {
  await eventually(async () => expect((await httpGet(port, path, headers)).status).toBe(expected), { timeout: 5000 })
}

const staticHead = `[global]
  checkNewVersion = false
  sendAnonymousUsage = false

[log]
  level = "DEBUG"
  noColor = true

[entryPoints]
  [entryPoints.web]
    address = "127.0.0.1:0"
`

describe('FileSuite', () => {
  it('TestSimpleConfiguration: one file holds the static and the dynamic configuration; nothing matches /', async () => {
    const closed = [await freePort(), await freePort()]
    const path = join(dir, 'simple.toml')
    await writeFile(
      path,
      `${staticHead}
[providers.file]
  filename = "${path}"

## dynamic configuration ##

[http.routers]
  [http.routers.router1]
    rule = "Host(\`test.localhost\`)"
    service = "service2"

  [http.routers.router2]
    rule = "Path(\`/test\`)"
    middlewares = ["circuitbreaker"]
    service = "service1"

[http.middlewares]
  [http.middlewares.circuitbreaker.circuitBreaker]
    expression = "NetworkErrorRatio() > 0.5"

[http.services]
  [http.services.service1.loadBalancer]
    [[http.services.service1.loadBalancer.servers]]
      url = "http://127.0.0.1:${closed[0]}"
    [[http.services.service1.loadBalancer.servers]]
      url = "http://127.0.0.1:${closed[0]}"

  [http.services.service2]
    [http.services.service2.loadBalancer]
      [[http.services.service2.loadBalancer.servers]]
        url = "http://127.0.0.1:${closed[1]}"
      [[http.services.service2.loadBalancer.servers]]
        url = "http://127.0.0.1:${closed[1]}"
`,
    )
    junction = spawnJunction([`--configFile=${path}`, jsonLogs])
    const port = await junction.port('web')

    // Expected a 404 as we did not configure anything (Traefik's words: nothing matches /).
    await statusBecomes(port, '/', 404)
    // Not in Traefik's test: router1, from the same file, is live (its servers refuse: 502).
    await statusBecomes(port, '/', 502, { host: 'test.localhost' })
    expect(junction.child.exitCode).toBe(null)
  })

  it('TestSimpleConfigurationNoPanic: a filename Traefik never filled in (#56) leaves the file provider stopped, and Junction serves 404', async () => {
    const path = join(dir, '56-simple-panic.toml')
    await writeFile(path, `${staticHead}
[providers.file]
  filename = "{{ .SelfFilename }}"
`)
    junction = spawnJunction([`--configFile=${path}`, jsonLogs])
    const port = await junction.port('web')

    // Expected a 404 as we did not configure anything.
    await statusBecomes(port, '/', 404)
    const filename = join(dir, '{{ .SelfFilename }}')
    expect(junction.logs.filter((line) => line['level'] === 50)).toEqual([
      expect.objectContaining({
        file: filename,
        msg: `providers.file.filename ${filename}: unsupported file extension ".selffilename }}"; the file provider reads .yml, .yaml and .toml files; the file provider does not start`,
      }),
    ])
    expect(junction.child.exitCode).toBe(null)
  })

  it('TestDirectoryConfiguration: every file of the directory applies; /test matches nothing, /test2 has no reachable server', async () => {
    const closed = [await freePort(), await freePort()]
    const path = join(dir, 'directory.toml')
    await writeFile(path, `${staticHead}
[providers]
  [providers.file]
    directory = "dir/"
`)
    await mkdir(join(dir, 'dir'))
    await writeFile(
      join(dir, 'dir', 'simple1.toml'),
      `[http.routers]
  [http.routers.router1]
    rule = "Path(\`/test1\`)"
    service = "service1"

[http.services]
  [http.services.service1.loadBalancer]
    [[http.services.service1.loadBalancer.servers]]
      url = "http://127.0.0.1:${closed[0]}"
`,
    )
    await writeFile(
      join(dir, 'dir', 'simple2.toml'),
      `[http.routers]
  [http.routers.router2]
    rule = "Path(\`/test2\`)"
    service = "service2"

[http.services]
  [http.services.service2.loadBalancer]
    [[http.services.service2.loadBalancer.servers]]
      url = "http://127.0.0.1:${closed[1]}"
`,
    )
    junction = spawnJunction([`--configFile=${path}`, jsonLogs])
    const port = await junction.port('web')

    // Expected a 404 as we did not configure anything at /test.
    await statusBecomes(port, '/test', 404)
    // Expected a 502 as there is no backend server.
    await statusBecomes(port, '/test2', 502)
  })
})
