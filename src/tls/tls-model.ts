import { readFileSync } from 'node:fs'
import type { DynamicConfig, TlsStore } from '../config/dynamic.ts'
import { parseCertificate } from './certificate.ts'
import { isInlinePem } from './pem.ts'
import type { CertificateInput } from './certificate-store.ts'
import type { AcmeTls } from './acme/acme-tls.ts'
import type { KeyPair } from './self-signed.ts'
import { compileTlsOptions, defaultTlsOptions, type CompiledTlsOptions } from './tls-options.ts'

/** A problem with the `tls` section, for the runtime report entry it names. */
export interface TlsProblem {
  /** `routers`: what keeps a router from the certificate its resolver should give it. */
  readonly section: 'tlsCertificates' | 'tlsStores' | 'tlsOptions' | 'routers'
  readonly name: string
  readonly message: string
  /** The object is left out (a certificate that cannot be read); otherwise a warning. */
  readonly fatal: boolean
}

/**
 * The TLS part of a generation, as the control plane publishes it: every
 * certificate as PEM text (files already read, so workers do no file I/O and
 * all of them serve the same bytes), the default store's certificate, and
 * what could not be read.
 */
export interface TlsModel {
  readonly certificates: readonly CertificateInput[]
  readonly defaultCertificate: KeyPair & { readonly name: string }
  /**
   * Every set of TLS options that compiled, by the name routers use: the
   * qualified name (`mtls@file`), and `default` for the default set whatever
   * provider defined it (Traefik's own when none did).
   */
  readonly options: Readonly<Record<string, CompiledTlsOptions>>
  readonly problems: readonly TlsProblem[]
}

/** Reads a file as text; tests pass their own. */
export type ReadText = (path: string) => string

const readText: ReadText = (path) => readFileSync(path, 'utf8')

/**
 * Resolves the `tls` section of a merged configuration: certificates read
 * from their files (or taken inline), then those the certificate resolvers
 * hold (`acme`); the default store's certificate — configured, or the one
 * `defaultGeneratedCert` names once its resolver holds it — or `generated`
 * (the control plane's self-signed one) when there is none or it cannot be
 * read.
 */
export function resolveTls(config: DynamicConfig, generated: KeyPair, read: ReadText = readText, acme?: AcmeTls): TlsModel {
  const problems: TlsProblem[] = (acme?.notes ?? []).map(({ router, message }) => ({ section: 'routers', name: router, message, fatal: false }))
  const certificates: CertificateInput[] = []
  config.tls?.certificates?.forEach((certificate, index) => {
    const name = certificate.certFile !== undefined && !isInlinePem(certificate.certFile) ? certificate.certFile : `#${index}`
    const pair = readPair(certificate.certFile, certificate.keyFile, (message) => problems.push({ section: 'tlsCertificates', name, message: `tls certificate ${name}: ${message}`, fatal: true }), read)
    if (pair !== undefined) certificates.push({ name, ...pair, ...(certificate.stores !== undefined && { stores: certificate.stores }) })
  })
  // After the files: a name both carry is served with the file's certificate, with a warning.
  certificates.push(...(acme?.certificates ?? []))
  let defaultCertificate: TlsModel['defaultCertificate'] = { name: 'generated', ...generated }
  for (const [name, store] of Object.entries(config.tls?.stores ?? {})) {
    if (!isDefaultName(name)) {
      problems.push({ section: 'tlsStores', name, message: `tls store ${name}: only the default store is served; this store is ignored`, fatal: false })
      continue
    }
    const configured = defaultOf(name, store, problems, read, acme)
    if (configured !== undefined) defaultCertificate = configured
  }
  return { certificates, defaultCertificate, options: resolveOptions(config, problems, read), problems }
}

/** The name routers use for a set of options: `default` for the default set, whatever provider defined it. */
export function optionsName(name: string): string {
  return isDefaultName(name) ? 'default' : name
}

/**
 * Compiles every `tls.options` set, its CA files read here. A set that does
 * not compile is left out, so the routers that ask for it are disabled
 * rather than served without what it asked (client certificates, say).
 */
