import { readFile } from 'node:fs/promises'
import { relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { eventually } from '../support/eventually.ts'
import { repoRoot } from '../support/process.ts'
import { startUpstream, testCerts } from '../support/upstream.ts'
import { send } from './support/http.ts'
import { cleanupAfterEach, runFixture } from './support/run.ts'

/**
 * Traefik's integration/https_test.go, the two tests about HTTPS to the
 * server (every other test there needs TLS on entry points, which Junction
 * does not have yet). The server's certificate is signed by the test CA
 * (test/support/certs), which only the servers transport's rootCAs trusts.
 */

const defer = cleanupAfterEach()

async function httpsServer(): Promise<string> {
  const upstream = await startUpstream({ tls: true })
  defer(() => upstream.close())
  return upstream.url
}

describe('HTTPSSuite', () => {
  it('TestWithRootCAsContentForHTTPSOnBackend: rootCAs given as PEM content trusts the server', async () => {
    const backend = await httpsServer()
    const run = await runFixture(defer, 'https/rootcas/https.toml', { BackendHost: backend, RootCAContent: (await readFile(testCerts.caPath, 'utf8')).trim() })
    const web = await run.port('web')
    await eventually(async () => expect((await send(web, { path: '/ping' })).status).toBe(200))
  })

  it('TestWithRootCAsFileForHTTPSOnBackend: rootCAs given as a file path (relative to the working directory) trusts the server', async () => {
    const backend = await httpsServer()
    // Junction runs in the repository root, as Traefik's suite runs in integration/.
    const run = await runFixture(defer, 'https/rootcas/https_with_file.toml', { BackendHost: backend, RootCAFile: relative(repoRoot, testCerts.caPath) })
    const web = await run.port('web')
    await eventually(async () => expect((await send(web, { path: '/ping' })).status).toBe(200))
  })
})
