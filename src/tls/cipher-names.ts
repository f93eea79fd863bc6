/**
 * Go's cipher suite names, as Traefik's `tls.options.<name>.cipherSuites`
 * takes them, to the names OpenSSL (and so Node's `ciphers` option) uses.
 *
 * The Go side is the list Traefik accepts (`pkg/tls/cipher.go`), which is
 * every cipher suite constant of Go's crypto/tls
 * (https://pkg.go.dev/crypto/tls#pkg-constants), the two short CHACHA20
 * aliases included. The OpenSSL side is the standard-name mapping that
 * `openssl ciphers -stdname` prints. Listed in the order of Go's constants.
 */

/**
 * Go's name to OpenSSL's. TLS 1.3 suites keep their IANA name: Node sends
 * any `TLS_` entry of its `ciphers` string to OpenSSL's TLS 1.3 list and
 * the others to the TLS 1.2 one.
 *
 * RC4 and 3DES suites are here because Go knows their names; the OpenSSL
 * that Node 24 bundles has neither, so they are probed before use (see
 * `tls-options.ts`).
 */
export const goCipherSuites: ReadonlyMap<string, string> = new Map([
  // TLS 1.0 - 1.2, RSA key exchange.
  ['TLS_RSA_WITH_RC4_128_SHA', 'RC4-SHA'],
  ['TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'DES-CBC3-SHA'],
  ['TLS_RSA_WITH_AES_128_CBC_SHA', 'AES128-SHA'],
  ['TLS_RSA_WITH_AES_256_CBC_SHA', 'AES256-SHA'],
  ['TLS_RSA_WITH_AES_128_CBC_SHA256', 'AES128-SHA256'],
  ['TLS_RSA_WITH_AES_128_GCM_SHA256', 'AES128-GCM-SHA256'],
  ['TLS_RSA_WITH_AES_256_GCM_SHA384', 'AES256-GCM-SHA384'],
  // TLS 1.0 - 1.2, ECDHE key exchange.
  ['TLS_ECDHE_ECDSA_WITH_RC4_128_SHA', 'ECDHE-ECDSA-RC4-SHA'],
  ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'ECDHE-ECDSA-AES128-SHA'],
  ['TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 'ECDHE-ECDSA-AES256-SHA'],
  ['TLS_ECDHE_RSA_WITH_RC4_128_SHA', 'ECDHE-RSA-RC4-SHA'],
  ['TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', 'ECDHE-RSA-DES-CBC3-SHA'],
  ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'ECDHE-RSA-AES128-SHA'],
  ['TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 'ECDHE-RSA-AES256-SHA'],
  ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 'ECDHE-ECDSA-AES128-SHA256'],
  ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'ECDHE-RSA-AES128-SHA256'],
  ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256'],
  ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'ECDHE-ECDSA-AES128-GCM-SHA256'],
  ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'ECDHE-RSA-AES256-GCM-SHA384'],
  ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'ECDHE-ECDSA-AES256-GCM-SHA384'],
  ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-RSA-CHACHA20-POLY1305'],
  ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-ECDSA-CHACHA20-POLY1305'],
  // Go's older names for the two above.
  ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305'],
  ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305', 'ECDHE-ECDSA-CHACHA20-POLY1305'],
  // TLS 1.3.
  ['TLS_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256'],
  ['TLS_AES_256_GCM_SHA384', 'TLS_AES_256_GCM_SHA384'],
  ['TLS_CHACHA20_POLY1305_SHA256', 'TLS_CHACHA20_POLY1305_SHA256'],
])

/**
 * Go's `TLS_FALLBACK_SCSV`, which Traefik accepts in `cipherSuites`: a
 * signalling value (RFC 7507) a client sends, not a suite a server offers.
 * Go skips it when choosing a suite; OpenSSL answers it on its own.
 */
export const fallbackScsv = 'TLS_FALLBACK_SCSV'

/** Whether an OpenSSL cipher name is a TLS 1.3 suite (Node configures those apart). */
export function isTls13Suite(openssl: string): boolean {
  return openssl.startsWith('TLS_')
}
