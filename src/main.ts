#!/usr/bin/env node
/**
 * The `junction` command: print the usage or the version, or read the static
 * configuration (file, environment, flags), start the entry points and
 * providers, and drain gracefully on SIGTERM or SIGINT.
 */
import { parseCommand, usageText, versionText } from './command.ts'
import { createJunction, loadConfiguration } from './composition.ts'
import { JunctionError } from './errors.ts'
import { closeLogger, createLogger, type Logger } from './observability/logger.ts'

async function main(args: string[]): Promise<void> {
  const command = parseCommand(args)
  if (command.kind === 'help') return void process.stdout.write(usageText())
  if (command.kind === 'version') return void process.stdout.write(versionText())
  let config
  try {
    config = await loadConfiguration({ argv: command.argv, env: process.env, cwd: process.cwd() })
  } catch (error) {
    if (error instanceof JunctionError && error.code === 'JCT_ERR_STATIC_CONFIG') {
      process.stderr.write(`${error.message}\n`)
      process.exitCode = 1
      return
    }
    throw error
  }
  const logger = createLogger(config.log)
  const junction = createJunction(config, { logger, configDir: config.configDir })
  try {
    await junction.start()
  } catch (error) {
    if (!(error instanceof JunctionError && error.code === 'JCT_ERR_LISTEN')) throw error
    logger.fatal(error.message)
    logger.flush()
    process.stderr.write(`${error.message}\n`)
    await junction.stop()
    process.exitCode = 1
    return
  }
  for (const [name, address] of junction.addresses) {
    logger.info({ entryPoint: name, address: `${address.address}:${address.port}` }, `entry point ${name} listening`)
  }
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'draining')
    junction.stop().then(
      () => {
        logger.info('stopped')
        exitAfterLog(logger, 0)
      },
      (error: unknown) => {
        logger.error({ err: error }, 'stopping failed')
        exitAfterLog(logger, 1)
      },
    )
  }
  // Kept for the whole drain, as Traefik keeps its handler: a repeated signal (a terminal's Ctrl-C reaches
  // both Junction and the launcher that forwards it, src/bin.js) must not kill the process mid-drain.
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

/** Exits once every log line is written, in order (see `closeLogger`). */
function exitAfterLog(logger: Logger, code: number): void {
  process.exitCode = code
  void closeLogger(logger).then(() => process.exit(code))
  // A destination that cannot take the lines (a full pipe nobody reads) must not keep the process alive.
  setTimeout(() => process.exit(code), 1000).unref()
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`junction: ${(error as Error).stack ?? String(error)}\n`)
  process.exit(1)
})
