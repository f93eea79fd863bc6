import { readFileSync, statSync, type Stats } from 'node:fs'
import { resolve } from 'node:path'
import type { DynamicConfig } from '../config/dynamic.ts'
import { isInlinePem } from './pem.ts'

/**
 * The files a configuration's `tls` section reads (certificates and keys,
 * the default store's pair, client-auth CA files), resolved against the
 * working directory as they are read. Inline PEM is not a file.
 */
export function tlsFilePaths(config: DynamicConfig): Set<string> {
  const paths = new Set<string>()
  const add = (value: string | undefined): void => {
    if (value !== undefined && value !== '' && !isInlinePem(value)) paths.add(resolve(value))
  }
  for (const certificate of config.tls?.certificates ?? []) {
    add(certificate.certFile)
    add(certificate.keyFile)
  }
  for (const store of Object.values(config.tls?.stores ?? {})) {
    add(store.defaultCertificate?.certFile)
    add(store.defaultCertificate?.keyFile)
  }
  for (const options of Object.values(config.tls?.options ?? {})) {
    for (const caFile of options.clientAuth?.caFiles ?? []) add(caFile)
  }
  return paths
}

/** What a file looked like when it was read: enough to tell a rewrite, a rename over it, or a touch. */
interface Seen {
  readonly text: string
  readonly signature: string
}

/**
 * Reads the `tls` section's files for the control plane, keeping each
 * file's text with the signature of its last read (inode, size, change
 * and modification times): a generation re-reads only the files that
 * changed, so a reload with 10,000 certificates costs 20,000 `stat`s
 * rather than 20,000 reads. {@link changed} says whether any file of the
 * last generation is no longer what was read, which is how a change on
 * disk (and only a real one) becomes a new generation.
 */
export class TlsFileReader {
  #seen = new Map<string, Seen>()
  /** Paths read for the generation being resolved, so files no configuration names any more are forgotten. */
  #used = new Map<string, Seen>()
  /** Paths that could not be read, by signature ('' when missing): they count as changed once they can be. */
  #missing = new Map<string, string>()

  /** A `ReadText` for `resolveTls`: throws as `readFileSync` does, with its message naming the file. */
  readonly read = (path: string): string => {
    const absolute = resolve(path)
    const stats = statSync(absolute, { throwIfNoEntry: false })
    if (stats === undefined) {
      this.#missing.set(absolute, '')
      // Throws the error users know ("ENOENT: no such file or directory, open '…'").
      readFileSync(absolute, 'utf8')
      throw new Error(`${absolute}: no such file`)
    }
    const signature = signatureOf(stats)
    const known = this.#used.get(absolute) ?? this.#seen.get(absolute)
    if (known?.signature === signature) {
      this.#used.set(absolute, known)
      return known.text
    }
    let text: string
    try {
      text = readFileSync(absolute, 'utf8')
    } catch (error) {
      this.#missing.set(absolute, signature)
      throw error
    }
    const seen = { text, signature }
    this.#used.set(absolute, seen)
    return text
  }

  /** Ends a generation's reads: what it read becomes what later changes are measured against. */
  commit(): void {
    this.#seen = this.#used
    this.#used = new Map()
    const missing = this.#missing
    this.#missing = new Map()
    for (const [path, signature] of missing) if (!this.#seen.has(path)) this.#missing.set(path, signature)
  }

  /** Whether a file of the last committed generation changed on disk, appeared, or went away. */
  changed(): boolean {
    for (const [path, seen] of this.#seen) {
      if (current(path) !== seen.signature) return true
    }
    for (const [path, signature] of this.#missing) {
      if (current(path) !== signature) return true
    }
    return false
  }
}

function signatureOf(stats: Stats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`
}

/** A file's signature now; '' when it cannot be read. */
function current(path: string): string {
  try {
    return signatureOf(statSync(path))
  } catch {
    return ''
  }
}
