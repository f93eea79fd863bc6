import { spawnSync } from 'node:child_process'
import { cpus, release } from 'node:os'
import type { BenchSettings } from './settings.ts'

/** The first line a tool prints about its version, or why there is none. */
export function toolVersion(command: string, args: readonly string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8' })
  if (r.error) return 'not installed'
  return `${r.stdout}${r.stderr}`.split('\n')[0]?.trim() ?? '?'
}

/** The header of the report: when, on what, with which tools and settings. */
export function machineHeader(s: BenchSettings): string {
  const model = cpus()[0]?.model ?? 'unknown CPU'
  const lines = [
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpus().length} cores (${model}), Linux ${release()}`,
    `- Node: ${process.version}`,
    `- ${toolVersion('haproxy', ['-v'])}`,
    `- ${toolVersion('nginx', ['-v'])}`,
    `- ${toolVersion('wrk', ['--version'])}`,
    `- load: wrk, 1 thread, ${s.connections} keep-alive connections, ${s.warmupSeconds} s warm-up then ${s.seconds} s measured per row${s.repeat > 1 ? ` (median of ${s.repeat} runs)` : ''}`,
    `- pinning: proxy on CPU ${s.proxyCore}; wrk, the backend (nginx serving files; for streaming, a Node transfer backend) and this script on CPU ${s.loadCore}`,
    '- CPU per request: utime+stime from /proc/<pid>/stat of the proxy process and its descendants (all threads),',
    '  read right before and after the measured run, divided by the requests wrk completed',
  ]
  if (s.scenarios.includes('instructions')) lines.push(`- instructions per request: ${toolVersion('valgrind', ['--version'])} (callgrind)`)
  return lines.join('\n')
}

/** Why this machine cannot run the bench (missing tool, too few cores), or undefined. */
export function prerequisiteProblem(s: BenchSettings): string | undefined {
  const missing = [
    ['taskset', 'util-linux'],
    ['wrk', 'wrk'],
    ['nginx', 'nginx-light'],
  ].filter(([cmd]) => spawnSync(cmd ?? '', ['-h'], { stdio: 'ignore' }).error !== undefined)
  if (missing.length > 0) return `missing ${missing.map(([c]) => c).join(', ')}: apt-get install ${missing.map(([, p]) => p).join(' ')}`
  const cores = cpus().length
  if (cores <= Math.max(s.proxyCore, s.loadCore)) return `needs at least 2 cores, this machine has ${cores}`
  return undefined
}
