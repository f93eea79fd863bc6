/**
 * Self-signed X.509 v3 certificates from `node:crypto` alone: the
 * TBSCertificate is written in DER here (./der.ts) and signed with an ECDSA
 * P-256 key. Junction serves one ("JUNCTION DEFAULT CERT") when no default
 * certificate is configured, as Traefik serves its "TRAEFIK DEFAULT CERT".
 */
import { X509Certificate, createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto'
import { JunctionError } from '../errors.ts'
import { bitString, boolean, explicit, implicit, integer, objectIdentifier, octetString, sequence, setOf, time, utf8String } from './der.ts'

/** What the certificate says. */
export interface SelfSignedOptions {
  /** Subject and issuer common name. */
  readonly commonName: string
  /** DNS names for subjectAltName (may be empty; then the extension lists none and is omitted). */
  readonly dnsNames?: readonly string[]
  /** Validity start; default now minus 1 hour (clock skew). */
  readonly notBefore?: Date
  /** Days of validity from notBefore; default 365. */
  readonly days?: number
}

/** A certificate and its private key, both PEM. */
export interface KeyPair {
  /** PEM `CERTIFICATE`. */
  readonly cert: string
  /** PEM PKCS#8 `PRIVATE KEY`. */
  readonly key: string
}

const oid = {
  commonName: '2.5.4.3',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
} as const

/** X.520 ub-common-name. */
const maxCommonName = 64
const maxDays = 3650
const dayMs = 86_400_000
/** A DNS name as a SAN holds it: printable ASCII, no spaces (IA5String; IDNs come in A-label form). */
const dnsNamePattern = /^[\x21-\x7e]{1,253}$/

/**
 * Generates a fresh ECDSA P-256 key and a self-signed certificate for it,
 * signed with ecdsa-with-SHA256: CA:FALSE, digitalSignature, serverAuth, the
 * DNS names as subjectAltName. Validity starts at `notBefore` truncated to the
 * second.
 *
 * @throws JunctionError JCT_ERR_STATIC_CONFIG when an option is invalid.
 * @example
 * const { cert, key } = generateSelfSigned({ commonName: 'JUNCTION DEFAULT CERT' })
 */
export function generateSelfSigned(options: SelfSignedOptions): KeyPair {
  const { commonName, dnsNames = [], days = 365 } = options
  const notBefore = new Date(Math.floor((options.notBefore?.getTime() ?? Date.now() - 3_600_000) / 1000) * 1000)
  const notAfter = new Date(notBefore.getTime() + days * dayMs)
  validate(commonName, dnsNames, days, notBefore, notAfter)

  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const signatureAlgorithm = sequence(objectIdentifier(oid.ecdsaWithSha256))
  const name = sequence(setOf(sequence(objectIdentifier(oid.commonName), utf8String(commonName))))
  const tbs = sequence(
    explicit(0, integer(2)), // v3
    integer(serialNumber()),
    signatureAlgorithm,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, extensions(publicKey, dnsNames)),
  )
  const certificate = sequence(tbs, signatureAlgorithm, bitString(sign('sha256', tbs, privateKey)))
  return {
    cert: new X509Certificate(certificate).toString(),
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  }
}

function validate(commonName: string, dnsNames: readonly string[], days: number, notBefore: Date, notAfter: Date): void {
  const fail = (problem: string): never => {
    throw new JunctionError('JCT_ERR_STATIC_CONFIG', `generating a self-signed certificate: ${problem}`)
  }
  if (typeof commonName !== 'string' || commonName === '') fail('commonName is empty')
  // Characters, not UTF-16 units nor octets: the X.520 bound counts characters.
  const length = [...commonName].length
  if (length > maxCommonName) fail(`commonName has ${length} characters, more than ${maxCommonName}`)
  if (!Number.isSafeInteger(days) || days < 1 || days > maxDays) fail(`days must be an integer from 1 to ${maxDays}, got ${String(days)}`)
  for (const dnsName of dnsNames) {
    if (typeof dnsName !== 'string' || !dnsNamePattern.test(dnsName)) fail(`DNS name ${JSON.stringify(dnsName)} is not 1 to 253 printable ASCII characters`)
  }
  if (!Number.isFinite(notBefore.getTime())) fail('notBefore is not a valid date')
  if (notBefore.getUTCFullYear() < 0 || notAfter.getUTCFullYear() > 9999) fail('the validity must lie within the years 0000 to 9999')
}

/**
 * 16 random octets, top bit cleared and the next one set: positive, never
 * zero, always 16 octets once encoded (RFC 5280 allows up to 20), 126 random bits.
 */
function serialNumber(): Buffer {
  const serial = randomBytes(16)
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40
  return serial
}

function extensions(publicKey: KeyObject, dnsNames: readonly string[]): Buffer {
  const list = [
    extension(oid.basicConstraints, true, sequence()), // cA FALSE is the DEFAULT, so DER leaves it out
    extension(oid.keyUsage, true, bitString(Buffer.from([0x80]), 7)), // digitalSignature, bit 0; trailing zero bits dropped
    extension(oid.extKeyUsage, false, sequence(objectIdentifier(oid.serverAuth))),
  ]
  if (dnsNames.length > 0) {
    list.push(extension(oid.subjectAltName, false, sequence(...dnsNames.map((dnsName) => implicit(2, Buffer.from(dnsName, 'latin1'))))))
  }
  list.push(extension(oid.subjectKeyIdentifier, false, octetString(keyIdentifier(publicKey))))
  return sequence(...list)
}

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }. */
function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(objectIdentifier(id), boolean(true), octetString(value)) : sequence(objectIdentifier(id), octetString(value))
}

/**
 * RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's
 * value, which for an EC key is the uncompressed point 04 ‖ x ‖ y.
 */
function keyIdentifier(publicKey: KeyObject): Buffer {
  const { x = '', y = '' } = publicKey.export({ format: 'jwk' })
  return createHash('sha1').update(Buffer.from([0x04])).update(Buffer.from(x, 'base64url')).update(Buffer.from(y, 'base64url')).digest()
}
