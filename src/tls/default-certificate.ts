import { generateSelfSigned, type KeyPair } from './self-signed.ts'

/** Traefik serves "TRAEFIK DEFAULT CERT"; clients that show the name tell an operator who answered. */
export const defaultCommonName = 'JUNCTION DEFAULT CERT'

let generated: KeyPair | undefined

/**
 * The self-signed certificate served when the default store names none,
 * made once per process on first use and never written anywhere (Traefik
 * generates its own at each start too). The control plane passes its own to
 * every generation, so every worker serves the same one.
 */
export function defaultGeneratedCertificate(): KeyPair {
  generated ??= generateSelfSigned({ commonName: defaultCommonName })
  return generated
}
