import { createPrivateKey } from 'node:crypto'
import { constants } from 'node:fs'
import { chmod, open, readFile, rename, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Logger } from '../../observability/logger.ts'
import { isPlainObject } from '../../config/plain-data.ts'
import type { DomainSet } from './domains.ts'

/** An ACME account: who the CA knows, and the key that signs for it. */
export interface AcmeAccount {
  readonly email: string
  /** The CA's account object and its URL, once registered. */
  readonly registration?: { readonly body: unknown; readonly uri: string }
  /** The account key, PEM (RSA, as Traefik's accounts are). */
  readonly privateKey: string
  /** The resolver's `keyType` when the account was made (Traefik v2/v3.0 kept it here). */
  readonly keyType: string
}

/** An issued certificate as stored. */
export interface StoredCertificate {
  readonly domain: DomainSet
  /** PEM chain, leaf first. */
  readonly cert: string
  /** PEM private key. */
  readonly key: string
  /** The TLS store it is for (`default`). */
  readonly store: string
}

/** What is stored for one resolver. */
export interface ResolverData {
  readonly account?: AcmeAccount
  readonly certificates: readonly StoredCertificate[]
}

/**
 * Where a resolver keeps its account and certificates. A file (Traefik's
 * `acme.json`) today; a key-value store shared by several instances can
 * implement the same three calls.
 */
export interface AcmeStorage {
  /** What is stored for `resolver`; nothing yet is `{ certificates: [] }`. */
  load(resolver: string): Promise<ResolverData>
  saveAccount(resolver: string, account: AcmeAccount): Promise<void>
  saveCertificates(resolver: string, certificates: readonly StoredCertificate[]): Promise<void>
}

type Raw = Record<string, unknown>

/** lego's names of the key types (`certcrypto.KeyType`), as Traefik writes them in an account. */
const legoKeyTypes: Readonly<Record<string, string>> = { EC256: 'P256', EC384: 'P384', RSA2048: '2048', RSA4096: '4096', RSA8192: '8192' }

/**
 * Traefik's `acme.json`: one object per resolver with its `Account`
 * (`Email`, `Registration`, `PrivateKey` as base64 PKCS#1 DER, `KeyType`)
 * and `Certificates` (`domain`, `certificate` and `key` as base64 PEM,
 * `Store`), so Traefik reads what Junction wrote and the other way round.
 * Several resolvers may share one file. Read once; every write replaces
 * the whole file atomically (a temporary file written with mode 0600 and
 * synced, renamed over it, the folder synced), one write at a time.
 * A file that does not parse is renamed aside with a warning, never fatal:
 * the resolvers start without data and order again.
 */
export class FileStorage implements AcmeStorage {
  readonly path: string
  readonly #logger: Logger
  #data: Promise<Raw> | undefined
  #writing: Promise<void> = Promise.resolve()
  #writes = 0

  constructor(path: string, logger: Logger) {
    this.path = path
    this.#logger = logger
  }

  async load(resolver: string): Promise<ResolverData> {
    const data = await this.#read()
    const entry = data[resolver]
    if (!isPlainObject(entry)) return { certificates: [] }
    const account = decodeAccount(entry['Account'], (message) => this.#logger.warn({ resolver }, `${this.path}: resolver ${resolver}: ${message}`))
    const certificates = Array.isArray(entry['Certificates']) ? entry['Certificates'].flatMap((raw) => decodeCertificate(raw) ?? []) : []
    return { ...(account !== undefined && { account }), certificates }
  }

  saveAccount(resolver: string, account: AcmeAccount): Promise<void> {
    return this.#update(resolver, 'Account', encodeAccount(account))
  }

  saveCertificates(resolver: string, certificates: readonly StoredCertificate[]): Promise<void> {
    return this.#update(resolver, 'Certificates', certificates.map(encodeCertificate))
  }

  #read(): Promise<Raw> {
    this.#data ??= this.#readFile()
    return this.#data
  }