function resolveOptions(config: DynamicConfig, problems: TlsProblem[], read: ReadText): Record<string, CompiledTlsOptions> {
  const compiled: Record<string, CompiledTlsOptions> = { default: defaultTlsOptions }
  let defaultFrom: string | undefined
  for (const [name, options] of Object.entries(config.tls?.options ?? {})) {
    const report = (message: string, fatal: boolean): void => {
      problems.push({ section: 'tlsOptions', name, message, fatal })
    }
    const key = optionsName(name)
    if (key === 'default' && defaultFrom !== undefined) {
      report(`tls options ${name}: default options are already defined by ${defaultFrom}, which is kept`, true)
      continue
    }
    const caPem: string[] = []
    let unreadable = false
    for (const caFile of options.clientAuth?.caFiles ?? []) {
      try {
        caPem.push(isInlinePem(caFile) ? caFile : read(caFile))
      } catch (error) {
        report(`tls options ${name}: clientAuth.caFiles: ${(error as Error).message}`, true)
        unreadable = true
      }
    }
    const result = unreadable ? undefined : compileTlsOptions(name, options, caPem)
    for (const warning of result?.warnings ?? []) report(warning, false)
    for (const error of result?.errors ?? []) report(error, true)
    if (result?.options === undefined) {
      if (key === 'default') delete compiled['default']
      continue
    }
    compiled[key] = result.options
    if (key === 'default') defaultFrom = name
  }
  return compiled
}

/** `default`, or `default@provider` as the merge qualifies it: the default store, the default TLS options. */
export function isDefaultName(name: string): boolean {
  return name === 'default' || name.startsWith('default@')
}

function defaultOf(name: string, store: TlsStore, problems: TlsProblem[], read: ReadText, acme: AcmeTls | undefined): TlsModel['defaultCertificate'] | undefined {
  const report = (message: string, fatal: boolean): void => {
    problems.push({ section: 'tlsStores', name, message: `tls store ${name}: ${message}`, fatal })
  }
  const configured = store.defaultCertificate
  if (store.defaultGeneratedCert !== undefined) {
    if (configured !== undefined) report('defaultCertificate and defaultGeneratedCert are both set: defaultCertificate is used', false)
    else return generatedDefault(store.defaultGeneratedCert, acme, report)
  }
  if (configured === undefined) return undefined
  const fallBack = (message: string): undefined => void report(`defaultCertificate: ${message}; a generated certificate is served instead`, false)
  const pair = readPair(configured.certFile, configured.keyFile, fallBack, read)
  if (pair === undefined) return undefined
  // Checked here, once for every worker: a store cannot be built without a default that loads.
  const parsed = parseCertificate(pair.cert, pair.key)
  return parsed.ok ? { name: `${name} default certificate`, ...pair } : fallBack(parsed.reason)
}

/**
 * The certificate `defaultGeneratedCert` names, once its resolver holds it
 * (the generated one until then, without a word: the order is under way and
 * logged); a warning when it names no resolver or no domain.
 */
function generatedDefault(
  wanted: NonNullable<TlsStore['defaultGeneratedCert']>,
  acme: AcmeTls | undefined,
  report: (message: string, fatal: boolean) => void,
): TlsModel['defaultCertificate'] | undefined {
  const resolver = wanted.resolver ?? ''
  if (resolver === '' || wanted.domain?.main === undefined || wanted.domain.main === '') {
    report('defaultGeneratedCert needs a resolver and a domain.main; a generated certificate is served instead', false)
    return undefined
  }
  if (acme?.resolvers.has(resolver) !== true) {
    report(`defaultGeneratedCert: certificate resolver ${resolver} does not exist; a generated certificate is served instead`, false)
    return undefined
  }
  return acme.defaultCertificate
}

function readPair(certFile: string | undefined, keyFile: string | undefined, fail: (message: string) => void, read: ReadText): KeyPair | undefined {
  if (certFile === undefined || certFile === '') return void fail('certFile is missing')
  if (keyFile === undefined || keyFile === '') return void fail('keyFile is missing')
  try {
    return { cert: isInlinePem(certFile) ? certFile : read(certFile), key: isInlinePem(keyFile) ? keyFile : read(keyFile) }
  } catch (error) {
    // Node's message names the file: "ENOENT: no such file or directory, open '/certs/a.pem'".
    fail((error as Error).message)
    return undefined
  }
}
