import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { constants } from 'node:fs'
import { access, copyFile, mkdir, mkdtemp, open, readFile, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { promisify } from 'node:util'
import Dockerode from 'dockerode'

/**
 * Docker Engine daemons for the tests: finding the binaries, starting a
 * `dockerd` and waiting for it, stopping it by PID, and the busybox image
 * every test container runs (no registry is reachable here: the image is
 * made from the host's static busybox).
 */

const run = promisify(execFile)

/** The image every test container runs: `/bin/busybox` and a symlink per applet. */
export const testImage = 'junction-test/busybox:1'
/** What to install where Docker or busybox is missing (Debian). */
export const dockerPackages = 'apt-get install docker.io busybox-static'
/** Where busybox-static puts its binary: statically linked, so it runs alone in an otherwise empty image. */
const busyboxPath = '/bin/busybox'

/** The first executable called `name` on PATH (or in the sbin folders, which a non-login root shell may lack). */
export async function findExecutable(name: string): Promise<string | undefined> {
  const folders = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin']
  for (const folder of folders.filter((item) => item !== '')) {
    const path = join(folder, name)
    try {
      await access(path, constants.X_OK)
      return path
    } catch {
      continue
    }
  }
  return undefined
}

/** A client for the daemon on `socketPath`, whatever DOCKER_HOST says. */
export function dockerAt(socketPath: string): Dockerode {
  return new Dockerode({ socketPath, host: undefined, port: undefined, protocol: undefined, timeout: undefined } as Dockerode.DockerOptions)
}

/** True when a daemon answers on `socketPath`. */
export async function answers(socketPath: string): Promise<boolean> {
  try {
    await dockerAt(socketPath).ping({ abortSignal: AbortSignal.timeout(5000) } as never)
    return true
  } catch {
    return false
  }
}

/** A `dockerd` this process started. */
export interface Dockerd {
  readonly pid: number
  readonly socketPath: string
  readonly logFile: string
  readonly docker: Dockerode
  /** SIGTERM by PID, then waits for it to end (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>
}

/**
 * Starts `dockerd` with `args` (which must include `--host unix://<socketPath>`),
 * its output appended to `logFile`, and resolves once it answers on `socketPath`.
 *
 * @throws Error with the end of its log when it exits or does not answer within `timeoutMs`.
 */
export async function startDockerd(args: readonly string[], socketPath: string, logFile: string, timeoutMs = 60_000): Promise<Dockerd> {
  const binary = await findExecutable('dockerd')
  if (binary === undefined) throw new Error(`dockerd is not installed (${dockerPackages})`)
  const log = await open(logFile, 'a')
  let child: ChildProcess
  try {
    child = spawn(binary, args, { stdio: ['ignore', log.fd, log.fd] })
  } finally {
    await log.close()
  }
  const exited = once(child, 'exit')
  const pid = child.pid
  if (pid === undefined) throw new Error(`starting dockerd: ${(await Promise.race([once(child, 'error'), delay(1000, ['no pid'])]))[0]}`)
  const deadline = Date.now() + timeoutMs
  while (!(await answers(socketPath))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      if (child.exitCode === null) child.kill('SIGKILL')
      throw new Error(`dockerd ${args.join(' ')} did not answer on ${socketPath}:\n${await tail(logFile)}`)
    }
    await delay(50)
  }
  return {
    pid,
    socketPath,
    logFile,
    docker: dockerAt(socketPath),
    stop: async (graceMs = 20_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return
      process.kill(pid, 'SIGTERM')
      const timer = setTimeout(() => child.exitCode === null && process.kill(pid, 'SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    },
  }
}

/** The last lines of a log file, for an error message. */
export async function tail(file: string, lines = 20): Promise<string> {
  const text = await readFile(file, 'utf8').catch((error: Error) => `(no log: ${error.message})`)
  return text.trimEnd().split('\n').slice(-lines).join('\n')
}

/**
 * Imports {@link testImage} into the daemon behind `docker` unless it has it:
 * a root file system of the host's `/bin/busybox` and one symlink per applet,
 * as a tar (`tar` on PATH), through `POST /images/create?fromSrc=-`.
 *
 * @throws Error naming the package when there is no busybox.
 */
export async function ensureTestImage(docker: Dockerode): Promise<void> {
  const [repo, tag] = testImage.split(':') as [string, string]
  const images = await docker.listImages({ filters: { reference: [testImage] } })
  if (images.length > 0) return
  const busybox = busyboxPath
  try {
    await access(busybox, constants.X_OK)
  } catch {
    throw new Error(`${busybox} is missing: busybox-static is not installed (${dockerPackages})`)
  }
  const dir = await mkdtemp(join(tmpdir(), 'junction-busybox-'))
  try {
    const bin = join(dir, 'rootfs', 'bin')
    await mkdir(bin, { recursive: true })
    await copyFile(busybox, join(bin, 'busybox'))
    const { stdout } = await run(busybox, ['--list'])
    for (const applet of stdout.split('\n').map((line) => line.trim())) {
      if (applet !== '' && applet !== 'busybox') await symlink('busybox', join(bin, applet))
    }
    await run('tar', ['-C', join(dir, 'rootfs'), '-cf', join(dir, 'rootfs.tar'), '.'])
    const progress = await docker.importImage(join(dir, 'rootfs.tar'), { repo, tag })
    await new Promise<void>((resolve, reject) => docker.modem.followProgress(progress, (error) => (error ? reject(error) : resolve())))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
