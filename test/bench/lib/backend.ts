import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { bodies, nginxArgs, nginxBackendConfig } from './configs.ts'
import { freePort, waitForStatus, type Daemon, type DaemonSet } from './processes.ts'

/** The backend every target forwards to. */
export interface Backend {
  readonly port: number
  readonly daemon: Daemon
}

/**
 * Starts nginx serving the fixed bodies as files (`/small`, `/16k`), pinned
 * with the load generator. nginx rather than a Node server because it answers
 * a cached file in a few microseconds of CPU, several times less than
 * `node:http`; with wrk on the same core, a Node backend would cap the fastest
 * proxies (HAProxy, nginx) and blur the comparison.
 */
export async function startBackend(daemons: DaemonSet, workDir: string, core: number): Promise<Backend> {
  const prefix = join(workDir, 'backend')
  const root = join(prefix, 'www')
  await mkdir(root, { recursive: true })
  for (const [name, body] of Object.entries(bodies)) await writeFile(join(root, name), body)
  // nginx started as root serves from unprivileged workers (user nobody), which
  // must be able to walk into the private temporary folder.
  for (const dir of [workDir, prefix, root]) await chmod(dir, 0o755)
  const port = await freePort()
  await writeFile(join(prefix, 'nginx.conf'), nginxBackendConfig({ port, prefix, root }))
  const daemon = daemons.start({ name: 'backend nginx', command: 'nginx', args: nginxArgs(prefix), core })
  await waitForStatus(daemon, { port, path: '/small' })
  return { port, daemon }
}
