import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { clean, cleanUp, routersConfig, routersYaml, start, tempDir, writeFiles } from './harness.ts'

afterEach(cleanUp)

const staticPart = 'entryPoints:\n  web:\n    address: ":8000"\nlog:\n  level: DEBUG\nproviders:\n  file:\n    filename: traefik.yml\n'

describe('file provider: the static configuration file', () => {
  it('takes only the dynamic sections of the static configuration file', async () => {
    const root = await tempDir()
    await writeFiles(root, { 'traefik.yml': staticPart + routersYaml('a') })
    const run = start({ filename: join(root, 'traefik.yml'), watch: false, staticConfigFile: join(root, 'traefik.yml') })
    await run.done
    expect(run.snapshots).toEqual([clean(routersConfig('a'))])
  })

  it('takes the whole of every other file, so a static section there is still reported by the validation', async () => {
    const root = await tempDir()
    await writeFiles(root, { 'traefik.yml': staticPart + routersYaml('a'), 'other.yml': staticPart.replace('web', 'other') + routersYaml('b') })
    const run = start({ directory: root, watch: false, staticConfigFile: join(root, 'traefik.yml') })
    await run.done
    const [snapshot] = run.snapshots
    expect(snapshot?.problems).toEqual([])
    expect(Object.keys(snapshot?.config ?? {}).sort()).toEqual(['entryPoints', 'http', 'log', 'providers'])
    expect(snapshot?.config['http']).toEqual(routersConfig('a', 'b')['http'])
  })
})
