/**
 * `providers.docker.defaultRule`: a Go template (Traefik's language) that
 * gives a router without a `rule` label its rule, from the container's
 * name and labels. Compiled once, at start; a template that does not
 * compile is a static configuration problem.
 */

/** What the template sees, as in Traefik: `.Name` (the service name), `.ContainerName`, `.Labels`. */
export interface DefaultRuleData {
  readonly Name: string
  readonly ContainerName: string
  readonly Labels: Readonly<Record<string, string>>
}

/** Traefik's default: the container's name, normalised, as a host. */
export const defaultRuleTemplate = 'Host(`{{ normalize .Name }}`)'

/**
 * Traefik's `normalize`: every run of characters that are neither letters
 * nor digits becomes one `-`, none at either end (`my_app.v2` → `my-app-v2`).
 *
 * @example normalize('/web_1') // 'web-1'
 */
export function normalize(name: string): string {
  return name
    .split(/[^\p{L}\p{N}]+/u)
    .filter((part) => part !== '')
    .join('-')
}

// INTERIM until the template engine (src/config/template, branch `template`) is merged: only
// `{{ .Field }}`, `{{ normalize .Field }}` and `{{ index .Labels "key" }}` are understood.
const action = /\{\{-?\s*(.*?)\s*-?\}\}/g
const field = /^(normalize\s+)?\.(Name|ContainerName)$/
const label = /^index\s+\.Labels\s+"([^"]*)"$/

/**
 * Compiles `text`; the function it returns renders a rule for one container.
 *
 * @throws Error `defaultRule: ...` when the template does not compile.
 * @example
 * compileDefaultRule(defaultRuleTemplate)({ Name: 'web_1', ContainerName: 'web_1', Labels: {} }) // 'Host(`web-1`)'
 */
export function compileDefaultRule(text: string): (data: DefaultRuleData) => string {
  for (const [, body = ''] of text.matchAll(action)) {
    if (!field.test(body) && !label.test(body)) throw new Error(`defaultRule: {{ ${body} }} is not understood yet`)
  }
  if (text.replace(action, '').includes('{{')) throw new Error('defaultRule: unclosed action')
  return (data) =>
    text.replace(action, (_, body: string) => {
      const byLabel = label.exec(body)
      if (byLabel !== null) return data.Labels[byLabel[1] ?? ''] ?? ''
      const [, normalized, name] = field.exec(body) ?? []
      const value = name === 'ContainerName' ? data.ContainerName : data.Name
      return normalized === undefined ? value : normalize(value)
    })
}
