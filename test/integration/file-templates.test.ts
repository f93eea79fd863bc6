import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.ts'
import { httpGet } from '../support/http-get.ts'
import { spawnJunction, type JunctionProcess } from '../support/process.ts'
import { startUpstream, type Upstream } from '../support/upstream.ts'

let dir: string
let junction: JunctionProcess | undefined
let upstream: Upstream | undefined

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'junction-file-templates-'))
})

afterEach(async () => {
  junction?.kill()
  await junction?.exited
  junction = undefined
  await upstream?.close()
  upstream = undefined
  await rm(dir, { recursive: true, force: true })
})

/** Three routers from one `range`, each on its own path prefix, to one service whose URL comes from the environment. */
function templated(count: number): string {
  return [
    'http:',
    '  routers:',
    `  {{- range $i, $e := until ${count} }}`,
    '    r{{ $e }}:',
    '      rule: "PathPrefix(`/r{{ $e }}`)"',
    '      service: app',
    '  {{- end }}',
    '  services:',
    '    app:',
    '      loadBalancer:',
    '        servers:',
    '          - url: {{ env "UPSTREAM_URL" | quote }}',
    '',
  ].join('\n')
}

/** The path the upstream saw (from its echo), or the status Junction answered itself. */
async function reached(port: number, path: string): Promise<string | number> {
  const { status, body } = await httpGet(port, path)
  return status === 200 ? (JSON.parse(body) as { url: string }).url : status
}

describe('a templated dynamic file through the junction command', () => {
  it('routes to every router a range creates, keeps them through a template error, and logs what the template rendered', async () => {
    upstream = await startUpstream()
    const path = join(dir, 'dynamic.yml')
    await writeFile(path, templated(3))
    junction = spawnJunction(
      [
        '--entryPoints.web.address=127.0.0.1:0',
        `--providers.file.filename=${path}`,
        '--providers.file.debugLogGeneratedTemplate=true',
        '--providers.providersThrottleDuration=0s',
        '--log.format=json',
        '--log.level=DEBUG',
      ],
      { cwd: dir, env: { UPSTREAM_URL: upstream.url } },
    )
    const port = await junction.port('web')
    await eventually(async () => expect(await reached(port, '/r0/hello')).toBe('/r0/hello'))
    expect([await reached(port, '/r1'), await reached(port, '/r2'), await reached(port, '/r3')]).toEqual(['/r1', '/r2', 404])
    expect(junction.logs.find((line) => line['file'] === path && String(line['msg']).startsWith(`template ${path} rendered:`))?.['msg']).toContain(
      `    r2:\n      rule: "PathPrefix(\`/r2\`)"\n      service: app\n  services:`,
    )

    // A template error: reported, naming the file and the position; the three routers stay.
    await writeFile(path, templated(3).replace('until 3', 'until "3"'))
    const message = `template ${path}: line 3, column 23: executing at <until "3">: wrong type for argument 1 of until: expected int, got string`
    await eventually(() => expect(junction?.logs.filter((line) => Number(line['level']) >= 40).map((line) => line['msg'])).toContain(message))
    expect([await reached(port, '/r0'), await reached(port, '/r2')]).toEqual(['/r0', '/r2'])

    // Fixed, with one router more.
    await writeFile(path, templated(4))
    await eventually(async () => expect(await reached(port, '/r3')).toBe('/r3'))
    expect(junction.stderr()).toBe('')
  })
})
