/**
 * Where a gorilla/mux template is matched: it sets the default pattern of a
 * bare `{name}` and whether the regexp is anchored at the end.
 */
export type TemplateKind = 'host' | 'path' | 'pathPrefix' | 'query'

/** A template turned into a Go regexp, with the pattern of each variable. */
export interface MuxTemplate {
  /** Anchored at the start (and at the end unless `pathPrefix`). */
  readonly pattern: string
  readonly variables: readonly { readonly name: string; readonly pattern: string }[]
}

const defaultPatterns: Readonly<Record<TemplateKind, string>> = {
  host: '[^.]+',
  path: '[^/]+',
  pathPrefix: '[^/]+',
  query: '.*',
}

/**
 * Reads a Traefik v2 template as the gorilla/mux fork Traefik uses does
 * (`newRouteRegexp`): text outside braces is literal, `{name}` matches the
 * kind's default pattern, `{name:pattern}` a regexp, and braces may nest
 * inside a pattern (`{id:[0-9]{3}}`). Variables become groups `v0`, `v1`…
 * A query template (`key=value`) with an empty value matches any value.
 *
 * @throws Error with mux's message for unbalanced braces or an empty name or pattern.
 * @example
 * muxTemplate('{sub:[a-z]+}.example.com', 'host').pattern
 * // '^(?P<v0>[a-z]+)\\.example\\.com$'
 */
export function muxTemplate(template: string, kind: TemplateKind): MuxTemplate {
  const braces = braceIndices(template)
  const variables: { name: string; pattern: string }[] = []
  let pattern = '^'
  let end = 0
  for (let i = 0; i < braces.length; i += 2) {
    const open = braces[i] as number
    const close = braces[i + 1] as number
    const inside = template.slice(open + 1, close - 1)
    const colon = inside.indexOf(':')
    const name = colon === -1 ? inside : inside.slice(0, colon)
    const variable = colon === -1 ? defaultPatterns[kind] : inside.slice(colon + 1)
    if (name === '' || variable === '') throw new Error(`mux: missing name or pattern in ${JSON.stringify(template.slice(open, close))}`)
    pattern += `${quoteMeta(template.slice(end, open))}(?P<v${i / 2}>${variable})`
    variables.push({ name, pattern: variable })
    end = close
  }
  pattern += quoteMeta(template.slice(end))
  if (kind === 'query' && template.slice(template.indexOf('=') + 1) === '') pattern += defaultPatterns.query
  if (kind !== 'pathPrefix') pattern += '$'
  return { pattern, variables }
}

/** Go's `regexp.QuoteMeta`. */
export function quoteMeta(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')
}

/** The start and end (exclusive) of each top-level `{…}`. */
function braceIndices(template: string): number[] {
  const indices: number[] = []
  let level = 0
  let start = 0
  for (let i = 0; i < template.length; i++) {
    if (template[i] === '{') {
      if (++level === 1) start = i
    } else if (template[i] === '}') {
      if (--level === 0) indices.push(start, i + 1)
      else if (level < 0) break
    }
  }
  if (level !== 0) throw new Error(`mux: unbalanced braces in ${JSON.stringify(template)}`)
  return indices
}
