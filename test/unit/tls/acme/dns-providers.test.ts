import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDnsProvider, dnsProviderNames } from '../../../../src/tls/acme/dns/index.ts'

let dir: string
let program: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'junction-dns-providers-'))
  program = join(dir, 'update-dns')
  await writeFile(program, '#!/bin/sh\nexit 0\n')
  await chmod(program, 0o755)
  await writeFile(join(dir, 'not-executable'), '')
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('createDnsProvider', () => {
  it('names every provider it has', () => {
    expect(dnsProviderNames).toEqual(['exec', 'challtestsrv'])
  })

  it.each([
    { desc: 'exec', name: 'exec', env: () => ({ EXEC_PATH: program }) },
    { desc: 'exec with a program looked up in PATH', name: 'exec', env: () => ({ EXEC_PATH: 'update-dns' }) },
    { desc: 'challtestsrv', name: 'challtestsrv', env: () => ({ CHALLTESTSRV_URL: 'http://127.0.0.1:8055' }) },
  ])('sets up $desc', ({ name, env }) => {
    expect(createDnsProvider(name, env()).name).toBe(name)
  })

  it.each([
    { desc: 'an unknown provider', name: 'route53', env: () => ({}), message: () => 'dns provider "route53" is not supported (Junction has exec, challtestsrv)' },
    { desc: 'a name from the prototype', name: 'constructor', env: () => ({}), message: () => 'dns provider "constructor" is not supported (Junction has exec, challtestsrv)' },
    { desc: 'exec without EXEC_PATH', name: 'exec', env: () => ({ EXEC_PATH: '' }), message: () => 'dns provider exec: EXEC_PATH is not set (the program that adds and removes the TXT record)' },
    { desc: 'exec with a missing program', name: 'exec', env: () => ({ EXEC_PATH: join(dir, 'missing') }), message: () => `dns provider exec: EXEC_PATH ${join(dir, 'missing')} cannot be run: ENOENT` },
    { desc: 'exec with a file that cannot run', name: 'exec', env: () => ({ EXEC_PATH: join(dir, 'not-executable') }), message: () => `dns provider exec: EXEC_PATH ${join(dir, 'not-executable')} cannot be run: EACCES` },
    { desc: 'exec with an unreadable EXEC_PATH_FILE', name: 'exec', env: () => ({ EXEC_PATH_FILE: join(dir, 'missing') }), message: () => `dns provider exec: EXEC_PATH_FILE: ENOENT: no such file or directory, open '${join(dir, 'missing')}'` },
    { desc: 'exec with a mode lego would silently ignore', name: 'exec', env: () => ({ EXEC_PATH: program, EXEC_MODE: 'raw' }), message: () => 'dns provider exec: EXEC_MODE: expected RAW or nothing, got "raw"' },
    { desc: 'exec with a timeout that is not whole seconds', name: 'exec', env: () => ({ EXEC_PATH: program, EXEC_PROPAGATION_TIMEOUT: '2m' }), message: () => 'dns provider exec: EXEC_PROPAGATION_TIMEOUT: expected a whole number of seconds, got "2m"' },
    { desc: 'exec with a negative sequence interval', name: 'exec', env: () => ({ EXEC_PATH: program, EXEC_SEQUENCE_INTERVAL: '-1' }), message: () => 'dns provider exec: EXEC_SEQUENCE_INTERVAL: expected a whole number of seconds, got "-1"' },
    { desc: 'exec polling every 0 seconds', name: 'exec', env: () => ({ EXEC_PATH: program, EXEC_POLLING_INTERVAL: '0' }), message: () => 'dns provider exec: EXEC_POLLING_INTERVAL: expected a whole number of seconds (at least 1), got "0"' },
    { desc: 'challtestsrv without its URL', name: 'challtestsrv', env: () => ({}), message: () => "dns provider challtestsrv: CHALLTESTSRV_URL is not set (the base URL of pebble-challtestsrv's management interface)" },
    { desc: 'challtestsrv with something not a URL', name: 'challtestsrv', env: () => ({ CHALLTESTSRV_URL: '127.0.0.1:8055' }), message: () => 'dns provider challtestsrv: CHALLTESTSRV_URL: "127.0.0.1:8055" is not a URL' },
    { desc: 'challtestsrv with no URL at all', name: 'challtestsrv', env: () => ({ CHALLTESTSRV_URL: 'http://' }), message: () => 'dns provider challtestsrv: CHALLTESTSRV_URL: "http://" is not a URL' },
    { desc: 'challtestsrv with another scheme', name: 'challtestsrv', env: () => ({ CHALLTESTSRV_URL: 'ftp://127.0.0.1:8055' }), message: () => 'dns provider challtestsrv: CHALLTESTSRV_URL: expected an http:// or https:// URL, got "ftp://127.0.0.1:8055"' },
  ])('refuses $desc, saying why', ({ name, env, message }) => {
    expect(() => createDnsProvider(name, env())).toThrow(new Error(message()))
  })
})
