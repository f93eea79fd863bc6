import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { load as parseYaml } from 'js-yaml'
import { afterAll, describe, expect, it } from 'vitest'
import type { RuntimeReport } from '../../../src/config/report.ts'
import { applySnapshots } from '../../../src/engine/apply.ts'
import { buildDependencies, emptyTable } from '../../support/build-deps.ts'

const reference = join(import.meta.dirname, '..', 'config', 'reference', 'traefik-v3-dynamic.yml')
const golden = join(import.meta.dirname, 'fixtures', 'reference-report.expected.json')
const deps = buildDependencies(['web', 'websecure'])

afterAll(() => deps.http.close())

/** Status and messages of every object, section by section; sections with nothing in them left out. */
function statuses(report: RuntimeReport): Record<string, Record<string, { status: string; errors: string[] }>> {
  const out: Record<string, Record<string, { status: string; errors: string[] }>> = {}
  for (const [section, entries] of Object.entries(report)) {
    if (section === 'generation' || section === 'providers' || typeof entries !== 'object') continue
    const objects = Object.entries(entries as Record<string, { status: string; errors: string[] }>)
    if (objects.length > 0) out[section] = Object.fromEntries(objects.map(([name, entry]) => [name, { status: entry.status, errors: entry.errors }]))
  }
  return out
}

describe("Traefik's whole dynamic configuration model", () => {
  // Golden file: every object of the reference, what Junction does with it and why. An object whose
  // options are all honoured is `enabled`; one that sets something not honoured yet says so (a warning,
  // or `disabled` when it could not do what it is for). Regenerate with UPDATE_GOLDEN=1 and read the diff.
  it('is reported object by object, never silently dropped', async () => {
    const config = parseYaml(readFileSync(reference, 'utf8')) as Record<string, unknown>
    const { table } = applySnapshots(new Map([['file', { config, problems: [] }]]), emptyTable(), deps)
    const got = statuses(table.report)
    await table.dispose()
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, `${JSON.stringify(got, null, 2)}\n`)
    expect(got).toEqual(JSON.parse(readFileSync(golden, 'utf8')))
  })
})
