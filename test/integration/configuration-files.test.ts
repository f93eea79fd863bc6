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
