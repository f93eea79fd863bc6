import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { applySnapshots } from '../../../../src/engine/apply.ts'
import type { Snapshot } from '../../../../src/provider-plugin.ts'
import { buildDependencies, emptyTable } from '../../../support/build-deps.ts'

const deps = buildDependencies()
afterAll(() => deps.http.close())

/** The status and errors the engine reports for the objects of a builder fixture's snapshot, under the provider `docker`. */
async function reported(fixture: string, section: 'routers' | 'services', names: readonly string[]): Promise<unknown[]> {
  const snapshot = JSON.parse(readFileSync(new URL(`./fixtures/${fixture}.expected.json`, import.meta.url), 'utf8')) as Snapshot
  const { table } = applySnapshots(new Map([['docker', snapshot]]), emptyTable(), deps)
  await table.dispose()
  const entries = table.report[section] as Record<string, { status: string; errors: string[] }>
  return names.map((name) => [name, entries[name]?.status, entries[name]?.errors])
}

describe('what the engine makes of the docker builder\'s snapshots', () => {
  it('serves a weighted canary declared from labels across two containers', async () => {
    expect(await reported('weighted-failover-mirroring', 'services', ['app@docker', 'app-v1@docker', 'app-v2@docker'])).toEqual([
      ['app@docker', 'enabled', []],
      ['app-v1@docker', 'enabled', []],
      ['app-v2@docker', 'enabled', []],
    ])
    expect(await reported('weighted-failover-mirroring', 'routers', ['app@docker'])).toEqual([['app@docker', 'enabled', []]])
  })

  it('keeps the empty service of an unhealthy container (allowEmptyServices) enabled', async () => {
    expect(await reported('allow-empty-services', 'services', ['unhealthy@docker'])).toEqual([['unhealthy@docker', 'enabled', []]])
  })
})
