import pino, { type Logger } from 'pino'

export type { Logger }

export interface LogOptions {
  /** Traefik's levels, any case: TRACE DEBUG INFO WARN ERROR FATAL PANIC. */
  readonly level: string
  /** `common` (one readable line) or `json`. */
  readonly format: string
  /** Append to this file instead of standard output. */
  readonly filePath?: string | undefined
}

const levels: Record<string, pino.LevelWithSilent> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  fatal: 'fatal',
  panic: 'fatal',
}

/** Where each logger made by {@link createLogger} writes, for {@link closeLogger}. */
const destinations = new WeakMap<Logger, ReturnType<typeof pino.destination>>()

/**
 * The process logger. `common` renders `time level msg key=value` lines
 * without a transport thread, so it costs no more than JSON on the hot path.
 */
export function createLogger(options: LogOptions, lines?: LineSink): Logger {
  if (lines !== undefined) return build(options, lines)
  const destination = pino.destination({ dest: options.filePath ?? 1, sync: false, mkdir: true })
  const logger = build(options, destination)
  destinations.set(logger, destination)
  return logger
}

/** Somewhere formatted log lines go instead of the log file or standard output (a worker hands them to the control plane). */
export interface LineSink {
  write(line: string): void
}

/**
 * Writes a line another logger formatted (a worker's) to `logger`'s own
 * destination, unchanged, in turn with its own lines.
 */
export function writeLine(logger: Logger, line: string): void {
  const destination = destinations.get(logger)
  if (destination !== undefined) destination.write(line)
}

/**
 * Writes out every line still buffered, in order, then resolves: call it
 * last, before `process.exit`. Exiting without it lets pino's exit handler
 * write the buffer synchronously while a line already handed to the thread
 * pool waits, so "stopped" came out before "draining", or not at all.
 */
export function closeLogger(logger: Logger): Promise<void> {
  const destination = destinations.get(logger)
  if (destination === undefined) return Promise.resolve()
  destinations.delete(logger)
  return new Promise((resolve) => {
    destination.once('close', () => resolve())
    destination.once('error', () => resolve())
    destination.end()
  })
}

function build(options: LogOptions, destination: pino.DestinationStream): Logger {
  const level = levels[options.level.toLowerCase()] ?? 'error'
  if (options.format === 'json') return pino({ level, base: null }, destination)
  return pino(
    {
      level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    commonFormat(destination),
  )
}

/** A stream that turns each pino JSON line into `time LEVEL msg k=v ...`. */
function commonFormat(destination: pino.DestinationStream): pino.DestinationStream {
  return {
    write(line: string) {
      const { time, level, msg, ...fields } = JSON.parse(line) as Record<string, unknown>
      const extra = Object.entries(fields)
        .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
        .join(' ')
      destination.write(`${String(time)} ${String(level).toUpperCase()} ${String(msg ?? '')}${extra ? ` ${extra}` : ''}\n`)
    },
  }
}

/** A logger that writes nothing, for library use and tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
