import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ensureTestImage, startDockerd, type Dockerd } from './docker-daemon.ts'

const run = promisify(execFile)

/**
 * A Docker daemon of a test's own, which the test may stop and start again
 * (the shared daemon on /var/run/docker.sock is never touched): its own
 * socket, data, exec root (with its own containerd) and pidfile in a
 * temporary folder, no bridge, no iptables, and `--live-restore`, so its
 * containers keep serving while it is down, as a daemon restarted in
 * production does.
 */
export class PrivateDockerd {
  readonly dir: string
  readonly socketPath: string
  #running: Dockerd | undefined

  private constructor(dir: string) {
    this.dir = dir
    this.socketPath = join(dir, 'docker.sock')
  }

  /** A folder for a daemon, not started yet: nothing answers on {@link socketPath} until {@link start}. */
  static async create(): Promise<PrivateDockerd> {
    return new PrivateDockerd(await mkdtemp(join(tmpdir(), 'junction-dockerd-')))
  }

  /** `unix://` + the socket path, as `providers.docker.endpoint` takes it. */
  get endpoint(): string {
    return `unix://${this.socketPath}`
  }

  get running(): Dockerd | undefined {
    return this.#running
  }

  /** Starts the daemon (the test image imported on first start) and resolves once it answers. */
  async start(): Promise<Dockerd> {
    if (this.#running !== undefined) return this.#running
    const args = [
      `--host=unix://${this.socketPath}`,
      `--data-root=${join(this.dir, 'data')}`,
      `--exec-root=${join(this.dir, 'exec')}`,
      `--pidfile=${join(this.dir, 'docker.pid')}`,
      '--bridge=none',
      '--iptables=false',
      '--live-restore',
    ]
    const daemon = await startDockerd(args, this.socketPath, join(this.dir, 'dockerd.log'))
    this.#running = daemon
    await ensureTestImage(daemon.docker)
    return daemon
  }

  /** Stops the daemon by its PID; its containers keep running (live restore). */
  async stop(): Promise<void> {
    const daemon = this.#running
    this.#running = undefined
    await daemon?.stop()
  }

  /**
   * Removes every container (starting the daemon again if it is down, so
   * none is left running), stops the daemon, unmounts what it left mounted
   * under its folder (its data root, its network namespace file) and
   * removes the folder.
   */
  async dispose(): Promise<void> {
    try {
      const daemon = await this.start()
      const containers = await daemon.docker.listContainers({ all: true })
      await Promise.all(containers.map((item) => daemon.docker.getContainer(item.Id).remove({ force: true })))
    } finally {
      await this.stop()
      await unmountUnder(this.dir)
      await rm(this.dir, { recursive: true, force: true })
    }
  }
}

/** Unmounts every mount point under `dir`, deepest first. */
async function unmountUnder(dir: string): Promise<void> {
  const mounts = (await readFile('/proc/mounts', 'utf8'))
    .split('\n')
    .map((line) => line.split(' ')[1]?.replaceAll('\\040', ' '))
    .filter((point): point is string => point !== undefined && point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length)
  for (const point of mounts) await run('umount', [point])
}
