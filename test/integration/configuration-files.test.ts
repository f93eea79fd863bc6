import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseConfigFile } from '../../src/config/parse-document.ts'
import { eventually } from '../support/eventually.ts'
import { httpGet } from '../support/http-get.ts'
import { spawnJunction, type JunctionProcess } from '../support/process.ts'
import { startUpstream, type Upstream } from '../support/upstream.ts'

let dir: string
let junction: JunctionProcess | undefined
let upstream: Upstream | undefined

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'junction-config-files-'))
})

afterEach(async () => {
  junction?.kill()
  junction = undefined
  await upstream?.close()
  upstream = undefined
  await rm(dir, { recursive: true, force: true })
})

/** A router named after its path prefix, to the service `app`. */
function routerYaml(prefix: string): string {
  return `http:\n  routers:\n    ${prefix}:\n      rule: "PathPrefix(\`/${prefix}\`)"\n      service: app\n`
}

function serviceYaml(url: string): string {
  return `  services:\n    app:\n      loadBalancer:\n        servers:\n          - url: "${url}"\n`
}

/** The path the upstream saw, from its echo; or the status when Junction answered itself. */
async function reached(port: number, path: string): Promise<string | number> {
  const { status, body } = await httpGet(port, path)
  return status === 200 ? (JSON.parse(body) as { url: string }).url : status
}

/** Log lines at WARN or above (pino's 40). */
function warnings(lines: ReadonlyArray<Record<string, unknown>>): Array<Record<string, unknown>> {
  return lines.filter((line) => typeof line['level'] === 'number' && line['level'] >= 40)
}

describe('one file for the static and the dynamic configuration', () => {
  it('serves the dynamic sections of the static file that providers.file.filename names, and applies edits to them', async () => {
    upstream = await startUpstream()
    const path = join(dir, 'traefik.yml')
    const staticPart = [
      'entryPoints:',
      '  web:',
      '    address: "127.0.0.1:0"',
      'providers:',
      '  providersThrottleDuration: 0s',
      '  file:',
      '    filename: traefik.yml',
      'log:',
      '  level: INFO',
      '  format: json',
      '',
    ].join('\n')
    await writeFile(path, staticPart + routerYaml('one') + serviceYaml(upstream.url))
    junction = spawnJunction([`--configFile=${path}`])
    const port = await junction.port('web')
    await eventually(async () => expect(await reached(port, '/one')).toBe('/one'))
    expect(await reached(port, '/two')).toBe(404)

    await writeFile(path, staticPart + routerYaml('two') + serviceYaml(upstream.url))
    await eventually(async () => expect(await reached(port, '/two')).toBe('/two'))
    expect(await reached(port, '/one')).toBe(404)
    // Neither side complained about the other's sections.
    expect(warnings(junction.logs)).toEqual([])
    expect(junction.stderr()).toBe('')
  })
})

describe('a providers.file.filename that cannot be read', () => {
  it.each([
    {
      desc: 'an unsupported extension',
      name: 'dynamic.json',
      setup: (path: string) => writeFile(path, '{}'),
      expected: (path: string) =>
        `providers.file.filename ${path}: unsupported file extension ".json"; the file provider reads .yml, .yaml and .toml files; the file provider does not start`,
      fix: undefined,
    },
    {
      desc: 'a missing file',
      name: 'missing.yml',
      setup: async () => undefined,
      expected: (path: string) => `reading ${path}: ENOENT: no such file or directory, stat '${path}'; nothing is read from it until it appears`,
      fix: (path: string, url: string) => writeFile(path, routerYaml('late') + serviceYaml(url)),
    },
    {
      desc: 'a file that does not parse',
      name: 'broken.yml',
      setup: (path: string) => writeFile(path, 'http:\n  routers: [\n'),
      expected: (path: string) => {
        const parsed = parseConfigFile({ path, content: 'http:\n  routers: [\n' })
        return parsed.ok ? 'parsed' : parsed.problem.message
      },
      fix: (path: string, url: string) => writeFile(path, routerYaml('late') + serviceYaml(url)),
    },
    {
      desc: 'a folder where the file should be',
      name: 'folder.yml',
      setup: (path: string) => mkdir(path),
      expected: (path: string) => `reading ${path}: not a regular file; nothing is read from it until it appears`,
      fix: undefined,
    },
  ])('does not stop Junction for $desc: an error names the file and why, and every request gets 404', async ({ name, setup, expected, fix }) => {
    upstream = await startUpstream()
    const path = join(dir, name)
    await setup(path)
    junction = spawnJunction([
      '--entryPoints.web.address=127.0.0.1:0',
      `--providers.file.filename=${path}`,
      '--providers.providersThrottleDuration=0s',
      '--log.level=INFO',
      '--log.format=json',
    ])
    const port = await junction.port('web')
    await eventually(() => expect(junction!.logs.filter((line) => line['level'] === 50)).toEqual([expect.objectContaining({ msg: expected(path), file: path })]))
    await eventually(() => expect(junction!.logs.some((line) => line['msg'] === 'configuration generation 1 is live')).toBe(true))
    expect(await reached(port, '/late')).toBe(404)
    expect(junction.child.exitCode).toBe(null)
    expect(junction.stderr()).toBe('')
    if (fix === undefined) return
    // Watched as Traefik watches it: once fixed, it applies.
    await fix(path, upstream.url)
    await eventually(async () => expect(await reached(port, '/late')).toBe('/late'))
  })
})

/** The complete JSON lines of a log file so far (a line still being written is left out). */
async function logLines(path: string): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(path, 'utf8').catch(() => '')
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

describe('the file provider and Junction\'s own log', () => {
  it.each(['junction.log', 'junction-log.yml'])('never reads nor wakes on its own log %s, written at DEBUG inside the watched folder', async (logName) => {
    const dynamic = join(dir, 'dynamic')
    await mkdir(dynamic)
    await writeFile(join(dynamic, 'a.yml'), routerYaml('a') + serviceYaml('http://127.0.0.1:9'))
    const logPath = join(dynamic, logName)
    junction = spawnJunction([
      '--entryPoints.web.address=127.0.0.1:0',
      `--providers.file.directory=${dynamic}`,
      '--providers.providersThrottleDuration=0s',
      '--log.level=DEBUG',
      '--log.format=json',
      `--log.filePath=${logPath}`,
    ])
    const live = (generation: number): Promise<void> =>
      eventually(async () => expect((await logLines(logPath)).some((line) => line['msg'] === `configuration generation ${generation} is live`)).toBe(true))
    // Generation 1 is logged once the watch is in place: with the log counted as a change, its line alone would wake the provider.
    await live(1)
    await writeFile(join(dynamic, 'b.yml'), routerYaml('b'))
    await live(2)
    await writeFile(join(dynamic, 'c.yml'), routerYaml('c'))
    await live(3)

    const lines = await logLines(logPath)
    expect(lines.filter((line) => String(line['msg']).startsWith('re-reading ')).map((line) => line['changed'])).toEqual([[join(dynamic, 'b.yml')], [join(dynamic, 'c.yml')]])
    expect(lines.filter((line) => String(line['msg']).startsWith('configuration generation ')).map((line) => line['generation'])).toEqual([1, 2, 3])
    expect(warnings(lines)).toEqual([])
  })
})
