/**
 * Reads the server name (SNI) and ALPN list out of a TLS ClientHello without
 * consuming it, so TLS options can be chosen per name before the TLS socket
 * exists. Pure and incremental: call it again with more bytes while it says
 * `need-more`. Linear in its input, and it never throws.
 */

/** What a ClientHello says about where the client wants to go. */
export interface ClientHello {
  /** The server_name extension's host_name (RFC 6066 §3), as sent; undefined when absent. */
  readonly serverName: string | undefined
  /** The ALPN protocol names offered (RFC 7301), in order; empty when absent. */
  readonly alpn: readonly string[]
}

/** The outcome of reading the bytes a connection has sent so far. */
export type HelloResult =
  | { readonly kind: 'hello'; readonly hello: ClientHello }
  /** The ClientHello is not complete in `bytes` yet. */
  | { readonly kind: 'need-more' }
  /** The first byte is not a handshake record. */
  | { readonly kind: 'not-tls' }
  | { readonly kind: 'malformed'; readonly reason: string }

/** A record starts with content type (1), legacy_record_version (2) and length (2) (RFC 8446 §5.1). */
const recordHeaderBytes = 5
/** ContentType handshake (RFC 8446 §5.1). */
const handshakeRecord = 22
/** A TLSPlaintext fragment is at most 2^14 bytes (RFC 8446 §5.1). */
const maxFragmentBytes = 2 ** 14
/** A handshake message starts with msg_type (1) and a 24-bit length (RFC 8446 §4). */
const handshakeHeaderBytes = 4
/** HandshakeType client_hello (RFC 8446 §4). */
const clientHelloType = 1
/** ExtensionType server_name (RFC 6066 §3). */
const serverNameExtension = 0
/** ExtensionType application_layer_protocol_negotiation (RFC 7301 §3.1). */
const alpnExtension = 16
/** NameType host_name (RFC 6066 §3). */
const hostNameType = 0
/** HostName is opaque<1..2^16-1> on the wire, but a DNS name is at most 255 bytes (RFC 1035 §2.3.4). */
const maxHostNameBytes = 255
/** legacy_session_id is opaque<0..32> (RFC 8446 §4.1.2). */
const maxSessionIdBytes = 32
/** legacy_version (2) and random (32) open the body (RFC 8446 §4.1.2). */
const versionAndRandomBytes = 2 + 32

/**
 * The most bytes a ClientHello may take before the peek gives up (records of
 * up to 2^14 bytes each; the ClientHello may span several records).
 *
 * Real ClientHellos are 0.2–2 KB: Node 24's (OpenSSL 3.5) is about 1.6 KB, of
 * which 1,216 bytes are its X25519MLKEM768 key share, and browsers' about
 * 1.8 KB. One full record of handshake bytes (2^14) is eight times that, with
 * room for large session tickets; sixteen record headers more let such a
 * hello arrive split into several records. Anything longer is a peer making
 * the router buffer, not saying hello.
 */
export const maxClientHelloBytes: number = maxFragmentBytes + 16 * recordHeaderBytes

const needMore: HelloResult = { kind: 'need-more' }
const notTls: HelloResult = { kind: 'not-tls' }

function malformed(reason: string): HelloResult {
  return { kind: 'malformed', reason }
}

function u8(bytes: Buffer, at: number): number {
  return bytes[at] ?? 0
}

function u16(bytes: Buffer, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0)
}

/**
 * Reads the ClientHello at the start of `bytes`: the handshake records that
 * carry it (RFC 8446 §5.1), then its body (RFC 8446 §4.1.2, RFC 5246
 * §7.4.1.2). Bytes after the hello (more records) are allowed and ignored;
 * only the first `maxClientHelloBytes` are looked at.
 */
