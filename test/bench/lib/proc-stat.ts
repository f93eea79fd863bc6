import { execFileSync } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'

/** The fields of one `/proc/<pid>/stat` line that the bench needs. */
export interface ProcStat {
  readonly pid: number
  readonly ppid: number
  /** Clock ticks spent in user mode by every thread of the process. */
  readonly utime: number
  /** Clock ticks spent in kernel mode by every thread of the process. */
  readonly stime: number
}

/**
 * Parses one `/proc/<pid>/stat` line (proc(5)). The command name sits in
 * parentheses and may itself hold spaces and parentheses, so fields are counted
 * from the LAST `)`.
 */
export function parseProcStat(line: string): ProcStat {
  const open = line.indexOf('(')
  const close = line.lastIndexOf(')')
  if (open < 0 || close < open) throw new Error(`parsing proc stat: no command name in ${JSON.stringify(line.slice(0, 80))}`)
  // After ")": state(3) ppid(4) ... utime(14) stime(15), so offsets 1, 11, 12.
  const rest = line.slice(close + 1).trim().split(/\s+/)
  const fields = [line.slice(0, open).trim(), rest[1], rest[11], rest[12]].map(Number)
  const [pid, ppid, utime, stime] = fields
  if (fields.some((n) => !Number.isInteger(n)) || pid === undefined || ppid === undefined || utime === undefined || stime === undefined) {
    throw new Error(`parsing proc stat: malformed line ${JSON.stringify(line.slice(0, 80))}`)
  }
  return { pid, ppid, utime, stime }
}

/**
 * Sums utime+stime of `root` and every process descended from it. Descendants
 * count because some peers measure as a tree (nginx: master plus worker), and
 * the same rule then applies to every peer.
 */
export function treeTicks(stats: readonly ProcStat[], root: number): number {
  const children = new Map<number, ProcStat[]>()
  for (const s of stats) {
    const list = children.get(s.ppid)
    if (list) list.push(s)
    else children.set(s.ppid, [s])
  }
  const self = stats.find((s) => s.pid === root)
  if (!self) throw new Error(`measuring cpu: process ${root} is not running`)
  let total = 0
  const queue: ProcStat[] = [self]
  for (let s = queue.pop(); s; s = queue.pop()) {
    total += s.utime + s.stime
    queue.push(...(children.get(s.pid) ?? []))
  }
  return total
}

/** Reads the stat line of every process now visible in /proc. */
export async function readAllProcStats(): Promise<ProcStat[]> {
  const names = (await readdir('/proc')).filter((n) => /^\d+$/.test(n))
  const stats = await Promise.all(
    names.map(async (n) => {
      try {
        return parseProcStat(await readFile(`/proc/${n}/stat`, 'utf8'))
      } catch {
        return undefined // the process ended between readdir and readFile
      }
    }),
  )
  return stats.filter((s) => s !== undefined)
}

/** Clock ticks one CPU spent busy and in total, from the `cpu<N>` line of /proc/stat. */
export interface CoreTimes {
  /** user + nice + system + steal: time some task ran or was kept from running. */
  readonly busy: number
  /** Every state, idle included: the wall time the CPU existed for, in ticks. */
  readonly total: number
  /** Time the hypervisor ran something else while this virtual CPU had work (part of busy). */
  readonly steal: number
}

/** Reads the `cpu<core>` line out of /proc/stat text (proc(5)). */
export function parseCoreTimes(procStat: string, core: number): CoreTimes {
  const line = procStat.split('\n').find((l) => l.startsWith(`cpu${core} `))
  if (!line) throw new Error(`parsing /proc/stat: no line for cpu${core}`)
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1, 9).map(Number)
  const busy = user + nice + system + steal
  // irq and softirq (network work charged to the CPU, not to a process) count in total only.
  return { busy, total: busy + idle + iowait + irq + softirq, steal }
}

/** The current tick counters of each CPU of `cores`, read at one instant. */
export async function readCoreTimes(cores: readonly number[]): Promise<CoreTimes[]> {
  const text = await readFile('/proc/stat', 'utf8')
  return cores.map((core) => parseCoreTimes(text, core))
}

let ticksPerSecond: number | undefined

/** USER_HZ, the unit of utime and stime (almost always 100). */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
    } catch {
      ticksPerSecond = 100
    }
  }
  return ticksPerSecond
}

/** CPU time in microseconds used so far by `root` and its descendants. */
export async function treeCpuMicros(root: number): Promise<number> {
  return (treeTicks(await readAllProcStats(), root) * 1e6) / clockTicksPerSecond()
}
