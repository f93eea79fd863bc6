import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DnsChallengeRecord } from '../../../../src/tls/acme/contracts.ts'
import { execProvider } from '../../../../src/tls/acme/dns/exec.ts'
import { eventually } from '../../../support/eventually.ts'

const record: DnsChallengeRecord = {
  domain: 'a.test',
  fqdn: '_acme-challenge.a.test.',
  value: 'LHDhK3oGRvkiefQnx7OOczTY5Tic_xZ6HcMOc_gmtoM',
  token: 'evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA',
  keyAuthorization: 'evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.nP1qzpXGymHBrUEepNY9HCsQk7K8KhOypzEt62jcerQ',
}

let dir: string

/** Writes an executable shell script into the test's folder and returns its path. */
async function script(name: string, body: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, `#!/bin/sh\n${body}\n`)
  await chmod(path, 0o755)
  return path
}

/** Its arguments, one per line, into `<name>.args`. */
async function recorder(name: string): Promise<{ path: string; args: () => Promise<string[]> }> {
  const out = join(dir, `${name}.args`)
  const path = await script(name, `printf '%s\\n' "$@" > '${out}'`)
  return { path, args: async () => (await readFile(out, 'utf8')).split('\n').slice(0, -1) }
}

/**
 * Whether a process still runs. A killed orphan stays a zombie until
 * whatever reaps orphans here gets to it, which can take seconds in a
 * container: a zombie has stopped running.
 */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] !== 'Z'
  } catch {
    return false
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'junction-dns-exec-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('exec DNS provider', () => {
  it.each([
    { desc: 'present: the action, the record name and its value', mode: undefined, action: 'present', expected: ['present', record.fqdn, record.value] },
    { desc: 'cleanup: the same arguments', mode: undefined, action: 'cleanup', expected: ['cleanup', record.fqdn, record.value] },
    { desc: 'RAW present: --, domain, token and key authorization', mode: 'RAW', action: 'present', expected: ['present', '--', record.domain, record.token, record.keyAuthorization] },
    { desc: 'RAW cleanup', mode: 'RAW', action: 'cleanup', expected: ['cleanup', '--', record.domain, record.token, record.keyAuthorization] },
  ])('runs the program as lego does, $desc', async ({ mode, action, expected }) => {
    const program = await recorder(`args-${mode ?? 'default'}-${action}`)
    const provider = execProvider({ EXEC_PATH: program.path, ...(mode !== undefined && { EXEC_MODE: mode }) })
    await provider[action as 'present' | 'cleanup'](record, new AbortController().signal)
    expect(await program.args()).toEqual(expected)
  })

  it('passes arguments without a shell: quotes and $ in a value stay as they are', async () => {
    const program = await recorder('no-shell')
    await execProvider({ EXEC_PATH: program.path, EXEC_MODE: 'RAW' }).present({ ...record, token: `$(touch ${join(dir, 'pwned')}) 'x' "y"` }, new AbortController().signal)
    expect((await program.args())[3]).toBe(`$(touch ${join(dir, 'pwned')}) 'x' "y"`)
    await expect(readFile(join(dir, 'pwned'))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('gives the resolver lego\'s timings: defaults, then the EXEC_* settings in seconds', async () => {
    const program = await recorder('timings')
    expect(execProvider({ EXEC_PATH: program.path })).toMatchObject({ name: 'exec', propagation: { timeout: 60_000, interval: 2000 }, sequenceInterval: 60_000 })
    const env = { EXEC_PATH: program.path, EXEC_PROPAGATION_TIMEOUT: '300', EXEC_POLLING_INTERVAL: '10', EXEC_SEQUENCE_INTERVAL: '0' }
    expect(execProvider(env)).toMatchObject({ propagation: { timeout: 300_000, interval: 10_000 }, sequenceInterval: 0 })
  })

  it('reads a setting from the file <NAME>_FILE names, as lego does', async () => {
    const program = await recorder('from-file')
    await writeFile(join(dir, 'exec-path'), `${program.path}\n`)
    await execProvider({ EXEC_PATH_FILE: join(dir, 'exec-path') }).present(record, new AbortController().signal)
    expect(await program.args()).toEqual(['present', record.fqdn, record.value])
  })

  it('a non-zero exit fails with the end of what the program wrote to stderr', async () => {
    const program = await script('fails', 'echo "working..."\necho "zone a.test not found" >&2\nexit 3')
    await expect(execProvider({ EXEC_PATH: program }).present(record, new AbortController().signal)).rejects.toThrow(
      new Error(`dns provider exec: ${program} present exited with code 3: zone a.test not found`),
    )
  })

  it('a program that prints without end costs bounded memory: its output is drained, the last bytes kept', async () => {
    const program = await script('chatty', 'head -c 20000000 /dev/zero | tr "\\0" x\nhead -c 20000000 /dev/zero | tr "\\0" y >&2\nprintf "the end" >&2\nexit 1')
    const provider = execProvider({ EXEC_PATH: program }, { timeout: 60_000, outputBytes: 16 })
    await expect(provider.cleanup(record, new AbortController().signal)).rejects.toThrow(new Error(`dns provider exec: ${program} cleanup exited with code 1: yyyyyyyyythe end`))
  })

  it('a program that runs too long is killed with what it started, and the run fails', async () => {
    const pidFile = join(dir, 'slow.pid')
    // The sleep is a child of the shell: were it left running, it would hold the output open and the run would not end.
    const program = await script('slow', `sleep 300 &\necho $! > '${pidFile}'\nwait`)
    const run = execProvider({ EXEC_PATH: program }, { timeout: 300, outputBytes: 4096 }).present(record, new AbortController().signal)
    await expect(run).rejects.toThrow(new Error(`dns provider exec: ${program} present: killed after 300 ms`))
    const sleeper = Number(await readFile(pidFile, 'utf8'))
    await eventually(() => expect(running(sleeper)).toBe(false))
  })

  it('an abort kills the program and fails the run with the signal\'s reason as cause', async () => {
    const pidFile = join(dir, 'aborted.pid')
    const program = await script('aborted', `sleep 300 &\necho $! > '${pidFile}'\nwait`)
    const abort = new AbortController()
    const run = execProvider({ EXEC_PATH: program }).present(record, abort.signal)
    const sleeper = await eventually(async () => Number(await readFile(pidFile, 'utf8')))
    const reason = new Error('order cancelled')
    abort.abort(reason)
    await expect(run).rejects.toThrow(new Error(`dns provider exec: ${program} present: aborted`))
    await expect(run).rejects.toMatchObject({ cause: reason })
    await eventually(() => expect(running(sleeper)).toBe(false))
  })

  it('an already aborted signal runs nothing', async () => {
    const program = await recorder('never')
    const abort = new AbortController()
    abort.abort()
    await expect(execProvider({ EXEC_PATH: program.path }).present(record, abort.signal)).rejects.toThrow(new Error(`dns provider exec: ${program.path} present: aborted`))
    await expect(program.args()).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('a program name looked up in PATH that does not exist fails the run, named', async () => {
    await expect(execProvider({ EXEC_PATH: 'junction-no-such-program' }).present(record, new AbortController().signal)).rejects.toThrow(
      new Error('dns provider exec: junction-no-such-program present: spawn junction-no-such-program ENOENT'),
    )
  })
})
