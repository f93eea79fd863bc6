/**
 * Counting a proxy's instructions with valgrind's callgrind: the process
 * starts with instrumentation off, `callgrind_control` switches it on around
 * the requests to count and then asks for a dump, whose `totals:` line is the
 * count. Instruction counts repeat within a few percent from run to run,
 * where CPU time on a virtual machine moves by 20–40%.
 */
import { execFile } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** valgrind's command line for a proxy whose dumps go to `outFile` (`outFile.1`, `outFile.2`, … for each requested dump). */
export function callgrindPrefix(outFile: string): [string, ...string[]] {
  // --instr-atstart=no: start-up and warm-up run uninstrumented (faster, and not counted).
  return ['valgrind', '--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${outFile}`]
}

/**
 * The instructions (event `Ir`) of one callgrind dump: its `totals:` line,
 * in the column the `events:` line gives `Ir`.
 */
export function parseCallgrindTotals(text: string): number {
  const events = /^events:\s*(.+)$/m.exec(text)?.[1]?.trim().split(/\s+/)
  const totals = /^totals:\s*(.+)$/m.exec(text)?.[1]?.trim().split(/\s+/)
  if (!events) throw new Error('parsing callgrind dump: no events line')
  if (!totals) throw new Error('parsing callgrind dump: no totals line')
  const column = events.indexOf('Ir')
  if (column < 0) throw new Error(`parsing callgrind dump: no Ir event in ${JSON.stringify(events.join(' '))}`)
  // callgrind leaves out trailing zero columns.
  const value = totals[column] ?? '0'
  if (!/^\d+$/.test(value)) throw new Error(`parsing callgrind dump: totals ${JSON.stringify(value)} is not a count`)
  return Number(value)
}

// vgdb reaches a process blocked in a system call within 100 ms; a dump of a
// large Node process takes a few seconds. This only stops a hung call.
const controlTimeoutMs = 120_000

/** Runs `callgrind_control <args> <pid>`; throws unless it reports `OK.`. */
export async function callgrindControl(pid: number, args: readonly string[]): Promise<void> {
  const { stdout, stderr } = await run('callgrind_control', [...args, String(pid)], { timeout: controlTimeoutMs, encoding: 'utf8' })
  if (!/^\s*OK\.$/m.test(stdout)) {
    throw new Error(`callgrind_control ${args.join(' ')} ${pid}: no OK in ${JSON.stringify(`${stdout}${stderr}`.trim().slice(0, 300))}`)
  }
}

/** The dump files callgrind has written for `outFile` so far. */
export async function dumpFiles(outFile: string): Promise<string[]> {
  const name = basename(outFile)
  const files = await readdir(dirname(outFile))
  return files.filter((f) => f === name || f.startsWith(`${name}.`)).map((f) => join(dirname(outFile), f))
}

/**
 * Asks the process for a dump and returns the instructions it holds: those
 * counted since the previous dump (callgrind zeroes its counters on each).
 * Every file that appears is read, so a dump split in parts is summed.
 */
export async function dumpInstructions(pid: number, outFile: string): Promise<number> {
  const before = new Set(await dumpFiles(outFile))
  await callgrindControl(pid, ['--dump'])
  const written = (await dumpFiles(outFile)).filter((f) => !before.has(f))
  if (written.length === 0) throw new Error(`callgrind dump of ${pid}: no new file beside ${outFile}`)
  let total = 0
  for (const f of written) total += parseCallgrindTotals(await readFile(f, 'utf8'))
  return total
}

/**
 * Counts the instructions the process executes while `work` runs: on, work,
 * off, dump. The dump is taken even when the work fails, so that a failed
 * row leaves nothing behind for the next one to count.
 */
export async function countInstructions(pid: number, outFile: string, work: () => Promise<void>): Promise<number> {
  await callgrindControl(pid, ['--instr=on'])
  let failure: { error: unknown } | undefined
  try {
    await work()
  } catch (error) {
    failure = { error }
  }
  await callgrindControl(pid, ['--instr=off'])
  const total = await dumpInstructions(pid, outFile)
  if (failure) throw failure.error
  return total
}