  async #readFile(): Promise<Raw> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
      throw new Error(`reading ${this.path}: ${(error as Error).message}`, { cause: error })
    }
    await this.#checkMode()
    let parsed: unknown
    try {
      parsed = text.trim() === '' ? undefined : JSON.parse(text)
    } catch (error) {
      parsed = error
    }
    if (isPlainObject(parsed) && Object.values(parsed).every((entry) => entry === null || isPlainObject(entry))) return parsed
    const why = parsed === undefined ? 'it is empty' : parsed instanceof Error ? `it is not JSON (${parsed.message})` : 'it is not an object of resolvers'
    const aside = `${this.path}.invalid-${Date.now()}`
    await rename(this.path, aside)
    this.#logger.warn({ file: this.path }, `${this.path}: ${why}; set aside as ${aside}, certificates will be ordered again`)
    return {}
  }

  /** Traefik refuses a file others can read (it holds private keys); Junction says so and tightens it. */
  async #checkMode(): Promise<void> {
    const { mode } = await stat(this.path)
    if ((mode & 0o077) === 0) return
    this.#logger.warn({ file: this.path }, `${this.path}: mode ${(mode & 0o777).toString(8)} lets others read private keys; set to 600`)
    await chmod(this.path, 0o600)
  }

  #update(resolver: string, field: 'Account' | 'Certificates', value: unknown): Promise<void> {
    const write = this.#writing.then(async () => {
      const data = await this.#read()
      const entry = isPlainObject(data[resolver]) ? (data[resolver] as Raw) : {}
      data[resolver] = { ...entry, [field]: value }
      await this.#write(`${JSON.stringify(data, null, 2)}\n`)
    })
    // One failed write does not stop the next one.
    this.#writing = write.catch(() => undefined)
    return write
  }

  async #write(text: string): Promise<void> {
    const temporary = `${this.path}.${process.pid}.${++this.#writes}.tmp`
    const file = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o600)
    try {
      await file.writeFile(text)
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(temporary, this.path)
    // The rename itself is durable only once the folder is synced.
    const folder = await open(dirname(this.path), constants.O_RDONLY)
    try {
      await folder.sync()
    } finally {
      await folder.close()
    }
  }
}

function encodeAccount(account: AcmeAccount): Raw {
  const der = createPrivateKey(account.privateKey).export({ type: 'pkcs1', format: 'der' })
  return {
    Email: account.email,
    Registration: account.registration === undefined ? null : { body: account.registration.body, uri: account.registration.uri },
    PrivateKey: der.toString('base64'),
    KeyType: legoKeyTypes[account.keyType] ?? account.keyType,
  }
}

function decodeAccount(raw: unknown, warn: (message: string) => void): AcmeAccount | undefined {
  if (!isPlainObject(raw) || typeof raw['PrivateKey'] !== 'string') return undefined
  let privateKey: string
  try {
    privateKey = createPrivateKey({ key: Buffer.from(raw['PrivateKey'], 'base64'), format: 'der', type: 'pkcs1' }).export({ type: 'pkcs1', format: 'pem' }) as string
  } catch (error) {
    warn(`the account's private key does not parse (${(error as Error).message}); a new account is made`)
    return undefined
  }
  const registration = raw['Registration']
  const keyType = Object.entries(legoKeyTypes).find(([, lego]) => lego === raw['KeyType'])?.[0] ?? String(raw['KeyType'] ?? '')
  return {
    email: typeof raw['Email'] === 'string' ? raw['Email'] : '',
    ...(isPlainObject(registration) && typeof registration['uri'] === 'string' && { registration: { body: registration['body'], uri: registration['uri'] } }),
    privateKey,
    keyType,
  }
}

function encodeCertificate(certificate: StoredCertificate): Raw {
  return {
    domain: { main: certificate.domain.main, ...(certificate.domain.sans.length > 0 && { sans: certificate.domain.sans }) },
    certificate: Buffer.from(certificate.cert).toString('base64'),
    key: Buffer.from(certificate.key).toString('base64'),
    Store: certificate.store,
  }
}

/** A stored certificate, or undefined for one without a certificate or key (Traefik drops those too). */
function decodeCertificate(raw: unknown): StoredCertificate | undefined {
  if (!isPlainObject(raw) || typeof raw['certificate'] !== 'string' || typeof raw['key'] !== 'string') return undefined
  const domain = isPlainObject(raw['domain']) ? raw['domain'] : {}
  const cert = Buffer.from(raw['certificate'], 'base64').toString('utf8')
  const key = Buffer.from(raw['key'], 'base64').toString('utf8')
  if (cert === '' || key === '') return undefined
  const sans = Array.isArray(domain['sans']) ? domain['sans'].filter((san): san is string => typeof san === 'string') : []
  return {
    domain: { main: typeof domain['main'] === 'string' ? domain['main'] : '', sans },
    cert,
    key,
    store: typeof raw['Store'] === 'string' && raw['Store'] !== '' ? raw['Store'] : 'default',
  }
}
