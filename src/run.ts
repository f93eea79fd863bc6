/**
 * What the `junction` command does once its arguments are read: print the
 * usage or the version, or load the static configuration, start the
 * control plane and its workers, and drain on SIGTERM or SIGINT.
 */
import { parseCommand, usageText, versionText } from './command.ts'
import { createJunction, loadConfiguration } from './composition.ts'
import type { Junction } from './cluster/control-plane.ts'
import { JunctionError } from './errors.ts'
import { closeLogger, createLogger, type Logger } from './observability/logger.ts'
import { trafficLine } from './cluster/traffic-log.ts'

/** What a program that runs the command inside itself may add (tests drive the control plane through this). */
export interface RunExtras {
  /** Module URLs each worker imports for more middleware types. */
  readonly workerModules?: readonly string[]
  /** Called once every entry point listens. */
  readonly onStarted?: (junction: Junction, logger: Logger) => void
}

/** Runs the `junction` command with `args` (without the program name). */
export async function runCommand(args: string[], extras: RunExtras = {}): Promise<void> {
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
  const junction = createJunction(config, { logger, configDir: config.configDir, ...(extras.workerModules && { workerModules: extras.workerModules }) })
  // Signals are heard from before the start: one that comes while the workers start (an orchestrator may
  // send it at any moment) stops Junction once they have, instead of killing it with no drain.
  let started: Promise<boolean> = Promise.resolve(false)
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) {
      // Go's and nginx's answer to an operator who asks twice: stop now, drain or not.
      logger.warn({ signal }, `${signal} again: exiting without waiting for the drain`)
      exitAfterLog(logger, 1)
      return
    }
    stopping = true
    logger.info({ signal }, 'draining')
    // A start that failed exits 1 on its own, below.
    void started.then(async (ok) => {
      if (!ok) return
      try {
        await junction.stop()
        logger.info('stopped')
        exitAfterLog(logger, 0)
      } catch (error) {
        logger.error({ err: error }, 'stopping failed')
        exitAfterLog(logger, 1)
      }
    })
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  const start = junction.start()
  started = start.then(
    () => true,
    () => false,
  )
  try {
    await start
  } catch (error) {
    if (!(error instanceof JunctionError && (error.code === 'JCT_ERR_LISTEN' || error.code === 'JCT_ERR_WORKER'))) throw error
    logger.fatal(error.message)
    process.stderr.write(`${error.message}\n`)
    await junction.stop()
    exitAfterLog(logger, 1)
    return
  }
  for (const [name, address] of junction.addresses) {
    logger.info({ entryPoint: name, address: `${address.address}:${address.port}`, workers: junction.workers.length }, `entry point ${name} listening`)
  }
  extras.onStarted?.(junction, logger)
  // SIGUSR1 belongs to Node's inspector; SIGUSR2 is the operator's "show me the traffic".
  process.on('SIGUSR2', () => {
    junction.traffic().then(
      (traffic) => logger.info({ traffic: trafficLine(traffic), workers: junction.workers }, 'traffic counters'),
      (error: unknown) => logger.error({ err: error }, `collecting traffic counters: ${(error as Error).message}`),
    )
  })
}

/** Exits once every log line is written, in order (see `closeLogger`). */
function exitAfterLog(logger: Logger, code: number): void {
  process.exitCode = code
  void closeLogger(logger).then(() => process.exit(code))
  // A destination that cannot take the lines (a full pipe nobody reads) must not keep the process alive.
  setTimeout(() => process.exit(code), 1000).unref()
}
