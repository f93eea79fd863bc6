import { readFile, writeFile } from 'node:fs/promises'

/** The two memory figures of `/proc/<pid>/status` the streaming scenario reads, in KiB. */
export interface ProcMemory {
  /** VmRSS: resident set size now. */
  readonly rssKiB: number
  /** VmHWM: the peak resident set size since start, or since the last {@link resetPeak}. */
  readonly hwmKiB: number
}

/** Reads VmRSS and VmHWM out of `/proc/<pid>/status` text (proc(5); the kernel prints them in kB, which are KiB). */
export function parseProcStatus(text: string): ProcMemory {
  const field = (name: string): number => {
    const value = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(text)?.[1]
    if (value === undefined) throw new Error(`parsing proc status: no ${name} line`)
    return Number(value)
  }
  return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM') }
}

/** The memory figures of one process now. */
export async function readMemory(pid: number): Promise<ProcMemory> {
  return parseProcStatus(await readFile(`/proc/${pid}/status`, 'utf8'))
}

/** Resets the process's VmHWM to its current VmRSS (`5` into clear_refs, proc(5), Linux 4.0+). */
export async function resetPeak(pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, '5')
}