export function parseClientHello(bytes: Buffer): HelloResult {
  if (bytes.length === 0) return needMore
  if (bytes[0] !== handshakeRecord) return notTls
  const limit = Math.min(bytes.length, maxClientHelloBytes)
  // Fragment bounds of the records read so far, [start, end) pairs.
  const fragments: number[] = []
  let handshakeBytes = 0
  let header = 0
  let messageBytes = -1
  let at = 0
  while (at < limit) {
    // Each header byte is checked as soon as it is here, so a wrong record is refused before it is complete.
    const type = u8(bytes, at)
    if (type !== handshakeRecord) return malformed(`client hello: a record of type ${type} before the hello is complete`)
    // Every TLS version (and SSL 3.0) has major version 3 in legacy_record_version.
    if (at + 1 < limit && u8(bytes, at + 1) !== 3) return malformed('client hello: record version is not 3.x')
    if (at + recordHeaderBytes > limit) break
    const length = u16(bytes, at + 3)
    // RFC 8446 §5.1: handshake fragments are never empty.
    if (length === 0) return malformed('client hello: empty handshake record')
    if (length > maxFragmentBytes) return malformed(`client hello: record longer than ${maxFragmentBytes} bytes`)
    const start = at + recordHeaderBytes
    const end = Math.min(start + length, limit)
    fragments.push(start, end)
    // The handshake header may itself be split over records (RFC 8446 §5.1 allows any fragmentation).
    for (let i = start; messageBytes < 0 && i < end; i++) {
      header = header * 256 + u8(bytes, i)
      const headerBytes = handshakeBytes + (i - start) + 1
      if (headerBytes === 1 && header !== clientHelloType) return malformed('client hello: the first handshake message is not a client hello')
      if (headerBytes === handshakeHeaderBytes) {
        messageBytes = handshakeHeaderBytes + (header % 2 ** 24)
        // Even if the rest came in this one record, it would not fit: no need to wait for it.
        if (start - handshakeBytes + messageBytes > maxClientHelloBytes) return malformed(`client hello: longer than ${maxClientHelloBytes} bytes`)
      }
    }
    handshakeBytes += end - start
    if (messageBytes >= 0 && handshakeBytes >= messageBytes) return parseBody(message(bytes, fragments, messageBytes))
    if (end < start + length) break
    at = end
  }
  if (limit === maxClientHelloBytes) return malformed(`client hello: longer than ${maxClientHelloBytes} bytes`)
  return needMore
}

/** The handshake message's body out of its fragments: a view when one record holds it all, a copy otherwise. */
function message(bytes: Buffer, fragments: readonly number[], messageBytes: number): Buffer {
  const first = fragments[0] ?? 0
  if ((fragments[1] ?? 0) - first >= messageBytes) return bytes.subarray(first + handshakeHeaderBytes, first + messageBytes)
  const whole = Buffer.allocUnsafe(messageBytes)
  let filled = 0
  for (let i = 0; i + 1 < fragments.length && filled < messageBytes; i += 2) {
    const start = fragments[i] ?? 0
    const end = Math.min(fragments[i + 1] ?? 0, start + messageBytes - filled)
    filled += bytes.copy(whole, filled, start, end)
  }
  return whole.subarray(handshakeHeaderBytes)
}

/** The ClientHello body, every length checked against what remains of it. */
function parseBody(body: Buffer): HelloResult {
  const end = body.length
  let at = versionAndRandomBytes
  if (at > end) return malformed('client hello: shorter than its version and random')
  if (at + 1 > end) return malformed('client hello: session id runs past the end')
  const sessionIdBytes = u8(body, at)
  at += 1
  if (sessionIdBytes > maxSessionIdBytes) return malformed(`client hello: session id longer than ${maxSessionIdBytes} bytes`)
  if (at + sessionIdBytes > end) return malformed('client hello: session id runs past the end')
  at += sessionIdBytes
  if (at + 2 > end) return malformed('client hello: cipher suites run past the end')
  const cipherSuiteBytes = u16(body, at)
  at += 2
  // CipherSuite cipher_suites<2..2^16-2>: two bytes each, at least one.
  if (cipherSuiteBytes < 2 || cipherSuiteBytes % 2 !== 0) return malformed('client hello: cipher suites length is not a positive even number')
  if (at + cipherSuiteBytes > end) return malformed('client hello: cipher suites run past the end')
  at += cipherSuiteBytes
  if (at + 1 > end) return malformed('client hello: compression methods run past the end')
  const compressionBytes = u8(body, at)
  at += 1
  // opaque legacy_compression_methods<1..2^8-1>
  if (compressionBytes < 1) return malformed('client hello: no compression methods')
  if (at + compressionBytes > end) return malformed('client hello: compression methods run past the end')
  at += compressionBytes
  // RFC 5246 §7.4.1.2: a hello may end here (TLS 1.0 and 1.1 clients without extensions).
  if (at === end) return { kind: 'hello', hello: { serverName: undefined, alpn: [] } }
  if (at + 2 > end) return malformed('client hello: extensions length runs past the end')
  const extensionBytes = u16(body, at)
  at += 2
  if (at + extensionBytes > end) return malformed('client hello: extensions run past the end')
  if (at + extensionBytes < end) return malformed('client hello: bytes after the extensions')
  const seen = new Set<number>()
  let serverName: string | undefined
  let alpn: readonly string[] = []
  while (at < end) {
    if (at + 4 > end) return malformed('client hello: extension header runs past the end')
    const type = u16(body, at)
    const length = u16(body, at + 2)
    at += 4
    if (at + length > end) return malformed(`client hello: extension ${type} runs past the end`)
    // RFC 8446 §4.2: no two extensions of the same type.
    if (seen.has(type)) return malformed(`client hello: duplicate extension ${type}`)
    seen.add(type)
    if (type === serverNameExtension) {
      const read = readServerName(body, at, at + length)
      if (typeof read === 'object') return read
      serverName = read
    } else if (type === alpnExtension) {
      const read = readAlpn(body, at, at + length)
      if ('kind' in read) return read
      alpn = read
    }
    at += length
  }
  return { kind: 'hello', hello: { serverName, alpn } }
}

