import { generateKeyPairSync } from 'node:crypto'
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../../src/observability/logger.ts'
import { FileStorage, type AcmeAccount, type StoredCertificate } from '../../../../src/tls/acme/storage.ts'
import { testCertificate } from '../../../support/tls-certificates.ts'

const accountKey = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey
const account: AcmeAccount = { email: 'ops@example.test', registration: { body: { status: 'valid', contact: ['mailto:ops@example.test'] }, uri: 'https://ca.test/acct/1' }, privateKey: accountKey, keyType: 'EC256' }
const issued = testCertificate({ cn: 'a.test', san: ['DNS:a.test', 'DNS:b.test'] })
const certificate: StoredCertificate = { domain: { main: 'a.test', sans: ['b.test'] }, cert: issued.cert, key: issued.key, store: 'default' }

let dir: string
let lines: string[]
const logger = () => createLogger({ level: 'info', format: 'json' }, { write: (line) => lines.push(line) })
const messages = () => lines.map((line) => (JSON.parse(line) as { msg: string }).msg)

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'junction-acme-storage-'))
  lines = []
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('FileStorage (acme.json)', () => {
  it('round-trips an account and certificates, per resolver, in a file another storage reads back', async () => {
    const path = join(dir, 'acme.json')
    const storage = new FileStorage(path, logger())
    expect(await storage.load('le')).toEqual({ certificates: [] })
    await storage.saveAccount('le', account)
    await storage.saveCertificates('le', [certificate])
    await storage.saveCertificates('other', [])
    const again = new FileStorage(path, logger())
    expect(await again.load('le')).toEqual({ account, certificates: [certificate] })
    expect(await again.load('other')).toEqual({ certificates: [] })
  })

  it("writes Traefik's format: base64 PKCS#1 account key, lego's key type, base64 PEM certificates, mode 0600", async () => {
    const path = join(dir, 'acme.json')
    const storage = new FileStorage(path, logger())
    await storage.saveAccount('le', account)
    await storage.saveCertificates('le', [certificate])
    const written = JSON.parse(await readFile(path, 'utf8')) as Record<string, Record<string, unknown>>
    expect(written).toEqual({
      le: {
        Account: {
          Email: 'ops@example.test',
          Registration: { body: { status: 'valid', contact: ['mailto:ops@example.test'] }, uri: 'https://ca.test/acct/1' },
          PrivateKey: accountKey.replace(/-----[^-]+-----|\s/g, ''),
          KeyType: 'P256',
        },
        Certificates: [{ domain: { main: 'a.test', sans: ['b.test'] }, certificate: Buffer.from(issued.cert).toString('base64'), key: Buffer.from(issued.key).toString('base64'), Store: 'default' }],
      },
    })
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    // Every write went through a temporary file, renamed over the old one: none is left behind.
    expect(await readdir(dir)).toEqual(['acme.json'])
  })

  it("reads a file Traefik wrote: other resolvers' data and fields it does not know are kept, empty certificates dropped", async () => {
    const path = join(dir, 'acme.json')
    await writeFile(path, JSON.stringify({
      le: { Account: null, Certificates: [{ domain: { main: 'a.test' }, certificate: '', key: '' }, { domain: { main: 'a.test', sans: ['b.test'] }, certificate: Buffer.from(issued.cert).toString('base64'), key: Buffer.from(issued.key).toString('base64'), Store: 'default' }] },
      tailscale: { Certificates: null, Extra: 1 },
    }), { mode: 0o600 })
    const storage = new FileStorage(path, logger())
    expect(await storage.load('le')).toEqual({ certificates: [certificate] })
    await storage.saveAccount('le', account)
    expect((JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>)['tailscale']).toEqual({ Certificates: null, Extra: 1 })
  })

  it.each([
    { desc: 'an empty file', text: '', why: 'it is empty' },
    { desc: 'a file that is not JSON', text: '{"le": ', why: 'it is not JSON (' },
    { desc: 'JSON of another shape', text: '["le"]', why: 'it is not an object of resolvers' },
  ])('sets $desc aside with a warning and starts empty', async ({ text, why }) => {
    const path = join(dir, 'acme.json')
    await writeFile(path, text, { mode: 0o600 })
    const storage = new FileStorage(path, logger())
    expect(await storage.load('le')).toEqual({ certificates: [] })
    const aside = (await readdir(dir)).filter((name) => name.startsWith('acme.json.invalid-'))
    expect(aside).toHaveLength(1)
    expect(await readFile(join(dir, aside[0] as string), 'utf8')).toBe(text)
    expect(messages()).toEqual([expect.stringMatching(new RegExp(`^${path}: ${why.replace(/[()]/g, '\\$&')}.*; set aside as ${path}\\.invalid-\\d+, certificates will be ordered again$`))])
    await storage.saveCertificates('le', [certificate])
    expect(await new FileStorage(path, logger()).load('le')).toEqual({ certificates: [certificate] })
  })

  it('tightens a file others can read to 0600, and says so', async () => {
    const path = join(dir, 'acme.json')
    await writeFile(path, '{}')
    await chmod(path, 0o644)
    await new FileStorage(path, logger()).load('le')
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(messages()).toEqual([`${path}: mode 644 lets others read private keys; set to 600`])
  })

  it('writes one change at a time, each whole: concurrent saves of two resolvers both land', async () => {
    const path = join(dir, 'acme.json')
    const storage = new FileStorage(path, logger())
    await Promise.all([storage.saveAccount('a', account), storage.saveCertificates('b', [certificate]), storage.saveCertificates('a', [certificate])])
    const again = new FileStorage(path, logger())
    expect(await again.load('a')).toEqual({ account, certificates: [certificate] })
    expect(await again.load('b')).toEqual({ certificates: [certificate] })
  })

  it('makes a new account (with a warning) when the stored key does not parse', async () => {
    const path = join(dir, 'acme.json')
    await writeFile(path, JSON.stringify({ le: { Account: { Email: 'x', PrivateKey: 'bm90IGEga2V5', KeyType: '4096' } } }), { mode: 0o600 })
    expect(await new FileStorage(path, logger()).load('le')).toEqual({ certificates: [] })
    expect(messages()).toEqual([expect.stringMatching(new RegExp(`^${path}: resolver le: the account's private key does not parse \\(.*\\); a new account is made$`))])
  })
})
