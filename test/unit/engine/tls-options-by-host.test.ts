import { afterAll, describe, expect, it } from 'vitest'
import { applySnapshots } from '../../../src/engine/apply.ts'
import { buildDependencies, emptyTable } from '../../support/build-deps.ts'

const deps = buildDependencies()
afterAll(() => deps.http.close())

/** Builds one generation where `mtls` routers and `plain` routers share the host a.test; returns the table. */
async function build(mtls: number, plain: number) {
  const routers: Record<string, unknown> = {}
  for (let i = 0; i < mtls; i++) routers[`m${i}`] = { rule: `Host(\`a.test\`) && Path(\`/m${i}\`)`, service: 'app', tls: { options: 'mtls' } }
  for (let i = 0; i < plain; i++) routers[`p${i}`] = { rule: `Host(\`a.test\`) && Path(\`/p${i}\`)`, service: 'app', tls: {} }
  routers['other'] = { rule: 'Host(`b.test`)', service: 'app', tls: { options: 'mtls' } }
  const config = {
    http: { routers, services: { app: { loadBalancer: { servers: [{ url: 'http://127.0.0.1:1' }] } } } },
    tls: { options: { mtls: { minVersion: 'VersionTLS13' } } },
  }
  const { table } = applySnapshots(new Map([['file', { config, problems: [] }]]), emptyTable(), deps)
  await table.dispose()
  return table
}

describe('TLS options by SNI host', () => {
  it('maps each host to the options its routers ask; a conflict leaves the host on default, with a warning on each router', async () => {
    const table = await build(1, 2)
    expect([...(table.entryPoints.get('web')?.tlsOptions ?? [])]).toEqual([['b.test', 'mtls@file']])
    const warning = 'routers ask different tls options for host a.test on entry point web: m0@file (mtls@file); p0@file, p1@file (default); default is used for it'
    for (const router of ['m0@file', 'p0@file', 'p1@file']) expect(table.report.routers[router]?.errors).toEqual([`router ${router}: ${warning}`])
    expect(table.report.routers['other@file']?.errors).toEqual([])
  })

  it('names at most three routers per set of options, so a large conflict costs a bounded message per router', async () => {
    const table = await build(1, 5)
    const warning = 'routers ask different tls options for host a.test on entry point web: m0@file (mtls@file); p0@file, p1@file, p2@file and 2 more (default); default is used for it'
    expect(table.report.routers['p4@file']?.errors).toEqual([`router p4@file: ${warning}`])
  })
})
