/**
 * Starts the quickstart: two whoami servers on 127.0.0.1:8081 and :8082, and
 * Junction on :8000 with this folder's configuration. Ctrl-C stops all three.
 *
 *   npm run quickstart
 *   curl http://localhost:8000/hello
 *
 * WHOAMI_PORTS overrides the whoami ports; extra arguments go to junction.
 */
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startWhoami } from './whoami.ts'

const here = dirname(fileURLToPath(import.meta.url))
const ports = (process.env['WHOAMI_PORTS'] ?? '8081,8082').split(',').map(Number)
const servers = await Promise.all(ports.map((port, i) => startWhoami(`whoami-${i + 1}`, port)))

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
  for (const server of servers) server.close()
  process.exit(code ?? 0)
})
