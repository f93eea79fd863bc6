import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DynamicConfig } from '../../../src/config/dynamic.ts'
import { TlsFileReader, tlsFilePaths } from '../../../src/tls/tls-files.ts'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'junction-tls-files-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('tlsFilePaths', () => {
  it('lists every file the tls section reads, absolute, and no inline PEM', () => {
    const inline = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'
    const config = {
      tls: {
        certificates: [{ certFile: '/c/a.pem', keyFile: '/c/a.key' }, { certFile: inline, keyFile: inline }],
        stores: { default: { defaultCertificate: { certFile: '/d/d.pem', keyFile: '/d/d.key' } } },
        options: { mtls: { clientAuth: { caFiles: ['/ca/one.pem', inline] } } },
      },
    } as unknown as DynamicConfig
    expect([...tlsFilePaths(config)]).toEqual(['/c/a.pem', '/c/a.key', '/d/d.pem', '/d/d.key', '/ca/one.pem'])
  })
})

describe('TlsFileReader', () => {
  it('reads a file, and says nothing changed until it does', async () => {
    const file = join(dir, 'a.pem')
    await writeFile(file, 'one')
    const reader = new TlsFileReader()
    expect(reader.read(file)).toBe('one')
    reader.commit()
    expect(reader.changed()).toBe(false)
    expect(reader.read(file)).toBe('one')
    reader.commit()
    await writeFile(file, 'two!')
    expect(reader.changed()).toBe(true)
    expect(reader.read(file)).toBe('two!')
    reader.commit()
    expect(reader.changed()).toBe(false)
  })

  it('sees a file renamed over the one it read (an atomic renewal)', async () => {
    const file = join(dir, 'a.pem')
    await writeFile(file, 'same')
    const reader = new TlsFileReader()
    reader.read(file)
    reader.commit()
    await writeFile(join(dir, 'next'), 'same')
    await rename(join(dir, 'next'), file)
    expect(reader.changed()).toBe(true)
  })

  it('throws the usual error for a missing file, and counts its arrival as a change', async () => {
    const file = join(dir, 'late.pem')
    const reader = new TlsFileReader()
    expect(() => reader.read(file)).toThrow(`ENOENT: no such file or directory, open '${file}'`)
    reader.commit()
    expect(reader.changed()).toBe(false)
    await writeFile(file, 'here')
    expect(reader.changed()).toBe(true)
  })

  it('counts a file going away as a change', async () => {
    const file = join(dir, 'a.pem')
    await writeFile(file, 'one')
    const reader = new TlsFileReader()
    reader.read(file)
    reader.commit()
    await rm(file)
    expect(reader.changed()).toBe(true)
  })

  it('forgets the files a later generation no longer reads', async () => {
    const kept = join(dir, 'kept.pem')
    const dropped = join(dir, 'dropped.pem')
    await writeFile(kept, 'k')
    await writeFile(dropped, 'd')
    const reader = new TlsFileReader()
    reader.read(kept)
    reader.read(dropped)
    reader.commit()
    reader.read(kept)
    reader.commit()
    await writeFile(dropped, 'changed')
    expect(reader.changed()).toBe(false)
  })
})
