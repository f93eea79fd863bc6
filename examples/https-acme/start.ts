/**
 * Starts the HTTPS example: a whoami server on 127.0.0.1:8084, and Junction
 * with this folder's configuration, which orders a certificate for
 * app.example.test from a Pebble ACME server on 127.0.0.1:14000 (started
 * beforehand, see "HTTPS" in the README). Ctrl-C stops both.
 *
 *   node examples/https-acme/start.ts
 *   curl --cacert pebble-root.pem --resolve app.example.test:8443:127.0.0.1 https://app.example.test:8443/
 *
 * WHOAMI_PORT overrides the whoami port; extra arguments go to junction.
 */
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startWhoami } from '../quickstart/whoami.ts'

const here = dirname(fileURLToPath(import.meta.url))
const whoami = await startWhoami('whoami', Number(process.env['WHOAMI_PORT'] ?? 8084))

const junction = spawn(
  process.execPath,
  [join(here, '..', '..', 'src', 'bin.js'), `--configFile=${join(here, 'junction.yml')}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
)
const forward = (signal: NodeJS.Signals): void => {
  junction.kill(signal)
}
process.on('SIGINT', forward)
process.on('SIGTERM', forward)
junction.on('exit', (code) => {
  whoami.close()
  process.exit(code ?? 0)
})
