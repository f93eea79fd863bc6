/**
 * PEM text as Traefik's configuration carries it: a `certFile`, `keyFile`
 * or CA entry is either a path or the PEM itself (Traefik's FileOrContent).
 */

/** Whether a FileOrContent value is the PEM itself rather than a path. */
export function isInlinePem(value: string): boolean {
  return value.includes('-----BEGIN')
}

const beginCertificate = '-----BEGIN CERTIFICATE-----'
const endCertificate = '-----END CERTIFICATE-----'

/**
 * The CERTIFICATE blocks of a PEM text, in order. Other blocks and text
 * between blocks are skipped, as Go's `tls.X509KeyPair` (Traefik's reader)
 * skips them. A block without its END line runs to the end of the text,
 * so that it fails to parse rather than vanish.
 */
export function certificateBlocks(pem: string): string[] {
  const blocks: string[] = []
  let from = 0
  for (;;) {
    const begin = pem.indexOf(beginCertificate, from)
    if (begin === -1) return blocks
    const end = pem.indexOf(endCertificate, begin + beginCertificate.length)
    if (end === -1) {
      blocks.push(pem.slice(begin))
      return blocks
    }
    from = end + endCertificate.length
    blocks.push(pem.slice(begin, from))
  }
}