/**
 * server_name (RFC 6066 §3): ServerName server_name_list<1..2^16-1>, each a
 * name_type byte and, for host_name, HostName<1..2^16-1>. Every name type is
 * read with that 16-bit length (RFC 6066 defines no other, and the deployed
 * parsers assume it); the first host_name is the answer.
 */
function readServerName(body: Buffer, start: number, end: number): string | undefined | HelloResult {
  if (start + 2 > end) return malformed('client hello: server_name extension runs past its end')
  const listBytes = u16(body, start)
  if (listBytes === 0) return malformed('client hello: empty server_name list')
  if (start + 2 + listBytes !== end) return malformed('client hello: server_name list does not fill its extension')
  let hostName: string | undefined
  for (let at = start + 2; at < end; ) {
    if (at + 3 > end) return malformed('client hello: server_name extension runs past its end')
    const nameType = u8(body, at)
    const nameBytes = u16(body, at + 1)
    at += 3
    if (at + nameBytes > end) return malformed('client hello: server_name extension runs past its end')
    if (nameType === hostNameType && hostName === undefined) {
      if (nameBytes < 1 || nameBytes > maxHostNameBytes) return malformed(`client hello: server name is not 1 to ${maxHostNameBytes} bytes`)
      // RFC 6066 §3: an ASCII byte string. Printable bytes only (no space, no controls), so latin1 decodes it exactly;
      // case and a trailing dot stay as sent, for the caller to normalise.
      for (let i = at; i < at + nameBytes; i++) {
        const byte = u8(body, i)
        if (byte < 0x21 || byte > 0x7e) return malformed('client hello: server name is not printable ascii')
      }
      hostName = body.toString('latin1', at, at + nameBytes)
    }
    at += nameBytes
  }
  return hostName
}

/**
 * ALPN (RFC 7301 §3.1): ProtocolName protocol_name_list<2..2^16-1>, each
 * opaque<1..2^8-1>. Names are opaque bytes; latin1 keeps them byte for byte
 * (every registered name is ASCII).
 */
function readAlpn(body: Buffer, start: number, end: number): readonly string[] | HelloResult {
  if (start + 2 > end) return malformed('client hello: alpn extension runs past its end')
  const listBytes = u16(body, start)
  if (listBytes === 0) return malformed('client hello: empty alpn list')
  if (start + 2 + listBytes !== end) return malformed('client hello: alpn list does not fill its extension')
  const names: string[] = []
  for (let at = start + 2; at < end; ) {
    const nameBytes = u8(body, at)
    at += 1
    if (nameBytes === 0) return malformed('client hello: empty alpn protocol name')
    if (at + nameBytes > end) return malformed('client hello: alpn extension runs past its end')
    names.push(body.toString('latin1', at, at + nameBytes))
    at += nameBytes
  }
  return names
}
