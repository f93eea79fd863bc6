import { dynamicSections } from './catalogue.ts'
import { setOwn } from './plain-data.ts'

/**
 * Traefik's users keep `http:`, `tcp:`, `udp:` and `tls:` in the same file as
 * the static configuration, with `providers.file.filename` naming that file:
 * the static loader skips those sections and the file provider reads them.
 * Both decoders in Traefik filter the file's top-level keys by the fields of
 * the configuration they fill, case-insensitively; Junction skips exactly
 * the four dynamic sections, so any other unknown key stays an error.
 */

const sections = new Set([...dynamicSections.keys()].map((name) => name.toLowerCase()))

/** True for a top-level key of the dynamic configuration (`http`, `TLS`, ...), in any case. */
export function isDynamicSection(key: string): boolean {
  return sections.has(key.toLowerCase())
}

/**
 * Splits a parsed file's top level in two: the dynamic sections (the keys
 * as written) and everything else. The input is not mutated.
 *
 * @example
 * splitDynamicSections({ entryPoints: {}, http: { routers: {} } })
 * // { rest: { entryPoints: {} }, dynamic: ['http'] }
 */
export function splitDynamicSections(document: Readonly<Record<string, unknown>>): { rest: Record<string, unknown>; dynamic: string[] } {
  const rest: Record<string, unknown> = {}
  const dynamic: string[] = []
  for (const [key, value] of Object.entries(document)) {
    if (isDynamicSection(key)) dynamic.push(key)
    else setOwn(rest, key, value)
  }
  return { rest, dynamic }
}

/**
 * Only the dynamic sections of a parsed file: what the file provider takes
 * from the static configuration file, whose other keys the static loader
 * has read (and validated) already.
 *
 * @example onlyDynamicSections({ entryPoints: {}, http: { routers: {} } }) // { http: { routers: {} } }
 */
export function onlyDynamicSections(document: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(document)) if (isDynamicSection(key)) setOwn(out, key, value)
  return out
}
