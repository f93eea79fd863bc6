/**
 * Junction embedded in your own program, with a middleware of your own:
 * `serverTiming`, next to every shipped one. One whoami server on
 * 127.0.0.1:8083 behind Junction on :8000.
 *
 *   node examples/custom-middleware/start.ts
 *   curl -i http://localhost:8000/
 *
 * WHOAMI_PORT overrides the whoami port; extra arguments are static flags.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createJunction, loadConfiguration } from '../../src/composition.ts'
import { createLogger } from '../../src/observability/logger.ts'
import { startWhoami } from '../quickstart/whoami.ts'

const here = dirname(fileURLToPath(import.meta.url))
const whoami = await startWhoami('whoami', Number(process.env['WHOAMI_PORT'] ?? 8083))
const config = await loadConfiguration({ argv: [`--configFile=${join(here, 'junction.yml')}`, ...process.argv.slice(2)], env: {}, cwd: process.cwd() })
const logger = createLogger(config.log)
// Each worker thread imports the module and adds its middleware types to the shipped ones.
const junction = createJunction(config, { logger, configDir: config.configDir, workerModules: [new URL('./server-timing.ts', import.meta.url).href] })
await junction.start()
for (const [name, address] of junction.addresses) logger.info({ entryPoint: name, address: `${address.address}:${address.port}` }, `entry point ${name} listening`)

const stop = (): void => {
  void junction.stop().then(() => {
    whoami.close()
    process.exit(0)
  })
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
