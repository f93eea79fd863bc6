import { afterEach, describe, expect, it } from 'vitest'
import { startJunction, type TestJunction } from '../support/junction.ts'
import { startUpstream, type Upstream } from '../support/upstream.ts'
import { send } from './services/harness.ts'

let junction: TestJunction | undefined
let server: Upstream | undefined

afterEach(async () => {
  await junction?.stop()
  await server?.close()
})

function routes(router: Record<string, unknown>, url: string) {
  return { http: { routers: { legacy: { service: 'app', ...router } }, services: { app: { loadBalancer: { servers: [{ url }] } } } } }
}

describe('ruleSyntax', () => {
  it.each([
    { desc: 'a router that asks for v2', flags: [], router: { rule: 'Host(`a.test`, `b.test`) && PathPrefix(`/x`, `/y`)', ruleSyntax: 'v2' } },
    { desc: 'core.defaultRuleSyntax v2 for a router that names none', flags: ['--core.defaultRuleSyntax=v2'], router: { rule: 'Host(`a.test`, `b.test`) && PathPrefix(`/x`, `/y`)' } },
  ])('routes v2 rules for $desc', async ({ flags, router }) => {
    server = await startUpstream()
    junction = await startJunction({ flags, initial: routes(router, server.url) })
    await junction.write(routes({ ...router, priority: 1 }, server.url))
    const status = async (host: string, path: string) => (await send(junction!.url(), path, { headers: { host } })).status
    expect([await status('a.test', '/x/1'), await status('b.test', '/y'), await status('c.test', '/x'), await status('a.test', '/z')]).toEqual([200, 200, 404, 404])
  })

  it('keeps v3 for a router that says default even when the static default is v2', async () => {
    server = await startUpstream()
    junction = await startJunction({ flags: ['--core.defaultRuleSyntax=v2'] })
    const table = await junction.write(routes({ rule: 'Host(`a.test`, `b.test`)', ruleSyntax: 'default' }, server.url))
    expect(table.report.routers['legacy@file']?.errors[0]).toMatch(/^router legacy@file: rule "Host\(`a.test`, `b.test`\)": Host takes 1 argument, got 2 at column 1/)
  })
})
